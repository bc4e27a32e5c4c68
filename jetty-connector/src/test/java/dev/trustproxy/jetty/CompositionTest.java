package dev.trustproxy.jetty;

import static dev.trustproxy.proxyprotocol.Bytes.ascii;
import static dev.trustproxy.proxyprotocol.Bytes.hex;
import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.eclipse.jetty.alpn.server.ALPNServerConnectionFactory;
import org.eclipse.jetty.client.ContentResponse;
import org.eclipse.jetty.client.HttpClient;
import org.eclipse.jetty.client.transport.HttpClientTransportOverHTTP;
import org.eclipse.jetty.http2.client.HTTP2Client;
import org.eclipse.jetty.http2.client.transport.HttpClientTransportOverHTTP2;
import org.eclipse.jetty.http2.server.HTTP2CServerConnectionFactory;
import org.eclipse.jetty.http2.server.HTTP2ServerConnectionFactory;
import org.eclipse.jetty.io.ClientConnector;
import org.eclipse.jetty.server.HttpConfiguration;
import org.eclipse.jetty.server.HttpConnectionFactory;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.server.SslConnectionFactory;
import org.eclipse.jetty.util.ssl.SslContextFactory;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The factory composes with Jetty's other protocols: PROXY → TLS → ALPN → HTTP/2 or HTTP/1.1, and
 * PROXY → h2c. A relay in front sends the PROXY header and the client's first bytes (the TLS
 * ClientHello, or the HTTP/2 preface) in one write: V2-29.
 */
class CompositionTest {

  static final byte[] V2_01 = hex("SIG 21 11 00 0C C0 00 02 01 C6 33 64 02 DC 04 01 BB");
  static final byte[] V1_01 = ascii("PROXY TCP4 192.168.0.1 192.168.0.11 56324 443\r\n");
  static final String PASSWORD = "test-only";

  static Path keyStore;
  static Server server;
  static ProxyProtocolConnectionFactory tlsProxy;
  static int tlsPort;
  static int h2cPort;

  @BeforeAll
  static void start() throws Exception {
    keyStore = Files.createTempDirectory("trustproxy-tls").resolve("server.p12");
    Process keytool =
        new ProcessBuilder(
                Path.of(System.getProperty("java.home"), "bin", "keytool").toString(),
                "-genkeypair", "-alias", "server", "-keyalg", "EC", "-groupname", "secp256r1",
                "-dname", "CN=localhost", "-ext", "SAN=ip:127.0.0.1", "-validity", "2",
                "-storetype", "PKCS12", "-keystore", keyStore.toString(),
                "-storepass", PASSWORD, "-keypass", PASSWORD)
            .redirectErrorStream(true)
            .start();
    assertThat(keytool.waitFor(60, TimeUnit.SECONDS)).isTrue();
    assertThat(keytool.exitValue()).as(new String(keytool.getInputStream().readAllBytes()))
        .isZero();

    server = new Server();
    server.setHandler(new EchoHandler());

    HttpConfiguration config = new HttpConfiguration();
    HttpConnectionFactory http11 = new HttpConnectionFactory(config);
    HTTP2ServerConnectionFactory h2 = new HTTP2ServerConnectionFactory(config);
    ALPNServerConnectionFactory alpn = new ALPNServerConnectionFactory();
    alpn.setDefaultProtocol(http11.getProtocol());
    SslContextFactory.Server sslContext = new SslContextFactory.Server();
    sslContext.setKeyStorePath(keyStore.toString());
    sslContext.setKeyStorePassword(PASSWORD);
    sslContext.setKeyStoreType("PKCS12");
    SslConnectionFactory tls = new SslConnectionFactory(sslContext, alpn.getProtocol());
    tlsProxy = new ProxyProtocolConnectionFactory(tls.getProtocol());
    tlsProxy.setTrustedSources("127.0.0.1");
    tlsProxy.setHeaderTimeout(Duration.ofSeconds(5));
    ServerConnector tlsConnector = new ServerConnector(server, tlsProxy, tls, alpn, h2, http11);
    tlsConnector.setHost("127.0.0.1");
    server.addConnector(tlsConnector);

    HttpConfiguration cleartext = new HttpConfiguration();
    HTTP2CServerConnectionFactory h2c = new HTTP2CServerConnectionFactory(cleartext);
    ProxyProtocolConnectionFactory h2cProxy = new ProxyProtocolConnectionFactory(h2c.getProtocol());
    h2cProxy.setTrustedSources("loopback");
    ServerConnector h2cConnector = new ServerConnector(server, h2cProxy, h2c);
    h2cConnector.setHost("127.0.0.1");
    server.addConnector(h2cConnector);

    server.start();
    tlsPort = tlsConnector.getLocalPort();
    h2cPort = h2cConnector.getLocalPort();
  }

  @AfterAll
  static void stop() throws Exception {
    server.stop();
    Files.deleteIfExists(keyStore);
    Files.deleteIfExists(keyStore.getParent());
  }

  static SslContextFactory.Client trustingOurCertificate() {
    SslContextFactory.Client client = new SslContextFactory.Client();
    client.setTrustStorePath(keyStore.toString());
    client.setTrustStorePassword(PASSWORD);
    client.setTrustStoreType("PKCS12");
    return client;
  }

  static String get(HttpClient client, String url) throws Exception {
    client.start();
    try {
      ContentResponse response = client.newRequest(url).timeout(20, TimeUnit.SECONDS).send();
      assertThat(response.getStatus()).isEqualTo(200);
      return response.getContentAsString();
    } finally {
      client.stop();
    }
  }

  @Test
  void proxyThenTlsThenAlpnThenHttp2() throws Exception {
    try (PrependingProxy relay = new PrependingProxy(tlsPort, V2_01)) {
      ClientConnector connector = new ClientConnector();
      connector.setSslContextFactory(trustingOurCertificate());
      HttpClient client = new HttpClient(new HttpClientTransportOverHTTP2(new HTTP2Client(connector)));
      String body = get(client, "https://127.0.0.1:" + relay.port() + "/h2");
      assertThat(body).contains("protocol=HTTP/2.0", "remote=192.0.2.1:56324",
          "local=198.51.100.2:443", "secure=true", "scheme=https", "header=v2 PROXY");
    }
  }

  @Test
  void proxyThenTlsThenAlpnThenHttp11() throws Exception {
    try (PrependingProxy relay = new PrependingProxy(tlsPort, V1_01)) {
      ClientConnector connector = new ClientConnector();
      connector.setSslContextFactory(trustingOurCertificate());
      HttpClient client = new HttpClient(new HttpClientTransportOverHTTP(connector));
      String body = get(client, "https://127.0.0.1:" + relay.port() + "/h1");
      assertThat(body).contains("protocol=HTTP/1.1", "remote=192.168.0.1:56324", "secure=true",
          "header=v1 PROXY");
    }
  }

  @Test
  void proxyThenH2c() throws Exception {
    try (PrependingProxy relay = new PrependingProxy(h2cPort, V2_01)) {
      HttpClient client = new HttpClient(new HttpClientTransportOverHTTP2(new HTTP2Client()));
      String body = get(client, "http://127.0.0.1:" + relay.port() + "/h2c");
      assertThat(body).contains("protocol=HTTP/2.0", "remote=192.0.2.1:56324", "secure=false",
          "header=v2 PROXY");
    }
  }

  @Test
  void everyHttp2StreamOfTheConnectionSeesTheHeader() throws Exception {
    try (PrependingProxy relay = new PrependingProxy(h2cPort, V1_01)) {
      HttpClient client = new HttpClient(new HttpClientTransportOverHTTP2(new HTTP2Client()));
      client.start();
      try {
        for (String path : List.of("/a", "/b", "/c")) {
          ContentResponse r = client.newRequest("http://127.0.0.1:" + relay.port() + path)
              .timeout(20, TimeUnit.SECONDS).send();
          assertThat(r.getContentAsString()).contains("path=" + path, "remote=192.168.0.1:56324",
              "header=v1 PROXY");
        }
      } finally {
        client.stop();
      }
    }
  }

  @Test
  void tlsWithoutAHeaderFromATrustedPeerIsClosed() throws Exception {
    long before = tlsProxy.getRejectedMalformed();
    ClientConnector connector = new ClientConnector();
    connector.setSslContextFactory(trustingOurCertificate());
    HttpClient client = new HttpClient(new HttpClientTransportOverHTTP(connector));
    client.start();
    try {
      org.assertj.core.api.Assertions.assertThatThrownBy(
              () -> client.newRequest("https://127.0.0.1:" + tlsPort + "/")
                  .timeout(20, TimeUnit.SECONDS).send())
          .isNotNull();
    } finally {
      client.stop();
    }
    assertThat(tlsProxy.getRejectedMalformed()).isGreaterThan(before);
  }
}

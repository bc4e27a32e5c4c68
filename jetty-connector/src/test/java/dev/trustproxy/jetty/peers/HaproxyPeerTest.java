package dev.trustproxy.jetty.peers;

import static org.assertj.core.api.Assertions.assertThat;

import dev.trustproxy.testsupport.ExternalProcess;
import dev.trustproxy.testsupport.Peer;
import dev.trustproxy.testsupport.RealPeers;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * HAProxy 2.6 in front of the connector: {@code send-proxy} (v1), {@code send-proxy-v2} with a
 * CRC32C, a TLS frontend with {@code send-proxy-v2-ssl} and the authority, unique-id and cipher
 * TLVs, mutual TLS with {@code send-proxy-v2-ssl-cn}, TLS passed through to Jetty's own TLS, and
 * health checks that send v2 LOCAL. The config is {@code peers/haproxy.cfg}.
 */
@RealPeers({Peer.HAPROXY, Peer.CURL, Peer.OPENSSL})
@Timeout(60)
class HaproxyPeerTest {

  private static final String SNI_NAME = "peers.test";
  private static final String CLIENT_NAME = "peers-client";

  @TempDir
  static Path work;

  private static EchoServer jetty;
  private static EchoServer healthJetty;
  private static EchoServer tlsJetty;
  private static ExternalProcess haproxy;
  private static TestCertificate certificate;
  private static TestCertificate clientCertificate;
  private static int v1Port;
  private static int v2Port;
  private static int tlsPort;
  private static int passthroughPort;
  private static int mtlsPort;

  @BeforeAll
  static void startHaproxy() throws Exception {
    String haproxyBinary = Peer.HAPROXY.path();
    certificate = TestCertificate.create(work, SNI_NAME);
    clientCertificate = TestCertificate.create(work, CLIENT_NAME);

    // haproxy connects from 127.0.0.1; clients use other loopback addresses.
    jetty = EchoServer.start(proxy -> {
      proxy.setTrustedSources("127.0.0.1");
      proxy.setSslTlvMarksSecure(true);
    });
    healthJetty = EchoServer.start(proxy -> proxy.setTrustedSources("127.0.0.1"));
    tlsJetty = EchoServer.startTls(proxy -> proxy.setTrustedSources("127.0.0.1"), certificate);

    int readyPort = ExternalProcess.freePort();
    v1Port = ExternalProcess.freePort();
    v2Port = ExternalProcess.freePort();
    tlsPort = ExternalProcess.freePort();
    passthroughPort = ExternalProcess.freePort();
    mtlsPort = ExternalProcess.freePort();
    Map<String, Object> values = new LinkedHashMap<>();
    values.put("READY_PORT", readyPort);
    values.put("V1_PORT", v1Port);
    values.put("V2_PORT", v2Port);
    values.put("TLS_PORT", tlsPort);
    values.put("MTLS_PORT", mtlsPort);
    values.put("PASSTHROUGH_PORT", passthroughPort);
    values.put("JETTY_PORT", jetty.port());
    values.put("HEALTH_JETTY_PORT", healthJetty.port());
    values.put("TLS_JETTY_PORT", tlsJetty.port());
    values.put("CERTIFICATE", certificate.combined());
    values.put("CLIENT_CA", clientCertificate.certificate());
    Path config = PeerPrograms.writeConfig(work, "haproxy.cfg", values);
    haproxy = ExternalProcess.start("haproxy", work,
        List.of(haproxyBinary, "-db", "-f", config.toString()));
    haproxy.awaitPort(readyPort, Duration.ofSeconds(10));
  }

  @AfterAll
  static void stopHaproxy() throws Exception {
    PeerPrograms.closeAll(haproxy, jetty, healthJetty, tlsJetty);
  }

  @Test
  void sendProxyV1CarriesTheClientAndTheFrontendAddress() {
    Curl curl = Curl.from("127.0.0.11");

    Curl.Response response = curl.get("http://127.0.0.1:" + v1Port + "/v1");

    assertThat(response.status()).as(() -> context(response)).isEqualTo(200);
    assertThat(response.echo()).as(() -> context(response))
        .containsEntry("remote.addr", "127.0.0.11")
        .containsEntry("remote.port", String.valueOf(curl.localPort()))
        .containsEntry("local.addr", "127.0.0.1")
        .containsEntry("local.port", String.valueOf(v1Port))
        .containsEntry("secure", "false")
        .containsEntry("proxy.version", "1")
        .containsEntry("proxy.command", "PROXY")
        .containsEntry("proxy.source", "127.0.0.11:" + curl.localPort())
        .containsEntry("proxy.destination", "127.0.0.1:" + v1Port)
        .containsEntry("proxy.tlvTypes", "");
  }

  @Test
  void sendProxyV2WithCrc32cIsVerifiedAndAccepted() {
    Curl curl = Curl.from("127.0.0.12");

    Curl.Response response = curl.get("http://127.0.0.1:" + v2Port + "/v2");

    assertThat(response.status()).as(() -> context(response)).isEqualTo(200);
    assertThat(response.echo()).as(() -> context(response))
        .containsEntry("remote.addr", "127.0.0.12")
        .containsEntry("remote.port", String.valueOf(curl.localPort()))
        .containsEntry("local.addr", "127.0.0.1")
        .containsEntry("local.port", String.valueOf(v2Port))
        .containsEntry("secure", "false")
        .containsEntry("proxy.version", "2")
        .containsEntry("proxy.command", "PROXY")
        .containsEntry("proxy.family", "INET")
        .containsEntry("proxy.source", "127.0.0.12:" + curl.localPort())
        .containsEntry("proxy.destination", "127.0.0.1:" + v2Port)
        .containsEntry("proxy.tlvTypes", "0x03")
        .doesNotContainKey("proxy.ssl.clientSsl");
    assertThat(response.get("proxy.crc32c")).matches("[0-9a-f]{8}");
  }

  static Stream<Arguments> tlsClients() {
    return Stream.of(
        Arguments.of("TLS 1.3 AES-128-GCM, HTTP/1.1",
            List.of("--tlsv1.3", "--tls13-ciphers", "TLS_AES_128_GCM_SHA256", "--http1.1"),
            "TLSv1.3", "TLS_AES_128_GCM_SHA256", "http/1.1"),
        Arguments.of("TLS 1.3 CHACHA20, HTTP/2",
            List.of("--tlsv1.3", "--tls13-ciphers", "TLS_CHACHA20_POLY1305_SHA256", "--http2"),
            "TLSv1.3", "TLS_CHACHA20_POLY1305_SHA256", "h2"),
        Arguments.of("TLS 1.2 ECDHE-RSA-AES256-GCM, HTTP/1.1",
            List.of("--tlsv1.2", "--tls-max", "1.2", "--ciphers", "ECDHE-RSA-AES256-GCM-SHA384",
                "--http1.1"),
            "TLSv1.2", "ECDHE-RSA-AES256-GCM-SHA384", "http/1.1"));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("tlsClients")
  void tlsFrontendSendsTheClientsTlsFactsAsTlvs(String name, List<String> tlsOptions,
      String tlsVersion, String cipher, String alpn) {
    List<String> options = new ArrayList<>(List.of("--cacert", certificate.certificate().toString(),
        "--resolve", SNI_NAME + ":" + tlsPort + ":127.0.0.1"));
    options.addAll(tlsOptions);
    Curl curl = Curl.from("127.0.0.13").with(options.toArray(String[]::new));

    Curl.Response response = curl.get("https://" + SNI_NAME + ":" + tlsPort + "/tls");

    assertThat(response.status()).as(() -> context(response)).isEqualTo(200);
    assertThat(response.echo()).as(() -> context(response))
        .containsEntry("remote.addr", "127.0.0.13")
        .containsEntry("remote.port", String.valueOf(curl.localPort()))
        .containsEntry("local.port", String.valueOf(tlsPort))
        .containsEntry("proxy.version", "2")
        .containsEntry("proxy.source", "127.0.0.13:" + curl.localPort())
        .containsEntry("proxy.authority", SNI_NAME)
        .containsEntry("proxy.uniqueId", "tp-127.0.0.13-" + curl.localPort())
        .containsEntry("proxy.alpn", alpn)
        .containsEntry("proxy.ssl.clientSsl", "true")
        .containsEntry("proxy.ssl.verify", "0")
        .containsEntry("proxy.ssl.version", tlsVersion)
        .containsEntry("proxy.ssl.cipher", cipher)
        .containsEntry("proxy.ssl.client", "1")
        .containsEntry("proxy.ssl.certificateVerified", "false")
        .doesNotContainKey("proxy.ssl.cn")
        .containsEntry("secure", "true")
        .containsEntry("scheme", "https");
    assertThat(response.get("proxy.crc32c")).matches("[0-9a-f]{8}");
  }

  @Test
  void verifiedClientCertificateArrivesAsCommonName() {
    Curl curl = Curl.from("127.0.0.15").with("--cacert", certificate.certificate().toString(),
        "--cert", clientCertificate.certificate().toString(),
        "--key", clientCertificate.key().toString(),
        "--resolve", SNI_NAME + ":" + mtlsPort + ":127.0.0.1", "--http1.1");

    Curl.Response response = curl.get("https://" + SNI_NAME + ":" + mtlsPort + "/mtls");

    assertThat(response.status()).as(() -> context(response)).isEqualTo(200);
    assertThat(response.echo()).as(() -> context(response))
        .containsEntry("remote.addr", "127.0.0.15")
        .containsEntry("remote.port", String.valueOf(curl.localPort()))
        .containsEntry("proxy.ssl.client", "7")
        .containsEntry("proxy.ssl.verify", "0")
        .containsEntry("proxy.ssl.certificateVerified", "true")
        .containsEntry("proxy.ssl.cn", CLIENT_NAME)
        .containsKey("proxy.ssl.cipher")
        .containsEntry("secure", "true");
  }

  @Test
  void tlsPassedThroughIsTerminatedByJettyAfterTheHeader() {
    Curl curl = Curl.from("127.0.0.14").with("--cacert", certificate.certificate().toString(),
        "--resolve", SNI_NAME + ":" + passthroughPort + ":127.0.0.1", "--http1.1");

    Curl.Response response = curl.get("https://" + SNI_NAME + ":" + passthroughPort + "/tls");

    assertThat(response.status()).as(() -> context(response)).isEqualTo(200);
    assertThat(response.echo()).as(() -> context(response))
        .containsEntry("remote.addr", "127.0.0.14")
        .containsEntry("remote.port", String.valueOf(curl.localPort()))
        .containsEntry("local.port", String.valueOf(passthroughPort))
        .containsEntry("proxy.version", "2")
        .containsEntry("proxy.source", "127.0.0.14:" + curl.localPort())
        .containsEntry("proxy.tlvTypes", "")
        .containsEntry("secure", "true")
        .containsEntry("scheme", "https");
  }

  @Test
  void healthCheckSendsLocalAndJettyKeepsTheRealEndpoints() throws InterruptedException {
    // haproxy checks every 500 ms on its own; wait (bounded) for the first one to arrive.
    Map<String, String> check = healthJetty.seen().poll(15, TimeUnit.SECONDS);

    assertThat(check).as(() -> context("no health check reached Jetty")).isNotNull();
    assertThat(check).as(() -> context(check))
        .containsEntry("path", "/health")
        .containsEntry("proxy.version", "2")
        .containsEntry("proxy.command", "LOCAL")
        .containsEntry("proxy.source", "real")
        .containsEntry("proxy.destination", "real")
        .containsEntry("remote.addr", "127.0.0.1")
        .containsEntry("local.addr", "127.0.0.1")
        .containsEntry("local.port", String.valueOf(healthJetty.port()));
  }

  /** What a failure message needs: what the client got and what haproxy logged. */
  private static String context(Object got) {
    return got + "\n--- haproxy output ---\n" + haproxy.log();
  }
}

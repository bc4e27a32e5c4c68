package dev.trustproxy.tomcat;

import static org.assertj.core.api.Assertions.assertThat;

import dev.trustproxy.testsupport.RawClient;
import dev.trustproxy.proxyprotocol.ProxyProtocolCounters.Outcome;
import dev.trustproxy.testsupport.ExternalProcess;
import dev.trustproxy.testsupport.Peer;
import dev.trustproxy.testsupport.RealPeers;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.catalina.connector.Connector;
import org.apache.coyote.http2.Http2Protocol;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Real PROXY senders in front of the Tomcat connector: HAProxy ({@code send-proxy}, {@code
 * send-proxy-v2} with CRC32C, TLS terminated with {@code send-proxy-v2-ssl}, TLS passed through to
 * Tomcat's own TLS), nginx's stream module ({@code proxy_protocol on}) and {@code curl
 * --haproxy-protocol} (HTTP/1.1, h2c, and PROXY then TLS with HTTP/2 by ALPN). The proxies connect
 * from 127.0.0.1, the only trusted source; clients come from other loopback addresses, so the
 * address the servlet sees can only come from the header.
 */
@RealPeers({Peer.HAPROXY, Peer.NGINX, Peer.NGINX_STREAM_MODULE, Peer.CURL, Peer.OPENSSL})
@Timeout(120)
class RealPeersTest {

  /** How long haproxy and nginx may take to listen on a loaded, shared machine. */
  private static final Duration STARTUP = Duration.ofSeconds(20);

  @TempDir static Path work;

  private static TlsMaterial tls;
  /** Behind haproxy and nginx: trusts 127.0.0.1 only. */
  private static ProxyProtocolTomcat behindProxies;
  /** Behind haproxy's TLS pass-through: Tomcat terminates TLS after the header. */
  private static ProxyProtocolTomcat tlsBehindProxies;
  /** curl connects directly, from 127.0.0.7. */
  private static ProxyProtocolTomcat forCurl;
  private static ProxyProtocolTomcat tlsForCurl;
  private static ExternalProcess haproxy;
  private static ExternalProcess nginx;
  private static int haproxyV1;
  private static int haproxyV2;
  private static int haproxyTls;
  private static int haproxyPassthrough;
  private static int nginxPort;
  private static String curl;

  private static void http2(Connector connector) {
    connector.addUpgradeProtocol(new Http2Protocol());
  }

  @BeforeAll
  static void start() throws Exception {
    curl = Peer.CURL.path();
    tls = TlsMaterial.create(work);
    behindProxies = ProxyProtocolTomcat.start("127.0.0.1",
        c -> c.setProperty("proxyProtocolSslTlvMarksSecure", "true"));
    tlsBehindProxies = ProxyProtocolTomcat.start("127.0.0.1", tls::configure);
    forCurl = ProxyProtocolTomcat.start("127.0.0.7", RealPeersTest::http2);
    tlsForCurl = ProxyProtocolTomcat.start("127.0.0.7", c -> {
      tls.configure(c);
      http2(c);
    });

    Path combined = work.resolve("combined.pem");
    Files.writeString(combined, Files.readString(tls.certificate()) + Files.readString(tls.key()));
    haproxyV1 = ExternalProcess.freePort();
    haproxyV2 = ExternalProcess.freePort();
    haproxyTls = ExternalProcess.freePort();
    haproxyPassthrough = ExternalProcess.freePort();
    String cfg = """
        global
          log stderr format raw local0 info
        defaults
          mode tcp
          log global
          timeout connect 2s
          timeout client 10s
          timeout server 10s
        frontend v1
          bind 127.0.0.1:%1$d
          default_backend v1
        backend v1
          server tomcat 127.0.0.1:%5$d send-proxy
        frontend v2
          bind 127.0.0.1:%2$d
          default_backend v2
        backend v2
          server tomcat 127.0.0.1:%5$d send-proxy-v2 proxy-v2-options crc32c
        frontend tls
          mode http
          bind 127.0.0.1:%3$d ssl crt %7$s
          default_backend tls
        backend tls
          mode http
          server tomcat 127.0.0.1:%5$d send-proxy-v2-ssl proxy-v2-options ssl,crc32c,authority
        frontend passthrough
          bind 127.0.0.1:%4$d
          default_backend passthrough
        backend passthrough
          server tomcat 127.0.0.1:%6$d send-proxy-v2
        """.formatted(haproxyV1, haproxyV2, haproxyTls, haproxyPassthrough,
        behindProxies.port(), tlsBehindProxies.port(), combined);
    Path haproxyCfg = Files.writeString(work.resolve("haproxy.cfg"), cfg);
    haproxy = ExternalProcess.start("haproxy", work,
        List.of(Peer.HAPROXY.path(), "-db", "-f", haproxyCfg.toString()));
    haproxy.awaitPort(haproxyPassthrough, STARTUP);

    nginxPort = ExternalProcess.freePort();
    String conf = """
        load_module %1$s;
        worker_processes 1;
        pid %2$s/nginx.pid;
        error_log %2$s/nginx-error.log info;
        events { worker_connections 64; }
        stream {
          server {
            listen 127.0.0.1:%3$d;
            proxy_pass 127.0.0.1:%4$d;
            proxy_protocol on;
            proxy_connect_timeout 2s;
          }
        }
        """.formatted(Peer.NGINX_STREAM_MODULE.path(), work, nginxPort, behindProxies.port());
    Path nginxConf = Files.writeString(work.resolve("nginx.conf"), conf);
    nginx = ExternalProcess.start("nginx", work, List.of(Peer.NGINX.path(), "-p", work.toString(),
        "-e", work.resolve("nginx-error.log").toString(), "-c", nginxConf.toString(),
        "-g", "daemon off;"));
    nginx.awaitPort(nginxPort, STARTUP);
  }

  @AfterAll
  static void stop() throws Exception {
    for (AutoCloseable c : new AutoCloseable[] {haproxy, nginx, behindProxies, tlsBehindProxies,
        forCurl, tlsForCurl}) {
      if (c != null) {
        c.close();
      }
    }
  }

  /** curl from {@code clientAddress}; {@code options} before the URL. */
  private static Map<String, String> curl(String clientAddress, String url, String... options) {
    return RawClient.echoBody(runCurl(clientAddress, url, options).requireSuccess().stdout());
  }

  private static ExternalProcess.Result runCurl(String clientAddress, String url,
      String... options) {
    List<String> command = new ArrayList<>(List.of(curl, "-sS", "--max-time", "15",
        "--interface", clientAddress, "--cacert", tls.certificate().toString()));
    command.addAll(List.of(options));
    command.add(url);
    return ExternalProcess.run(Duration.ofSeconds(30), command);
  }

  private static String resolve(int port) {
    return "localhost:" + port + ":127.0.0.1";
  }

  private static long count(ProxyProtocolTomcat tomcat, Outcome outcome) {
    return tomcat.protocol().getProxyProtocolCounters().count(outcome);
  }

  @Test
  void haproxySendProxyV1() {
    long before = count(behindProxies, Outcome.ACCEPTED_V1);
    assertThat(curl("127.0.0.2", "http://127.0.0.1:" + haproxyV1 + "/"))
        .containsEntry("remoteAddr", "127.0.0.2").containsEntry("localPort", Integer.toString(haproxyV1));
    assertThat(count(behindProxies, Outcome.ACCEPTED_V1)).isEqualTo(before + 1);
  }

  @Test
  void haproxySendProxyV2WithCrc32c() throws Exception {
    long before = count(behindProxies, Outcome.ACCEPTED_V2);
    assertThat(curl("127.0.0.2", "http://127.0.0.1:" + haproxyV2 + "/"))
        .containsEntry("remoteAddr", "127.0.0.2").containsEntry("localPort", Integer.toString(haproxyV2));
    assertThat(count(behindProxies, Outcome.ACCEPTED_V2)).isEqualTo(before + 1);
    assertThat(behindProxies.latestHeader().tlv(0x03)).isPresent();
  }

  @Test
  void haproxyTerminatingTlsSendsTheSslTlvWhichMarksTheRequestSecure() throws Exception {
    assertThat(curl("127.0.0.2", "https://localhost:" + haproxyTls + "/",
            "--resolve", resolve(haproxyTls)))
        .containsEntry("remoteAddr", "127.0.0.2")
        .containsEntry("scheme", "https")
        .containsEntry("secure", "true");
    var header = behindProxies.latestHeader();
    assertThat(header.ssl()).hasValueSatisfying(s -> assertThat(s.clientSsl()).isTrue());
    assertThat(header.authority()).hasValue("localhost");
  }

  @Test
  void haproxyPassingTlsThroughToTomcatsOwnTls() throws Exception {
    assertThat(curl("127.0.0.2", "https://localhost:" + haproxyPassthrough + "/",
            "--resolve", resolve(haproxyPassthrough)))
        .containsEntry("remoteAddr", "127.0.0.2")
        .containsEntry("scheme", "https");
  }

  @Test
  void nginxStreamProxyProtocolOn() {
    long before = count(behindProxies, Outcome.ACCEPTED_V1);
    assertThat(curl("127.0.0.3", "http://127.0.0.1:" + nginxPort + "/"))
        .containsEntry("remoteAddr", "127.0.0.3");
    assertThat(count(behindProxies, Outcome.ACCEPTED_V1)).isEqualTo(before + 1);
  }

  @Test
  void curlHaproxyProtocolHttp11H2cAndUpgrade() throws Exception {
    String url = "http://127.0.0.1:" + forCurl.port() + "/";
    assertThat(curl("127.0.0.7", url, "--haproxy-protocol"))
        .containsEntry("remoteAddr", "127.0.0.7").containsEntry("protocol", "HTTP/1.1");
    assertThat(curl("127.0.0.7", url, "--haproxy-protocol", "--http2-prior-knowledge"))
        .containsEntry("remoteAddr", "127.0.0.7").containsEntry("protocol", "HTTP/2.0")
        .containsEntry("header", "true");
    // HTTP/1.1 Upgrade: h2c; curl sends the header first, Tomcat upgrades the same connection.
    assertThat(curl("127.0.0.7", url, "--haproxy-protocol", "--http2"))
        .containsEntry("remoteAddr", "127.0.0.7").containsEntry("protocol", "HTTP/2.0")
        .containsEntry("header", "true");
    assertThat(count(forCurl, Outcome.ACCEPTED_V1)).isEqualTo(3);
  }

  @Test
  void curlHaproxyProtocolThenTlsWithHttp2ByAlpn() throws Exception {
    String url = "https://localhost:" + tlsForCurl.port() + "/";
    assertThat(curl("127.0.0.7", url, "--haproxy-protocol", "--http1.1",
            "--resolve", resolve(tlsForCurl.port())))
        .containsEntry("remoteAddr", "127.0.0.7").containsEntry("scheme", "https")
        .containsEntry("protocol", "HTTP/1.1");
    assertThat(curl("127.0.0.7", url, "--haproxy-protocol", "--http2",
            "--resolve", resolve(tlsForCurl.port())))
        .containsEntry("remoteAddr", "127.0.0.7").containsEntry("protocol", "HTTP/2.0")
        .containsEntry("header", "true");
  }

  @Test
  void curlWithoutTheHeaderIsClosed() {
    long before = count(forCurl, Outcome.REJECTED_MALFORMED);
    ExternalProcess.Result result = runCurl("127.0.0.7", "http://127.0.0.1:" + forCurl.port() + "/");
    assertThat(result.exitCode()).as(result::toString).isNotZero();
    assertThat(count(forCurl, Outcome.REJECTED_MALFORMED)).isEqualTo(before + 1);
  }
}

package dev.trustproxy.jetty.peers;

import static org.assertj.core.api.Assertions.assertThat;

import dev.trustproxy.testsupport.ExternalProcess;
import dev.trustproxy.testsupport.Nginx;
import dev.trustproxy.testsupport.Ipv6Loopback;
import dev.trustproxy.testsupport.Peer;
import dev.trustproxy.testsupport.RealPeers;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * nginx 1.22 {@code stream} sending v1 {@code TCP6} lines: for a client on {@code ::1}, and for
 * an IPv6 client it learnt from a load balancer's PROXY header (realip) while listening on IPv4,
 * where nginx writes the IPv4 destination into the {@code TCP6} line (the PROXY protocol says the
 * family dictates the format; the factory accepts an IPv4 destination by default, D50-D54, and
 * {@code setAcceptIpv4InTcp6(false)} refuses it). The
 * config is {@code peers/nginx-ipv6.conf}. Skipped where the machine has no {@code ::1}.
 */
@RealPeers({Peer.NGINX, Peer.NGINX_STREAM_MODULE, Peer.CURL})
@Timeout(60)
class NginxIpv6PeerTest {

  /** What the load balancer in front of nginx says: an IPv6 client of an IPv6 address. */
  private static final String LOAD_BALANCER_HEADER = "PROXY TCP6 2001:db8::7 2001:db8::1 5555 443\r\n";

  @TempDir
  static Path work;

  /** The factory's defaults (trusting nginx on 127.0.0.1). */
  private static EchoServer defaults;
  /** The same with {@code setAcceptIpv4InTcp6(false)}. */
  private static EchoServer refusesIpv4InTcp6;
  private static ExternalProcess nginx;
  private static int ipv6Port;
  private static int mixedDefaultPort;
  private static int mixedAcceptingPort;

  @BeforeAll
  static void startNginx() throws Exception {
    Ipv6Loopback.assume();
    defaults = EchoServer.start(proxy -> proxy.setTrustedSources("127.0.0.1"));
    refusesIpv4InTcp6 = EchoServer.start(proxy -> {
      proxy.setTrustedSources("127.0.0.1");
      proxy.setAcceptIpv4InTcp6(false);
    });
    int readyPort = ExternalProcess.freePort();
    ipv6Port = ExternalProcess.freePort();
    mixedDefaultPort = ExternalProcess.freePort();
    mixedAcceptingPort = ExternalProcess.freePort();
    Map<String, Object> values = new LinkedHashMap<>();
    values.put("STREAM_MODULE", Peer.NGINX_STREAM_MODULE.path());
    values.put("WORK_DIR", work);
    values.put("READY_PORT", readyPort);
    values.put("IPV6_PORT", ipv6Port);
    values.put("JETTY_PORT", defaults.port());
    values.put("MIXED_DEFAULT_PORT", mixedDefaultPort);
    values.put("DEFAULT_JETTY_PORT", defaults.port());
    values.put("MIXED_ACCEPTING_PORT", mixedAcceptingPort);
    values.put("ACCEPTING_JETTY_PORT", refusesIpv4InTcp6.port());
    Path config = PeerPrograms.writeConfig(work, "nginx-ipv6.conf", values);
    nginx = Nginx.start(work, config);
    nginx.awaitPort(readyPort, Duration.ofSeconds(10));
  }

  @AfterAll
  static void stopNginx() throws Exception {
    PeerPrograms.closeAll(nginx, defaults, refusesIpv4InTcp6);
  }

  @Test
  void clientOnIpv6LoopbackArrivesThroughNginxAsTcp6() {
    Curl curl = Curl.from("::1");
    long acceptedBefore = defaults.proxy().getAcceptedV1();

    Curl.Response response = curl.get("http://[::1]:" + ipv6Port + "/ipv6");

    assertThat(response.status()).as(() -> context(response)).isEqualTo(200);
    // remote.addr is Jetty's own text for an IPv6 peer: a PROXY connector without
    // TrustProxyCustomizer leaves the formatting to Jetty.
    assertThat(response.echo()).as(() -> context(response))
        .containsEntry("remote.addr", "[0:0:0:0:0:0:0:1]")
        .containsEntry("remote.port", String.valueOf(curl.localPort()))
        .containsEntry("proxy.version", "1")
        .containsEntry("proxy.family", "INET6")
        .containsEntry("proxy.source", "0:0:0:0:0:0:0:1:" + curl.localPort())
        .containsEntry("proxy.destination", "0:0:0:0:0:0:0:1:" + ipv6Port);
    assertThat(defaults.proxy().getAcceptedV1()).isEqualTo(acceptedBefore + 1);
  }

  @Test
  void ipv4DestinationInTcp6IsAcceptedByDefault() throws IOException {
    long acceptedBefore = defaults.proxy().getAcceptedV1();

    String response = throughLoadBalancer(mixedDefaultPort, "/mixed-default");

    assertThat(response).as(() -> context(response)).startsWith("HTTP/1.1 200 ")
        .contains("\nremote.addr=[2001:db8:0:0:0:0:0:7]\n", "\nremote.port=5555\n",
            "\nproxy.family=INET6\n", "\nproxy.source=2001:db8:0:0:0:0:0:7:5555\n",
            "\nproxy.destination=127.0.0.1:" + mixedDefaultPort + "\n");
    assertThat(defaults.proxy().getAcceptedV1()).isEqualTo(acceptedBefore + 1);
  }

  @Test
  void ipv4DestinationInTcp6IsRefusedWhenSwitchedOff() throws IOException {
    long rejectedBefore = refusesIpv4InTcp6.proxy().getRejectedMalformed();

    String response = throughLoadBalancer(mixedAcceptingPort, "/mixed");

    assertThat(response).as(() -> context(response)).isEmpty();
    assertThat(refusesIpv4InTcp6.proxy().getRejectedMalformed()).isEqualTo(rejectedBefore + 1);
  }

  /**
   * One request as a load balancer in front of nginx sends it: its PROXY header naming an IPv6
   * client, then HTTP. Returns everything Jetty answered through nginx ("" if it closed).
   */
  private static String throughLoadBalancer(int nginxPort, String path) throws IOException {
    try (Socket socket = new Socket(InetAddress.getLoopbackAddress(), nginxPort)) {
      socket.setSoTimeout(15_000);
      OutputStream out = socket.getOutputStream();
      out.write((LOAD_BALANCER_HEADER + "GET " + path + " HTTP/1.1\r\nHost: peers.test\r\n"
          + "Connection: close\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
      out.flush();
      InputStream in = socket.getInputStream();
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    }
  }

  /** What a failure message needs: what the client got and what nginx logged. */
  private static String context(Object got) {
    return got + "\n--- nginx output ---\n" + nginx.log() + "\n--- nginx error.log ---\n"
        + Nginx.errorLog(work);
  }
}

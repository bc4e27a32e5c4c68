package dev.trustproxy.jetty;

import static org.assertj.core.api.Assertions.assertThat;

import dev.trustproxy.IpAddress;
import dev.trustproxy.Resolution;
import dev.trustproxy.testsupport.RawClient;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import org.eclipse.jetty.io.Content;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.HttpConfiguration;
import org.eclipse.jetty.server.HttpConnectionFactory;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.util.Callback;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.slf4j.MDC;

/**
 * {@link TrustProxyCustomizer} with {@code forwardedHeader} naming a single-address header (README
 * D90-D93), and {@link ClientMdcHandler} around core handlers (D94, D96; servlet dispatches, also
 * a later ASYNC one, are in container-tests' {@code JettyClientMdcTest} on ee10 and ee11), on a
 * real Jetty server hit from 127.0.0.1 with exactly the field lines of each row ({@code ;;}
 * separates lines).
 */
class TrustProxyCustomizerSingleHeaderTest {

  static final String KEY = "client.address";

  @ParameterizedTest(name = "{0}")
  @CsvSource(delimiter = '|', nullValues = "-", textBlock = """
      trusted peer, IPv4                 | loopback   | -          | X-Real-IP        | 203.0.113.7               | 203.0.113.7 | x-real-ip        | null
      trusted peer, IPv6 made canonical  | loopback   | -          | X-Real-IP        | 2001:DB8:0::7             | 2001:db8::7 | x-real-ip        | null
      IPv6 in brackets                   | loopback   | -          | X-Real-IP        | [2001:db8::7]             | 2001:db8::7 | x-real-ip        | null
      Fastly-Client-IP                   | loopback   | -          | Fastly-Client-IP | 198.51.100.4              | 198.51.100.4 | fastly-client-ip | null
      untrusted peer                     | 10.0.0.0/8 | -          | X-Real-IP        | 203.0.113.7               | 127.0.0.1   | null             | null
      hop count, peer outside the gate   | 1          | 10.0.0.0/8 | X-Real-IP        | 203.0.113.7               | 127.0.0.1   | null             | null
      two field lines                    | loopback   | -          | X-Real-IP        | 203.0.113.7;;203.0.113.8  | 127.0.0.1   | null             | SEVERAL_FIELD_LINES
      a list                             | loopback   | -          | X-Real-IP        | 203.0.113.7,203.0.113.8   | 127.0.0.1   | null             | LIST
      a port                             | loopback   | -          | X-Real-IP        | 203.0.113.7:4711          | 127.0.0.1   | null             | PORT
      an IPv6 port                       | loopback   | -          | X-Real-IP        | [2001:db8::7]:4711        | 127.0.0.1   | null             | PORT
      not an address                     | loopback   | -          | X-Real-IP        | client.example            | 127.0.0.1   | null             | NOT_AN_ADDRESS
      """)
  void singleAddressHeadersThroughTheCustomizer(String name, String trust, String peers,
      String header, String values, String remote, String clientHeader, String rejection)
      throws Exception {
    Map<String, String> echo = serve(customizer(trust, peers, header), null,
        lines(header, values) + "X-Forwarded-For: 192.0.2.66\r\n");
    // Jetty prints an IPv6 remote address long and in brackets; the address is the client's.
    String jettyRemote = echo.get("remote").replace("[", "").replace("]", "");
    assertThat(IpAddress.parse(jettyRemote)).hasToString(remote);
    assertThat(echo).containsEntry("client", remote)
        .containsEntry("clientHeader", clientHeader)
        .containsEntry("rejection", rejection);
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource(delimiter = '|', textBlock = """
      trusted peer: proto and host apply beside X-Real-IP | loopback   | https | shop.example
      untrusted peer: neither applies                     | 10.0.0.0/8 | http  | localhost
      """)
  void forwardedSchemeAndHostFollowThePeersTrust(String name, String trust, String scheme,
      String server) throws Exception {
    Map<String, String> echo = serve(customizer(trust, null, "x-real-ip"), null,
        "X-Real-IP: 203.0.113.7\r\nX-Forwarded-Proto: https\r\n"
            + "X-Forwarded-Host: shop.example\r\n");
    assertThat(echo).containsEntry("scheme", scheme).containsEntry("server", server);
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource(delimiter = '|', nullValues = "-", textBlock = """
      in the handler, gone after                | client.address | -     | 203.0.113.7 | null
      an outer value is put back                | client.address | outer | 203.0.113.7 | outer
      the peer when the header is not believed  | client.address | -     | 127.0.0.1   | null
      off without a key                         | ' '            | -     | null        | null
      """)
  void theClientIsInTheMdcWhileTheWrappedHandlerRuns(String name, String key, String preset,
      String inside, String after) throws Exception {
    String value = inside != null && inside.equals("127.0.0.1") ? "unknown" : "203.0.113.7";
    Map<String, String> echo = serve(customizer("loopback", null, "x-real-ip"), key,
        "X-Real-IP: " + value + "\r\n" + (preset == null ? "" : "X-Preset: " + preset + "\r\n"));
    assertThat(echo).containsEntry("mdc", inside).containsEntry("after", after);
  }

  /** A started server on 127.0.0.1, port 0, with {@code c} on its connector. */
  private static Server start(TrustProxyCustomizer c, Handler handler) throws Exception {
    Server server = new Server();
    HttpConfiguration config = new HttpConfiguration();
    config.addCustomizer(c);
    ServerConnector connector = new ServerConnector(server, new HttpConnectionFactory(config));
    connector.setHost("127.0.0.1");
    connector.setPort(0);
    server.addConnector(connector);
    server.setHandler(handler);
    server.start();
    return server;
  }

  private static int port(Server server) {
    return ((ServerConnector) server.getConnectors()[0]).getLocalPort();
  }

  private static TrustProxyCustomizer customizer(String trust, String peers, String header) {
    TrustProxyCustomizer c = new TrustProxyCustomizer();
    c.setTrustProxy(trust);
    c.setTrustedPeers(peers);
    c.setForwardedHeader(header);
    return c;
  }

  private static String lines(String header, String values) {
    StringBuilder sb = new StringBuilder();
    for (String value : values.split(";;", -1)) {
      sb.append(header).append(": ").append(value).append("\r\n");
    }
    return sb.toString();
  }

  /**
   * One request from 127.0.0.1 with {@code headers}: an outer handler (presets the MDC from
   * {@code X-Preset}, and answers after the rest returned, with what the MDC then holds), the
   * {@link ClientMdcHandler} with {@code mdcKey} (none when null), and an inner handler that
   * notes what it sees.
   */
  private static Map<String, String> serve(TrustProxyCustomizer c, String mdcKey, String headers)
      throws Exception {
    Handler inner = new Handler.Abstract() {
      @Override
      public boolean handle(Request request, Response response, Callback callback) {
        Resolution r = (Resolution) request.getAttribute(Resolution.ATTRIBUTE);
        request.setAttribute("echo", "remote=" + Request.getRemoteAddr(request) + "\n"
            + "scheme=" + request.getHttpURI().getScheme() + "\n"
            + "server=" + Request.getServerName(request) + "\n"
            + "client=" + r.client() + "\n"
            + "clientHeader=" + r.clientHeader() + "\n"
            + "rejection=" + r.rejection() + "\n"
            + "mdc=" + MDC.get(KEY) + "\n");
        return true;
      }
    };
    Handler mdc = mdcKey == null ? inner : new ClientMdcHandler(mdcKey, inner);
    Server server = start(c, new Handler.Wrapper(mdc) {
      @Override
      public boolean handle(Request request, Response response, Callback callback)
          throws Exception {
        String preset = request.getHeaders().get("X-Preset");
        if (preset != null) {
          MDC.put(KEY, preset);
        }
        try {
          super.handle(request, response, callback);
          String body = request.getAttribute("echo") + "after=" + MDC.get(KEY) + "\n";
          Content.Sink.write(response, true, body, callback);
          return true;
        } finally {
          MDC.remove(KEY);
        }
      }
    });
    try (RawClient client = new RawClient(port(server))) {
      String request = "GET / HTTP/1.1\r\nHost: localhost\r\n" + headers
          + "Connection: close\r\n\r\n";
      return client.send(request.getBytes(StandardCharsets.ISO_8859_1)).readUntilClosed().echo();
    } finally {
      server.stop();
    }
  }
}

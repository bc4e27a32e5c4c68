package dev.trustproxy.servlet;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.trustproxy.servlet.EmbeddedJetty.HttpResult;
import jakarta.servlet.DispatcherType;
import jakarta.servlet.ServletException;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import org.eclipse.jetty.ee10.servlet.FilterHolder;
import org.eclipse.jetty.ee10.servlet.ServletContextHandler;
import org.eclipse.jetty.ee10.servlet.ServletHolder;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.handler.ContextHandlerCollection;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * The filter in real Jetty 12 ee10 with {@code forwarded-header} naming a single-address header
 * (README D90-D93), over HTTP from 127.0.0.1 with exactly the field lines of each row ({@code ;;}
 * separates lines). {@code /trusted} trusts loopback; {@code /untrusted} trusts only 10.0.0.0/8;
 * {@code /gated} trusts one hop but only from peers in 10.0.0.0/8.
 */
class SingleAddressHeaderJettyTest {

  private static Server server;
  private static int port;

  @BeforeAll
  static void startServer() throws Exception {
    ContextHandlerCollection contexts = new ContextHandlerCollection();
    contexts.addHandler(context("/trusted", "loopback", null, "X-Real-IP"));
    contexts.addHandler(context("/untrusted", "10.0.0.0/8", null, "X-Real-IP"));
    contexts.addHandler(context("/gated", "1", "10.0.0.0/8", "X-Real-IP"));
    contexts.addHandler(context("/cf", "loopback", null, "cf-connecting-ip"));
    server = EmbeddedJetty.start(contexts);
    port = EmbeddedJetty.port(server);
  }

  @AfterAll
  static void stopServer() throws Exception {
    EmbeddedJetty.stop(server);
  }

  /** A context whose filter is configured by init-params, as from web.xml. */
  static ServletContextHandler context(String path, String trust, String peers, String header) {
    ServletContextHandler context = new ServletContextHandler();
    context.setContextPath(path);
    FilterHolder holder = new FilterHolder(TrustProxyFilter.class);
    holder.setInitParameter("trust-proxy", trust);
    if (peers != null) {
      holder.setInitParameter("trusted-peers", peers);
    }
    holder.setInitParameter("forwarded-header", header);
    holder.setInitParameter("jmx", "false");
    context.addFilter(holder, "/*", EnumSet.allOf(DispatcherType.class));
    context.addServlet(new ServletHolder(new EchoServlet()), "/echo");
    return context;
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource(delimiter = '|', nullValues = "-", textBlock = """
      trusted peer, IPv4                  | /trusted   | X-Real-IP        | 203.0.113.7                 | 203.0.113.7 | x-real-ip        | null                | false
      header names are case-insensitive   | /trusted   | x-REAL-ip        | 203.0.113.7                 | 203.0.113.7 | x-real-ip        | null                | false
      trusted peer, IPv6                  | /trusted   | X-Real-IP        | 2001:DB8::0:1               | 2001:db8::1 | x-real-ip        | null                | false
      trusted peer, IPv6 in brackets      | /trusted   | X-Real-IP        | [2001:db8::1]               | 2001:db8::1 | x-real-ip        | null                | false
      CF-Connecting-IP                    | /cf        | CF-Connecting-IP | 198.51.100.4                | 198.51.100.4 | cf-connecting-ip | null               | false
      untrusted peer                      | /untrusted | X-Real-IP        | 203.0.113.7                 | 127.0.0.1   | null             | null                | true
      hop count, peer outside the gate    | /gated     | X-Real-IP        | 203.0.113.7                 | 127.0.0.1   | null             | null                | true
      two field lines                     | /trusted   | X-Real-IP        | 203.0.113.7;;203.0.113.8    | 127.0.0.1   | null             | SEVERAL_FIELD_LINES | false
      a list                              | /trusted   | X-Real-IP        | '203.0.113.7, 203.0.113.8'  | 127.0.0.1   | null             | LIST                | false
      IPv4 with a port                    | /trusted   | X-Real-IP        | 203.0.113.7:8080            | 127.0.0.1   | null             | PORT                | false
      IPv6 with a port                    | /trusted   | X-Real-IP        | [2001:db8::1]:8080          | 127.0.0.1   | null             | PORT                | false
      a host name                         | /trusted   | X-Real-IP        | client.example              | 127.0.0.1   | null             | NOT_AN_ADDRESS      | false
      unknown                             | /trusted   | X-Real-IP        | unknown                     | 127.0.0.1   | null             | NOT_AN_ADDRESS      | false
      only another header of the family   | /cf        | X-Real-IP        | 203.0.113.7                 | 127.0.0.1   | null             | null                | false
      """)
  void singleAddressHeadersThroughTheFilter(String name, String path, String header,
      String lines, String remoteAddr, String clientHeader, String rejection,
      boolean headerIgnored) throws Exception {
    List<String[]> headers = new ArrayList<>();
    for (String line : lines.split(";;", -1)) {
      headers.add(new String[] {header, line});
    }
    headers.add(new String[] {"X-Forwarded-For", "192.0.2.66"});
    HttpResult result = EmbeddedJetty.get(port, path + "/echo", headers);
    assertThat(result.status()).as(result.head()).isEqualTo(200);
    Map<String, String> echo = result.echo();
    assertThat(echo).containsEntry("remoteAddr", remoteAddr)
        .containsEntry("remoteHost", remoteAddr)
        .containsEntry("clientHeader", String.valueOf(clientHeader))
        .containsEntry("rejection", String.valueOf(rejection))
        .containsEntry("headerIgnored", Boolean.toString(headerIgnored));
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource(delimiter = '|', textBlock = """
      trusted peer: X-Forwarded-Proto and -Host beside X-Real-IP apply | /trusted   | https://shop.example/trusted/echo | true
      untrusted peer: neither applies                                  | /untrusted | http://127.0.0.1:{port}/untrusted/echo | false
      """)
  void forwardedSchemeAndHostFollowThePeersTrust(String name, String path, String url,
      boolean secure) throws Exception {
    HttpResult result = EmbeddedJetty.get(port, path + "/echo", List.of(
        new String[] {"X-Real-IP", "203.0.113.7"}, new String[] {"X-Forwarded-Proto", "https"},
        new String[] {"X-Forwarded-Host", "shop.example"}));
    assertThat(result.echo()).containsEntry("requestURL",
            url.replace("{port}", Integer.toString(port)))
        .containsEntry("secure", Boolean.toString(secure));
  }

  @Test
  void aHeaderNameThatIsNotATokenFailsStartUp() {
    assertThatThrownBy(() -> FilterRuns.initialised(Map.of("trust-proxy", "loopback",
            "forwarded-header", "x real ip")))
        .isInstanceOf(ServletException.class)
        .hasMessage("init-param forwarded-header: 'x real ip' is not a header name: expected"
            + " x-forwarded-for, forwarded, or the name of one header holding one address (an"
            + " RFC 9110 token, such as x-real-ip)");
  }
}

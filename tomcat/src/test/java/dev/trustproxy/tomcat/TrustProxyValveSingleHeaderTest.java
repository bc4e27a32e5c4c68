package dev.trustproxy.tomcat;

import static org.assertj.core.api.Assertions.assertThat;

import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.apache.catalina.LifecycleException;
import org.apache.catalina.connector.Request;
import org.apache.catalina.connector.Response;
import org.apache.catalina.valves.ValveBase;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.slf4j.MDC;

/**
 * The valve on a real embedded Tomcat with {@code forwardedHeader} naming a single-address header
 * (README D90-D93) and with {@code mdcKey} (D94), over HTTP from 127.0.0.1. In the tables,
 * {@code ;;} separates field lines.
 */
class TrustProxyValveSingleHeaderTest {

  private static EmbeddedTomcat tomcat(TrustProxyValve valve, MdcProbe probe)
      throws LifecycleException {
    EmbeddedTomcat tomcat = new EmbeddedTomcat()
        .servlet("echo", new EchoServlet(), "/*")
        .servlet("async", new AsyncServlet(), "/async");
    tomcat.engine().getPipeline().addValve(probe);
    tomcat.engine().getPipeline().addValve(valve);
    return tomcat.start();
  }

  private static TrustProxyValve valve(String trust, String peers, String header, String mdc) {
    TrustProxyValve valve = new TrustProxyValve();
    valve.setTrustProxy(trust);
    valve.setTrustedPeers(peers);
    valve.setForwardedHeader(header);
    valve.setMdcKey(mdc);
    return valve;
  }

  private static String[] lines(String header, String values, String... more) {
    List<String> lines = new ArrayList<>();
    for (String value : values.split(";;", -1)) {
      lines.add(header + ": " + value);
    }
    lines.addAll(List.of(more));
    return lines.toArray(String[]::new);
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource(delimiter = '|', nullValues = "-", textBlock = """
      trusted peer, IPv4                 | loopback   | -          | X-Real-IP        | 203.0.113.7               | 203.0.113.7 | x-real-ip      | null
      trusted peer, IPv6 made canonical  | loopback   | -          | X-Real-IP        | 2001:DB8:0::7             | 2001:db8::7 | x-real-ip      | null
      IPv6 in brackets                   | loopback   | -          | X-Real-IP        | [2001:db8::7]             | 2001:db8::7 | x-real-ip      | null
      True-Client-IP                     | loopback   | -          | True-Client-IP   | 198.51.100.4              | 198.51.100.4 | true-client-ip | null
      untrusted peer                     | 10.0.0.0/8 | -          | X-Real-IP        | 203.0.113.7               | 127.0.0.1   | null           | null
      hop count, peer outside the gate   | 1          | 10.0.0.0/8 | X-Real-IP        | 203.0.113.7               | 127.0.0.1   | null           | null
      hop count, peer inside the gate    | 1          | loopback   | X-Real-IP        | 203.0.113.7               | 203.0.113.7 | x-real-ip      | null
      two field lines                    | loopback   | -          | X-Real-IP        | 203.0.113.7;;203.0.113.8  | 127.0.0.1   | null           | SEVERAL_FIELD_LINES
      a list                             | loopback   | -          | X-Real-IP        | 203.0.113.7, 203.0.113.8  | 127.0.0.1   | null           | LIST
      a port                             | loopback   | -          | X-Real-IP        | 203.0.113.7:4711          | 127.0.0.1   | null           | PORT
      an IPv6 port                       | loopback   | -          | X-Real-IP        | [2001:db8::7]:4711        | 127.0.0.1   | null           | PORT
      not an address                     | loopback   | -          | X-Real-IP        | client.example            | 127.0.0.1   | null           | NOT_AN_ADDRESS
      """)
  void singleAddressHeadersThroughTheValve(String name, String trust, String peers,
      String header, String values, String ip, String clientHeader, String rejection)
      throws Exception {
    try (EmbeddedTomcat tomcat = tomcat(valve(trust, peers, header, null), new MdcProbe())) {
      Map<String, String> got = RawHttp.get(tomcat.port(), "/path",
          lines(header, values, "X-Forwarded-For: 192.0.2.66")).values();
      assertThat(got).containsEntry("ip", ip).containsEntry("remoteHost", ip)
          .containsEntry("clientHeader", clientHeader)
          .containsEntry("rejection", rejection);
    }
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource(delimiter = '|', textBlock = """
      trusted peer: proto and host apply beside X-Real-IP | loopback   | https://shop.example/path
      untrusted peer: neither applies                     | 10.0.0.0/8 | http://app.example/path
      """)
  void forwardedSchemeAndHostFollowThePeersTrust(String name, String trust, String url)
      throws Exception {
    try (EmbeddedTomcat tomcat = tomcat(valve(trust, null, "x-real-ip", null), new MdcProbe())) {
      Map<String, String> got = RawHttp.get(tomcat.port(), "/path", "X-Real-IP: 203.0.113.7",
          "X-Forwarded-Proto: https", "X-Forwarded-Host: shop.example").values();
      assertThat(got).containsEntry("requestURL", url);
    }
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource(delimiter = '|', nullValues = "-", textBlock = """
      sync: in the servlet, gone after             | /path  | -     | client.address | REQUEST | 203.0.113.7 | after async=false null
      sync: an outer value is put back             | /path  | outer | client.address | REQUEST | 203.0.113.7 | after async=false outer
      async: set again on the dispatch, then gone  | /async | -     | client.address | ASYNC   | 203.0.113.7 | after async=true null;after async=false null
      async: an outer value is put back each time  | /async | outer | client.address | ASYNC   | 203.0.113.7 | after async=true outer;after async=false outer
      off without mdcKey                           | /path  | -     | ' '            | REQUEST | null        | after async=false null
      """)
  void theClientIsInTheMdcWhileThePipelineRuns(String name, String path, String preset,
      String mdcKey, String dispatcher, String mdc, String after) throws Exception {
    MdcProbe probe = new MdcProbe();
    try (EmbeddedTomcat tomcat = tomcat(valve("loopback", null, "x-real-ip", mdcKey), probe)) {
      Map<String, String> got = preset == null
          ? RawHttp.get(tomcat.port(), path, "X-Real-IP: 203.0.113.7").values()
          : RawHttp.get(tomcat.port(), path, "X-Real-IP: 203.0.113.7",
              MdcProbe.PRESET + ": " + preset).values();
      assertThat(got).containsEntry("dispatcherType", dispatcher).containsEntry("mdc", mdc);
      assertThat(String.join(";", probe.after)).isEqualTo(after);
    }
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource(delimiter = '|', textBlock = """
      trusted peer: the access log shows the client | loopback   | 203.0.113.7 203.0.113.7 app.example 443 peer=127.0.0.1 | true
      untrusted peer: it shows the connection       | 10.0.0.0/8 | 127.0.0.1 127.0.0.1 app.example 80 peer=127.0.0.1      | false
      """)
  void tomcatsAccessLogAndSessionCookieFollowTheSingleHeader(String name, String trust,
      String line, boolean secure) throws Exception {
    CapturingAccessLog log = new CapturingAccessLog("%a %h %v %p peer=%{peer}a", true);
    EmbeddedTomcat tomcat = new EmbeddedTomcat().servlet("echo", new EchoServlet(), "/*");
    tomcat.engine().getPipeline().addValve(log);
    tomcat.engine().getPipeline().addValve(valve(trust, null, "x-real-ip", null));
    try (EmbeddedTomcat started = tomcat.start()) {
      RawHttp.Reply reply = RawHttp.get(started.port(), "/?session", "X-Real-IP: 203.0.113.7",
          "X-Forwarded-Proto: https");
      assertThat(log.next()).isEqualTo(line);
      assertThat(reply.header("Set-Cookie")).singleElement().asString()
          .matches(cookie -> cookie.contains("; Secure") == secure, "Secure exactly when https");
    }
  }

  /**
   * Before the valve: puts the request's {@code X-Preset} into the MDC and records what the MDC
   * holds once the rest of the pipeline has returned, on every pass (the async dispatch too).
   */
  static final class MdcProbe extends ValveBase {
    static final String PRESET = "X-Preset";
    final List<String> after = new CopyOnWriteArrayList<>();

    MdcProbe() {
      super(true);
    }

    @Override
    public void invoke(Request request, Response response)
        throws IOException, ServletException {
      String preset = request.getHeader(PRESET);
      if (preset != null) {
        MDC.put(EchoServlet.MDC_KEY, preset);
      }
      try {
        getNext().invoke(request, response);
      } finally {
        after.add("after async=" + request.isAsync() + " " + MDC.get(EchoServlet.MDC_KEY));
        MDC.remove(EchoServlet.MDC_KEY);
      }
    }
  }

  /** Starts async and dispatches to the echo servlet. */
  private static final class AsyncServlet extends HttpServlet {
    @Override
    protected void doGet(HttpServletRequest req, HttpServletResponse resp) {
      req.startAsync().dispatch("/echo");
    }
  }
}

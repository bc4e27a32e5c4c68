package dev.trustproxy.tomcat;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.trustproxy.servlet.ConformanceVectors;
import dev.trustproxy.servlet.TrustProxyFilter;
import jakarta.servlet.Filter;
import jakarta.servlet.FilterChain;
import jakarta.servlet.FilterConfig;
import jakarta.servlet.ServletException;
import jakarta.servlet.ServletRequest;
import jakarta.servlet.ServletResponse;
import jakarta.servlet.http.HttpServletRequest;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.UnaryOperator;
import java.util.stream.Stream;
import org.apache.catalina.LifecycleException;
import org.apache.catalina.connector.Request;
import org.apache.catalina.connector.Response;
import org.apache.catalina.valves.ValveBase;
import org.apache.tomcat.util.descriptor.web.FilterDef;
import org.apache.tomcat.util.descriptor.web.FilterMap;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

/**
 * Every conformance vector over real HTTP through {@link TrustProxyValve} on one embedded Tomcat
 * and through {@link TrustProxyFilter} on another: the answers must be identical, and equal to
 * the vector's expectation.
 *
 * <p>Both Tomcats listen on 127.0.0.1; the scaffolding {@link TestPeerValve} (Engine level, first)
 * makes each request come from the vector's peer, over TLS for {@code tls} vectors. The request
 * header {@code x-vector} picks the vector's valve (started on the Engine for that vector) or
 * filter.
 */
class TrustProxyValveConformanceTest {

  private static final String VECTOR = "x-vector";

  private static final Map<String, TrustProxyValve> VALVES = new ConcurrentHashMap<>();
  private static final Map<String, TrustProxyFilter> FILTERS = new ConcurrentHashMap<>();
  private static EmbeddedTomcat valved;
  private static EmbeddedTomcat filtered;
  private static VectorValve vectorValve;

  @BeforeAll
  static void start() throws Exception {
    valved = new EmbeddedTomcat().servlet("echo", new EchoServlet(), "/*");
    valved.engine().getPipeline().addValve(new TestPeerValve());
    vectorValve = new VectorValve();
    valved.engine().getPipeline().addValve(vectorValve);
    valved.start();

    filtered = new EmbeddedTomcat().servlet("echo", new EchoServlet(), "/*");
    filtered.engine().getPipeline().addValve(new TestPeerValve());
    FilterDef def = new FilterDef();
    def.setFilterName("vector");
    def.setFilter(new VectorFilter());
    def.setAsyncSupported("true");
    filtered.context().addFilterDef(def);
    FilterMap map = new FilterMap();
    map.setFilterName("vector");
    map.addURLPatternDecoded("/*");
    filtered.context().addFilterMap(map);
    filtered.start();
  }

  @AfterAll
  static void stop() throws Exception {
    try {
      if (valved != null) {
        valved.close();
      }
    } finally {
      if (filtered != null) {
        filtered.close();
      }
    }
  }

  @TestFactory
  Stream<DynamicTest> everyVectorGivesTheFiltersAnswerThroughTheValve() throws IOException {
    return ConformanceVectors.dynamicTests(TrustProxyValveConformanceTest::check);
  }

  @SuppressWarnings("unchecked")
  private static void check(String file, Map<String, Object> vector) throws Exception {
    String key = file + " " + vector.get("id");
    String trust = (String) vector.get("trust");
    Map<String, Object> expect = (Map<String, Object>) vector.get("expect");
    TrustProxyValve valve = new TrustProxyValve();
    valve.setTrustProxy(trust);
    valve.setContainer(valved.engine());
    valve.setNext(vectorValve.getNext());
    if (Boolean.TRUE.equals(expect.get("error"))) {
      assertThatThrownBy(valve::start)
          .as("%s: trust setting '%s' must fail the valve's start", key, trust)
          .isInstanceOf(LifecycleException.class)
          .hasStackTraceContaining("trustProxy")
          .hasStackTraceContaining("'");
      assertThatThrownBy(() -> new TrustProxyFilter().init(config(trust)))
          .isInstanceOf(ServletException.class);
      valve.destroy();
      return;
    }
    valve.start();
    VALVES.put(key, valve);
    TrustProxyFilter filter = new TrustProxyFilter();
    filter.init(config(trust));
    FILTERS.put(key, filter);
    try {
      byte[] request = request(vector, key);
      RawHttp.Reply viaValve = RawHttp.exchange(valved.port(), request);
      RawHttp.Reply viaFilter = RawHttp.exchange(filtered.port(), request);

      assertThat(viaValve.status()).as("%s status", key).isEqualTo(viaFilter.status());
      assertThat(portless(viaValve, valved.port()))
          .as("%s: valve and filter answer alike", key)
          .isEqualTo(portless(viaFilter, filtered.port()));
      if (viaValve.status() == 400 && refusedByTomcat(vector)) {
        // Tomcat answers 400 to two Host lines before any valve or filter runs.
        return;
      }
      assertThat(viaValve.status()).as(key).isEqualTo(200);
      Map<String, String> got = viaValve.values();
      ConformanceVectors.assertAnswer(key, got, expect, UnaryOperator.identity());
      assertThat(got.get("remoteHost")).as("%s remoteHost", key).isEqualTo(expect.get("ip"));
    } finally {
      VALVES.remove(key);
      FILTERS.remove(key);
      filter.destroy();
      valve.stop();
      valve.destroy();
    }
  }

  /** The vector's trust setting as the filter's init-param; no JMX (one filter per vector). */
  private static FilterConfig config(String trust) {
    return ConformanceVectors.filterConfig(Map.of("trust-proxy", trust, "jmx", "false"));
  }

  /**
   * The answer with the server's own port (what Tomcat reports for a request without a Host
   * line) written as {@code <local>}: the two Tomcats listen on different ports.
   */
  private static Map<String, String> portless(RawHttp.Reply reply, int port) {
    Map<String, String> values = reply.values();
    values.replaceAll((k, v) -> v.equals(String.valueOf(port)) ? "<local>"
        : v.replace(":" + port + "/", ":<local>/"));
    return values;
  }

  /** Two different Host values: RFC 9110 §7.2 makes that a 400, which Tomcat sends itself. */
  @SuppressWarnings("unchecked")
  private static boolean refusedByTomcat(Map<String, Object> vector) {
    return ((List<List<String>>) (List<?>) vector.get("headers")).stream()
        .filter(h -> h.get(0).equalsIgnoreCase("host")).count() > 1;
  }

  /** The vector's header lines, plus the scaffolding's peer, TLS and vector-key lines. */
  @SuppressWarnings("unchecked")
  private static byte[] request(Map<String, Object> vector, String key) {
    List<List<String>> headers = (List<List<String>>) (List<?>) vector.get("headers");
    boolean hasHost = headers.stream().anyMatch(h -> h.get(0).equalsIgnoreCase("host"));
    StringBuilder http = new StringBuilder(hasHost ? "GET /path HTTP/1.1\r\n" : "GET /path HTTP/1.0\r\n");
    for (List<String> h : headers) {
      http.append(h.get(0)).append(": ").append(h.get(1)).append("\r\n");
    }
    http.append(TestPeerValve.PEER).append(": ").append(vector.get("peer")).append("\r\n");
    if (Boolean.TRUE.equals(vector.get("tls"))) {
      http.append(TestPeerValve.TLS).append(": true\r\n");
    }
    http.append(VECTOR).append(": ").append(key).append("\r\nConnection: close\r\n\r\n");
    return http.toString().getBytes(StandardCharsets.ISO_8859_1);
  }

  /** Runs the vector's valve, picked by the {@code x-vector} header. */
  private static final class VectorValve extends ValveBase {
    VectorValve() {
      super(true);
    }

    @Override
    public void invoke(Request request, Response response) throws IOException, ServletException {
      TrustProxyValve valve = VALVES.get(String.valueOf(request.getHeader(VECTOR)));
      if (valve == null) {
        getNext().invoke(request, response);
      } else {
        valve.invoke(request, response);
      }
    }
  }

  /** Runs the vector's filter, picked by the {@code x-vector} header. */
  private static final class VectorFilter implements Filter {
    @Override
    public void doFilter(ServletRequest request, ServletResponse response, FilterChain chain)
        throws IOException, ServletException {
      TrustProxyFilter filter =
          FILTERS.get(String.valueOf(((HttpServletRequest) request).getHeader(VECTOR)));
      if (filter == null) {
        chain.doFilter(request, response);
      } else {
        filter.doFilter(request, response, chain);
      }
    }
  }
}

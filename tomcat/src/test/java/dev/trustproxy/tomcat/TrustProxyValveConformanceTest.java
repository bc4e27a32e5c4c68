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
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.UnaryOperator;
import java.util.stream.Stream;
import org.apache.catalina.LifecycleException;
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
    TrustProxyValve valve = vectorValve.newValve(trust);
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
    vectorValve.put(key, valve);
    TrustProxyFilter filter = new TrustProxyFilter();
    filter.init(config(trust));
    FILTERS.put(key, filter);
    try {
      byte[] request = VectorValve.request(vector, key);
      RawHttp.Reply viaValve = RawHttp.exchange(valved.port(), request);
      RawHttp.Reply viaFilter = RawHttp.exchange(filtered.port(), request);

      assertThat(viaValve.status()).as("%s status", key).isEqualTo(viaFilter.status());
      assertThat(portless(viaValve, valved.port()))
          .as("%s: valve and filter answer alike", key)
          .isEqualTo(portless(viaFilter, filtered.port()));
      if (viaValve.status() == 400 && VectorValve.refusedByTomcat(vector)) {
        // Tomcat answers 400 to two Host lines before any valve or filter runs.
        return;
      }
      assertThat(viaValve.status()).as(key).isEqualTo(200);
      Map<String, String> got = viaValve.values();
      ConformanceVectors.assertAnswer(key, got, expect, UnaryOperator.identity());
      assertThat(got.get("remoteHost")).as("%s remoteHost", key).isEqualTo(expect.get("ip"));
    } finally {
      vectorValve.remove(key);
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

  /** Runs the vector's filter, picked by the {@code x-vector} header. */
  private static final class VectorFilter implements Filter {
    @Override
    public void doFilter(ServletRequest request, ServletResponse response, FilterChain chain)
        throws IOException, ServletException {
      TrustProxyFilter filter =
          FILTERS.get(String.valueOf(((HttpServletRequest) request).getHeader(VectorValve.HEADER)));
      if (filter == null) {
        chain.doFilter(request, response);
      } else {
        filter.doFilter(request, response, chain);
      }
    }
  }
}

package dev.trustproxy.tomcat9;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.trustproxy.servlet.javax.ConformanceVectors;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.UnaryOperator;
import java.util.stream.Stream;
import javax.servlet.ServletException;
import org.apache.catalina.LifecycleException;
import org.apache.catalina.connector.Request;
import org.apache.catalina.connector.Response;
import org.apache.catalina.util.ServerInfo;
import org.apache.catalina.valves.ValveBase;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

/**
 * Every conformance vector over real HTTP through the Tomcat 9 valve on embedded Tomcat 9: the
 * answer (client, chain, flags, scheme, host, port, remote host) is the vector's expectation.
 *
 * <p>trustproxy-tomcat's own conformance run also compares the valve's answer with the filter's,
 * {@code getRequestURL()} included; on Tomcat 9 that comparison differs in one known place, shown
 * here rather than hidden: for a {@code Host} line whose port is empty or 0, Tomcat 9's own
 * {@code getRequestURL()} (which the valve leaves to Tomcat) prints {@code :0}, where the
 * filter's wrapper, and Tomcat 10.1/11, print no port.
 */
class TrustProxyValveTomcat9ConformanceTest {

  private static final String VECTOR = "x-vector";
  private static final Map<String, TrustProxyValve> VALVES = new ConcurrentHashMap<>();
  private static EmbeddedTomcat tomcat;
  private static VectorValve vectorValve;

  @BeforeAll
  static void start() throws Exception {
    tomcat = new EmbeddedTomcat().servlet("echo", new EchoServlet(), "/*");
    tomcat.engine().getPipeline().addValve(new TestPeerValve());
    vectorValve = new VectorValve();
    tomcat.engine().getPipeline().addValve(vectorValve);
    tomcat.start();
    assertThat(ServerInfo.getServerNumber()).startsWith("9.0.");
  }

  @AfterAll
  static void stop() throws Exception {
    if (tomcat != null) {
      tomcat.close();
    }
  }

  @TestFactory
  Stream<DynamicTest> everyVectorGivesItsExpectedAnswerOnTomcat9() throws IOException {
    return ConformanceVectors.dynamicTests(TrustProxyValveTomcat9ConformanceTest::check);
  }

  @SuppressWarnings("unchecked")
  private static void check(String file, Map<String, Object> vector) throws Exception {
    String key = file + " " + vector.get("id");
    String trust = (String) vector.get("trust");
    Map<String, Object> expect = (Map<String, Object>) vector.get("expect");
    TrustProxyValve valve = new TrustProxyValve();
    valve.setTrustProxy(trust);
    valve.setContainer(tomcat.engine());
    valve.setNext(vectorValve.getNext());
    if (Boolean.TRUE.equals(expect.get("error"))) {
      assertThatThrownBy(valve::start).as("%s: trust setting '%s' must fail the start", key, trust)
          .isInstanceOf(LifecycleException.class).hasStackTraceContaining("trustProxy");
      valve.destroy();
      return;
    }
    valve.start();
    VALVES.put(key, valve);
    try {
      RawHttp.Reply reply = RawHttp.exchange(tomcat.port(), request(vector, key));
      if (reply.status() == 400 && hostLines(vector) > 1) {
        return; // RFC 9110 section 7.2: Tomcat refuses two Host lines before any valve runs
      }
      assertThat(reply.status()).as(key).isEqualTo(200);
      Map<String, String> got = reply.values();
      ConformanceVectors.assertAnswer(key, got, expect, UnaryOperator.identity());
      assertThat(got.get("remoteHost")).as("%s remoteHost", key).isEqualTo(expect.get("ip"));
      if ("0".equals(got.get("serverPort"))) {
        assertThat(got.get("requestURL")).as("%s: Tomcat 9's own URL for port 0", key)
            .contains(":0/");
      }
    } finally {
      VALVES.remove(key);
      valve.stop();
      valve.destroy();
    }
  }

  @SuppressWarnings("unchecked")
  private static long hostLines(Map<String, Object> vector) {
    return ((List<List<String>>) (List<?>) vector.get("headers")).stream()
        .filter(h -> h.get(0).equalsIgnoreCase("host")).count();
  }

  /** The vector's header lines, plus the scaffolding's peer, TLS and vector-key lines. */
  @SuppressWarnings("unchecked")
  private static byte[] request(Map<String, Object> vector, String key) {
    List<List<String>> headers = (List<List<String>>) (List<?>) vector.get("headers");
    StringBuilder http = new StringBuilder(hostLines(vector) > 0
        ? "GET /path HTTP/1.1\r\n" : "GET /path HTTP/1.0\r\n");
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
}

package dev.trustproxy.tomcat9;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.trustproxy.servlet.javax.ConformanceVectors;
import java.io.IOException;
import java.util.Map;
import java.util.function.UnaryOperator;
import java.util.stream.Stream;
import org.apache.catalina.LifecycleException;
import org.apache.catalina.util.ServerInfo;
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
    TrustProxyValve valve = vectorValve.newValve(trust);
    if (Boolean.TRUE.equals(expect.get("error"))) {
      assertThatThrownBy(valve::start).as("%s: trust setting '%s' must fail the start", key, trust)
          .isInstanceOf(LifecycleException.class).hasStackTraceContaining("trustProxy");
      valve.destroy();
      return;
    }
    valve.start();
    vectorValve.put(key, valve);
    try {
      RawHttp.Reply reply = RawHttp.exchange(tomcat.port(), VectorValve.request(vector, key));
      if (reply.status() == 400 && VectorValve.refusedByTomcat(vector)) {
        return;
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
      vectorValve.remove(key);
      valve.stop();
      valve.destroy();
    }
  }
}

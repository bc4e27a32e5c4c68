package dev.trustproxy.tomcat;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import jakarta.servlet.AsyncContext;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.util.Map;
import java.util.Set;
import java.util.function.Consumer;
import javax.management.MBeanServer;
import javax.management.ObjectName;
import org.apache.catalina.Container;
import org.apache.catalina.LifecycleException;
import org.apache.catalina.Valve;
import org.apache.catalina.authenticator.NonLoginAuthenticator;
import org.apache.catalina.realm.NullRealm;
import org.apache.tomcat.util.descriptor.web.ErrorPage;
import org.apache.tomcat.util.descriptor.web.SecurityCollection;
import org.apache.tomcat.util.descriptor.web.SecurityConstraint;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * The valve on a real embedded Tomcat (10.1 or 11, whichever this test run has), configured from
 * code, hit over HTTP from 127.0.0.1: what Tomcat itself does with the client's values (session
 * cookie, access log, CONFIDENTIAL redirect, request URL, async dispatch, JMX), and that the
 * connection's values are back once the valve returns.
 */
class TrustProxyValveTest {

  /** Where the valve sits in server.xml terms. */
  enum Level {
    ENGINE, HOST, CONTEXT;

    Container in(EmbeddedTomcat tomcat) {
      return switch (this) {
        case ENGINE -> tomcat.engine();
        case HOST -> tomcat.host();
        case CONTEXT -> tomcat.context();
      };
    }
  }

  private static final String FORWARDED_HTTPS = "X-Forwarded-Proto: https";
  private static final String CLIENT = "X-Forwarded-For: 203.0.113.7";

  private static TrustProxyValve valve(String trustProxy) {
    TrustProxyValve valve = new TrustProxyValve();
    valve.setTrustProxy(trustProxy);
    return valve;
  }

  /** A Tomcat with {@code before} valves, then {@code valve} at {@code level}, and the servlets. */
  private static EmbeddedTomcat tomcat(Level level, TrustProxyValve valve,
      Consumer<EmbeddedTomcat> setup, Valve... before) throws LifecycleException {
    EmbeddedTomcat tomcat = new EmbeddedTomcat()
        .servlet("echo", new EchoServlet(), "/*")
        .servlet("async", new AsyncServlet(), "/async");
    for (Valve v : before) {
      level.in(tomcat).getPipeline().addValve(v);
    }
    level.in(tomcat).getPipeline().addValve(valve);
    setup.accept(tomcat);
    return tomcat.start();
  }

  private static EmbeddedTomcat tomcat(Level level, TrustProxyValve valve, Valve... before)
      throws LifecycleException {
    return tomcat(level, valve, t -> { }, before);
  }

  @ParameterizedTest
  @EnumSource(Level.class)
  void aTrustedProxysClientSchemeAndHostBecomeTomcatsOwnAtEveryLevel(Level level)
      throws Exception {
    try (EmbeddedTomcat tomcat = tomcat(level, valve("loopback"))) {
      Map<String, String> got = RawHttp.get(tomcat.port(), "/path", CLIENT, FORWARDED_HTTPS,
          "X-Forwarded-Host: shop.example").values();
      assertThat(got).containsEntry("ip", "203.0.113.7")
          .containsEntry("remoteHost", "203.0.113.7")
          .containsEntry("scheme", "https")
          .containsEntry("secure", "true")
          .containsEntry("serverName", "shop.example")
          .containsEntry("serverPort", "443")
          .containsEntry("requestURL", "https://shop.example/path")
          .containsEntry("ips", "203.0.113.7");
    }
  }

  /** The peer (set by the scaffolding valve; "-": the socket's), one header, the client's text. */
  @ParameterizedTest(name = "peer {0}, {1}: {2}")
  @CsvSource(delimiter = '|', nullValues = "-", value = {
      "-                       | X-Forwarded-For: 2001:DB8:0:0::7       | 2001:db8::7",
      "-                       | X-Forwarded-For: ::ffff:198.51.100.9   | 198.51.100.9",
      "-                       | X-Forwarded-For: 2001:db8:0:0:a:0:0:1  | 2001:db8::a:0:0:1",
      "-                       | X-Other: no forwarding                 | 127.0.0.1",
      "0:0:0:0:0:0:0:1         | X-Other: Tomcat's long IPv6 text       | ::1",
      "fe80:0:0:0:0:0:0:1%eth0 | X-Other: a zone from the kernel        | fe80::1",
  })
  void theRemoteAddressAndHostAreTheClientsCanonicalTextNeverAName(String peer, String header,
      String expected) throws Exception {
    try (EmbeddedTomcat tomcat = tomcat(Level.ENGINE, valve("loopback, fe80::/10"),
        new TestPeerValve())) {
      tomcat.connector().setEnableLookups(true); // even then: no DNS lookup, not even the peer's
      Map<String, String> got = peer == null
          ? RawHttp.get(tomcat.port(), "/", header).values()
          : RawHttp.get(tomcat.port(), "/", header, TestPeerValve.PEER + ": " + peer).values();
      assertThat(got).containsEntry("ip", expected).containsEntry("remoteHost", expected);
    }
  }

  @Test
  void rfc7239ForwardedIsReadWhenConfigured() throws Exception {
    TrustProxyValve valve = valve("loopback");
    valve.setForwardedHeader("forwarded");
    try (EmbeddedTomcat tomcat = tomcat(Level.ENGINE, valve)) {
      Map<String, String> got = RawHttp.get(tomcat.port(), "/path",
          "Forwarded: for=\"[2001:db8::7]:4711\";proto=https;host=\"shop.example:8443\"",
          CLIENT).values();
      assertThat(got).containsEntry("ip", "2001:db8::7")
          .containsEntry("requestURL", "https://shop.example:8443/path");
    }
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource(delimiter = '|', value = {
      "X-Forwarded-Proto: https | true",
      "X-Forwarded-Proto: http  | false",
      "X-Forwarded-Host: x      | false",
  })
  void theSessionCookieIsSecureExactlyWhenTheClientUsedHttps(String header, boolean secure)
      throws Exception {
    try (EmbeddedTomcat tomcat = tomcat(Level.HOST, valve("loopback"))) {
      RawHttp.Reply reply = RawHttp.get(tomcat.port(), "/?session", header);
      assertThat(reply.header("Set-Cookie")).singleElement().satisfies(cookie -> {
        assertThat(cookie).startsWith("JSESSIONID=");
        assertThat(cookie.contains("; Secure")).as(cookie).isEqualTo(secure);
      });
    }
  }

  @Test
  void forgedHeadersFromAnUntrustedPeerChangeNothing() throws Exception {
    TrustProxyValve valve = valve("10.0.0.0/8");
    try (EmbeddedTomcat tomcat = tomcat(Level.ENGINE, valve)) {
      RawHttp.Reply reply = RawHttp.get(tomcat.port(), "/path?session", CLIENT, FORWARDED_HTTPS,
          "X-Forwarded-Host: evil.example", "X-Forwarded-Port: 444");
      assertThat(reply.values()).containsEntry("ip", "127.0.0.1")
          .containsEntry("scheme", "http")
          .containsEntry("secure", "false")
          .containsEntry("serverName", "app.example")
          .containsEntry("requestURL", "http://app.example/path")
          .containsEntry("headerIgnored", "true");
      assertThat(reply.header("Set-Cookie")).singleElement().asString().doesNotContain("Secure");
      assertThat(valve.statistics().headerIgnored()).isEqualTo(1);
      assertThat(valve.statistics().resolvedFromHeader()).isZero();
    }
  }

  @ParameterizedTest(name = "{0} {1}")
  @CsvSource(delimiter = '|', value = {
      "X-Forwarded-Proto: https | loopback   | 200 |",
      "X-Forwarded-Proto: http  | loopback   | 302 | https://app.example:8443/secure/page",
      "X-Forwarded-Host: x      | loopback   | 302 | https://x:8443/secure/page",
      "X-Forwarded-Proto: https | 10.0.0.0/8 | 302 | https://app.example:8443/secure/page",
  })
  void aConfidentialConstraintRedirectsOnlyWhatTheClientSentOverPlainHttp(String header,
      String trust, int status, String location) throws Exception {
    try (EmbeddedTomcat tomcat = tomcat(Level.CONTEXT, valve(trust), t -> confidential(t))) {
      RawHttp.Reply reply = RawHttp.get(tomcat.port(), "/secure/page", header);
      assertThat(reply.status()).isEqualTo(status);
      if (location != null) {
        assertThat(reply.header("Location")).containsExactly(location);
      }
    }
  }

  private static void confidential(EmbeddedTomcat tomcat) {
    SecurityConstraint constraint = new SecurityConstraint();
    constraint.setUserConstraint("CONFIDENTIAL");
    SecurityCollection pages = new SecurityCollection();
    pages.addPatternDecoded("/secure/*");
    constraint.addCollection(pages);
    tomcat.context().addConstraint(constraint);
    tomcat.context().setRealm(new NullRealm());
    // After the trust proxy valve, as ContextConfig would add it for a web.xml constraint.
    tomcat.context().getPipeline().addValve(new NonLoginAuthenticator());
  }

  @ParameterizedTest(name = "requestAttributesEnabled={0}")
  @CsvSource(delimiter = '|', value = {
      "true  | 203.0.113.7 203.0.113.7 shop.example 443 peer=127.0.0.1",
      "false | 127.0.0.1 127.0.0.1 app.example 80 peer=127.0.0.1",
  })
  void theAccessLogShowsTheClientWithRequestAttributesAndTheConnectionWithout(
      boolean requestAttributes, String line) throws Exception {
    CapturingAccessLog log = new CapturingAccessLog("%a %h %v %p peer=%{peer}a",
        requestAttributes);
    try (EmbeddedTomcat tomcat = tomcat(Level.ENGINE, valve("loopback"), log)) {
      RawHttp.get(tomcat.port(), "/", CLIENT, FORWARDED_HTTPS, "X-Forwarded-Host: shop.example");
      assertThat(log.next()).isEqualTo(line);
    }
  }

  /**
   * The attributes Tomcat's access log and status pages read are on the connector's request
   * (D77), where the servlet API's {@code getAttribute} finds them too, as it finds the
   * Resolution (D113); a request the valve did not change has none of them.
   */
  @ParameterizedTest
  @EnumSource(Level.class)
  void tomcatsClientAttributesAreSetOnlyWhenTheValveChangedTheRequest(Level level)
      throws Exception {
    try (EmbeddedTomcat tomcat = tomcat(level, valve("loopback"))) {
      Map<String, String> forwarded = RawHttp.get(tomcat.port(), "/?attributes", CLIENT,
          FORWARDED_HTTPS, "X-Forwarded-Host: shop.example:8443").values();
      Map<String, String> direct = RawHttp.get(tomcat.port(), "/?attributes").values();
      assertThat(forwarded).containsEntry("RemoteAddr", "203.0.113.7")
          .containsEntry("RemoteHost", "203.0.113.7")
          .containsEntry("ServerName", "shop.example")
          .containsEntry("ServerPort", "8443")
          .containsEntry("remoteAddr", "203.0.113.7")
          .containsEntry("forwarded", "true");
      assertThat(direct).containsEntry("ip", "127.0.0.1").containsEntry("RemoteAddr", "null")
          .containsEntry("ServerName", "null").containsEntry("remoteAddr", "null")
          .containsEntry("forwarded", "null");
      // The Resolution is there too (D113): found by getAttribute, not listed, not kept.
      assertThat(forwarded).containsEntry("listed", "false");
      assertThat(forwarded.get("resolution")).startsWith("Resolution[client=203.0.113.7,");
      assertThat(direct.get("resolution")).startsWith("Resolution[client=127.0.0.1,")
          .doesNotContain("203.0.113.7");
    }
  }

  @ParameterizedTest
  @EnumSource(Level.class)
  void theConnectionsValuesAreBackWhenTheValveReturns(Level level) throws Exception {
    ProbeValve probe = new ProbeValve();
    try (EmbeddedTomcat tomcat = tomcat(level, valve("loopback"), probe)) {
      Map<String, String> first = RawHttp.get(tomcat.port(), "/", CLIENT, FORWARDED_HTTPS,
          "X-Forwarded-Host: shop.example").values();
      Map<String, String> second = RawHttp.get(tomcat.port(), "/").values();
      assertThat(first).containsEntry("ip", "203.0.113.7");
      assertThat(second).containsEntry("ip", "127.0.0.1").containsEntry("scheme", "http")
          .containsEntry("serverName", "app.example");
      assertThat(probe.after).containsExactly(
          "127.0.0.1 127.0.0.1 http false app.example 80 async=false",
          "127.0.0.1 127.0.0.1 http false app.example 80 async=false");
    }
  }

  @Test
  void anAsyncDispatchSeesTheClientAndIsNotWalkedTwice() throws Exception {
    TrustProxyValve valve = valve("loopback");
    ProbeValve probe = new ProbeValve();
    try (EmbeddedTomcat tomcat = tomcat(Level.ENGINE, valve, probe)) {
      Map<String, String> got = RawHttp.get(tomcat.port(), "/async", CLIENT, FORWARDED_HTTPS)
          .values();
      assertThat(got).containsEntry("dispatcherType", "ASYNC")
          .containsEntry("ip", "203.0.113.7")
          .containsEntry("scheme", "https")
          .containsEntry("ips", "203.0.113.7");
      assertThat(valve.statistics().requests()).isEqualTo(1);
      // The first pass returns while async (nothing restored yet); the dispatch restores.
      assertThat(probe.after).last().isEqualTo(
          "127.0.0.1 127.0.0.1 http false app.example 80 async=false");
    }
  }

  @ParameterizedTest(name = "{0}: {1}")
  @CsvSource({"ENGINE, 203.0.113.7", "HOST, 203.0.113.7", "CONTEXT, 127.0.0.1"})
  void anErrorPageSeesTheClientWhenTheValveSitsAboveTheContext(Level level, String ip)
      throws Exception {
    try (EmbeddedTomcat tomcat = tomcat(level, valve("loopback"), t -> {
      t.servlet("missing", new MissingServlet(), "/missing");
      ErrorPage page = new ErrorPage();
      page.setErrorCode(404);
      page.setLocation("/error");
      t.context().addErrorPage(page);
    })) {
      RawHttp.Reply reply = RawHttp.get(tomcat.port(), "/missing", CLIENT);
      assertThat(reply.status()).isEqualTo(404);
      // The Host dispatches the error page after the context's pipeline has returned.
      assertThat(reply.values()).containsEntry("dispatcherType", "ERROR").containsEntry("ip", ip);
    }
  }

  @Test
  void aSecondValveBelowTheFirstDoesNotWalkTheClientAsIfItWereThePeer() throws Exception {
    TrustProxyValve engine = valve("loopback");
    TrustProxyValve context = valve("203.0.113.0/24");
    try (EmbeddedTomcat tomcat = tomcat(Level.ENGINE, engine,
        t -> t.context().getPipeline().addValve(context))) {
      Map<String, String> got = RawHttp.get(tomcat.port(), "/",
          "X-Forwarded-For: 198.51.100.1, 203.0.113.7").values();
      assertThat(got).containsEntry("ip", "203.0.113.7");
      assertThat(context.statistics().requests()).isZero();
    }
  }

  @Test
  void theCountersAreTomcatMBeanAttributes() throws Exception {
    TrustProxyValve valve = valve("loopback");
    try (EmbeddedTomcat tomcat = tomcat(Level.HOST, valve)) {
      RawHttp.get(tomcat.port(), "/", CLIENT);
      RawHttp.get(tomcat.port(), "/");
      RawHttp.get(tomcat.port(), "/", "X-Forwarded-For: 203.0.113.7, unknown");
      MBeanServer server = ManagementFactory.getPlatformMBeanServer();
      Set<ObjectName> names = server.queryNames(
          new ObjectName("*:type=Valve,host=localhost,name=TrustProxyValve"), null);
      assertThat(names).hasSize(1);
      ObjectName name = names.iterator().next();
      assertThat(server.getAttribute(name, "requests")).isEqualTo(3L);
      assertThat(server.getAttribute(name, "resolvedFromHeader")).isEqualTo(1L);
      assertThat(server.getAttribute(name, "headerIgnored")).isEqualTo(0L);
      assertThat(server.getAttribute(name, "stoppedOnInvalid")).isEqualTo(1L);
      assertThat(server.getAttribute(name, "trustProxy")).isEqualTo("loopback");
      // The attributes read the valve's counters, the ones statistics() returns.
      assertThat(valve.statistics().stoppedOnInvalid()).isEqualTo(1L);
      server.invoke(name, "resetCounters", null, null);
      assertThat(server.getAttribute(name, "requests")).isEqualTo(0L);
      assertThat(server.getAttribute(name, "stoppedOnInvalid")).isEqualTo(0L);
      assertThat(valve.statistics().requests()).isZero();
    }
  }

  @ParameterizedTest(name = "{0}={1}")
  @CsvSource(delimiter = '|', value = {
      "trustProxy      | 10.0.0.0/33",
      "trustProxy      | 10.0.0.1, lan",
      "trustedPeers    | proxy.example",
      "forwardedHeader | x real ip",
      "forwardedHeader | x-forwarded-host",
  })
  void aBadSettingStopsTomcatsStartNamingTheSettingAndQuotingTheInput(String setting,
      String value) {
    TrustProxyValve valve = new TrustProxyValve();
    switch (setting) {
      case "trustProxy" -> valve.setTrustProxy(value);
      case "trustedPeers" -> valve.setTrustedPeers(value);
      default -> valve.setForwardedHeader(value);
    }
    EmbeddedTomcat tomcat = new EmbeddedTomcat().servlet("echo", new EchoServlet(), "/*");
    tomcat.engine().getPipeline().addValve(valve);
    try {
      assertThatThrownBy(tomcat::start)
          .isInstanceOf(LifecycleException.class)
          .satisfies(e -> assertThat(rootOf(e, LifecycleException.class).getMessage())
              .startsWith("TrustProxyValve: " + setting + ": '")
              .contains("expected"));
    } finally {
      try {
        tomcat.close();
      } catch (LifecycleException ignored) {
        // a Tomcat that failed to start may refuse to stop
      }
    }
  }

  /** The innermost {@code type} in the cause chain: the valve's own exception. */
  private static Throwable rootOf(Throwable t, Class<?> type) {
    Throwable found = t;
    for (Throwable c = t; c != null; c = c.getCause()) {
      if (type.isInstance(c)) {
        found = c;
      }
    }
    return found;
  }

  /** Answers 404, for the error page. */
  private static final class MissingServlet extends HttpServlet {
    @Override
    protected void doGet(HttpServletRequest req, HttpServletResponse resp) throws IOException {
      resp.sendError(404);
    }
  }

  /** Starts async and dispatches to the echo servlet. */
  private static final class AsyncServlet extends HttpServlet {
    @Override
    protected void doGet(HttpServletRequest req, HttpServletResponse resp) {
      AsyncContext async = req.startAsync();
      async.dispatch("/echo");
    }
  }

}

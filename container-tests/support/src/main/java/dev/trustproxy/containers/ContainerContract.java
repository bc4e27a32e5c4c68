package dev.trustproxy.containers;

import static dev.trustproxy.containers.Webapps.FORWARDED_HTTPS;
import static dev.trustproxy.containers.Webapps.contextParam;
import static dev.trustproxy.containers.Webapps.filter;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.UnknownHostException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import javax.management.JMException;
import javax.management.ObjectName;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * What the filter must do on every real container, over HTTP: the container's session cookie
 * follows the filter's https, every dispatcher type reports the client and walks once, an IPv6
 * peer prints as RFC 5952, and the jar's web-fragment resolves a WAR that declares nothing.
 * A container module extends this class and says how to start its container.
 */
public abstract class ContainerContract {

  /** 127.0.0.1 and ::1, from bytes: no lookup. */
  protected static final InetAddress V4 = literal(new byte[] {127, 0, 0, 1});
  protected static final InetAddress V6 =
      literal(new byte[] {0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1});

  @TempDir
  protected Path temp;

  private Container container;
  private InetAddress address;
  private int port;

  /** A new, stopped container of the module's kind. */
  protected abstract Container newContainer();

  private static InetAddress literal(byte[] bytes) {
    try {
      return InetAddress.getByAddress(bytes);
    } catch (UnknownHostException impossible) {
      throw new AssertionError(impossible);
    }
  }

  /** Writes a web application from {@code declarations} and starts it on {@code on}. */
  protected void deploy(InetAddress on, boolean filterJar, String... declarations)
      throws Exception {
    Path webapp = Webapps.write(temp.resolve("webapp"), filterJar, declarations);
    container = newContainer();
    address = on;
    port = container.start(webapp, on, temp.resolve("work"));
  }

  @AfterEach
  void stopContainer() throws Exception {
    if (container != null) {
      container.stop();
    }
  }

  protected Http.Response get(String path, List<String> lines) throws IOException {
    return Http.get(address, port, path, lines.toArray(String[]::new));
  }

  /** The attributes (lower case) of the response's session cookie; fails when there is none. */
  protected static List<String> sessionCookie(Http.Response response) {
    List<List<String>> cookies = sessionCookies(response);
    assertThat(cookies).as("session cookies in %s", response.headers()).hasSize(1);
    return cookies.get(0);
  }

  /** The attributes (lower case) of every session cookie line of the response. */
  protected static List<List<String>> sessionCookies(Http.Response response) {
    List<List<String>> cookies = new ArrayList<>();
    for (String line : response.header("Set-Cookie")) {
      if (line.startsWith("JSESSIONID=")) {
        List<String> attributes = new ArrayList<>();
        for (String part : line.split(";")) {
          attributes.add(part.strip().toLowerCase(Locale.ROOT));
        }
        cookies.add(attributes.subList(1, attributes.size()));
      }
    }
    return cookies;
  }

  /** A filter's request counter over JMX, or -1 when no filter of that name is registered. */
  protected static long walks(String filterName) throws JMException {
    ObjectName name = new ObjectName("dev.trustproxy:type=TrustProxyFilter,name=" + filterName);
    var server = ManagementFactory.getPlatformMBeanServer();
    return server.isRegistered(name) ? (Long) server.getAttribute(name, "Requests") : -1;
  }

  @Test
  void theSessionCookieIsSecureBehindATrustedHttpsProxy() throws Exception {
    deploy(V4, false, filter("trustproxy", "trust-proxy", "loopback"));
    Http.Response response = get("/echo?session", FORWARDED_HTTPS);
    assertThat(response.echo()).containsEntry("remoteAddr", "203.0.113.7")
        .containsEntry("scheme", "https").containsEntry("secure", "true");
    assertThat(sessionCookie(response)).contains("secure");
  }

  @Test
  void aRenewedSessionIdKeepsItsCookieSecure() throws Exception {
    deploy(V4, false, filter("trustproxy", "trust-proxy", "loopback"));
    Http.Response response = get("/echo?session=renew", FORWARDED_HTTPS);
    assertThat(sessionCookies(response)).as(response.headers().toString()).isNotEmpty()
        .allSatisfy(attributes -> assertThat(attributes).contains("secure"));
  }

  /** An application that declares the filter twice (say, under two names) is walked once. */
  @Test
  void twoDeclarationsOfTheFilterWalkOnceAndTheFirstDecides() throws Exception {
    deploy(V4, false, filter("first", "trust-proxy", "loopback"),
        filter("second", "trust-proxy", "false"));
    for (String path : List.of("/echo", "/forward", "/async", "/error")) {
      assertThat(get(path, FORWARDED_HTTPS).echo()).as(path)
          .containsEntry("remoteAddr", "203.0.113.7").containsEntry("clientIndex", "1");
    }
    assertThat(walks("first")).isEqualTo(4);
    assertThat(walks("second")).isZero();
  }

  @Test
  void anUntrustedPeersForgedHeadersChangeNeitherTheRequestNorTheCookie() throws Exception {
    deploy(V4, false, filter("trustproxy", "trust-proxy", "192.0.2.1"));
    Http.Response response = get("/echo?session", FORWARDED_HTTPS);
    assertThat(response.echo()).containsEntry("remoteAddr", "127.0.0.1")
        .containsEntry("scheme", "http").containsEntry("secure", "false")
        .containsEntry("headerIgnored", "true");
    assertThat(sessionCookie(response)).doesNotContain("secure");
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource({"/echo, 200", "/forward, 200", "/include, 200", "/async, 200", "/error, 418"})
  void everyDispatchReportsTheClientFromOneWalk(String path, int status) throws Exception {
    deploy(V4, false, filter("trustproxy", "trust-proxy", "loopback"));
    Http.Response response = get(path, FORWARDED_HTTPS);
    assertThat(response.status()).as(response.body()).isEqualTo(status);
    assertThat(response.echo()).as(response.body()).containsEntry("remoteAddr", "203.0.113.7")
        .containsEntry("remoteHost", "203.0.113.7").containsEntry("scheme", "https")
        .containsEntry("peer", "127.0.0.1").containsEntry("clientIndex", "1");
    assertThat(walks("trustproxy")).isEqualTo(1);
  }

  @Test
  void anIpv6PeerPrintsAsRfc5952LikeTheSameAddressFromTheHeader() throws Exception {
    try (ServerSocket probe = new ServerSocket(0, 1, V6)) {
      probe.getLocalPort();
    } catch (IOException absent) {
      Assumptions.abort("::1 is not configured on this machine (" + absent + ")");
    }
    deploy(V6, false, filter("trustproxy", "trust-proxy", "loopback"));
    assertThat(get("/echo", List.of()).echo()).containsEntry("remoteAddr", "::1")
        .containsEntry("remoteHost", "::1").containsEntry("peer", "::1");
    assertThat(get("/echo", List.of("X-Forwarded-For: 2001:DB8:0:0:0:0:0:7")).echo())
        .containsEntry("remoteAddr", "2001:db8::7").containsEntry("peer", "::1");
  }

  @Test
  void theWebFragmentResolvesAWarThatDeclaresNoFilter() throws Exception {
    deploy(V4, true, contextParam("trustproxy.trust-proxy", "loopback"));
    for (String path : List.of("/echo", "/async", "/error")) {
      assertThat(get(path, FORWARDED_HTTPS).echo()).as(path)
          .containsEntry("remoteAddr", "203.0.113.7").containsEntry("scheme", "https");
    }
    assertThat(walks("trustproxy")).isEqualTo(3);
  }

  @Test
  void theWebFragmentWithNothingConfiguredTrustsNothing() throws Exception {
    deploy(V4, true);
    Http.Response response = get("/echo", FORWARDED_HTTPS);
    assertThat(response.echo()).containsEntry("remoteAddr", "127.0.0.1")
        .containsEntry("scheme", "http");
    assertThat(response.echo().get("resolution")).contains("headerIgnored");
  }

  @Test
  void aWebXmlFilterNamedTrustproxyReplacesTheFragmentsAndWalksOnce() throws Exception {
    deploy(V4, true, contextParam("trustproxy.trust-proxy", "false"),
        filter("trustproxy", "trust-proxy", "loopback"));
    assertThat(get("/forward", FORWARDED_HTTPS).echo())
        .containsEntry("remoteAddr", "203.0.113.7");
    assertThat(walks("trustproxy")).isEqualTo(1);
  }

  @Test
  void aFilterDeclaredUnderAnotherNameMakesTheFragmentStandDown() throws Exception {
    deploy(V4, true, filter("clientip", "trust-proxy", "loopback"));
    assertThat(get("/async", FORWARDED_HTTPS).echo())
        .containsEntry("remoteAddr", "203.0.113.7");
    assertThat(walks("clientip")).isEqualTo(1);
    assertThat(walks("trustproxy")).as("the fragment's filter registers nothing").isEqualTo(-1);
  }
}

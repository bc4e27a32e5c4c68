package dev.trustproxy.servlet;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.trustproxy.ClientResolver;
import dev.trustproxy.Resolution;
import dev.trustproxy.TrustPolicy;
import dev.trustproxy.Forwarding;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.function.Supplier;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;
import org.slf4j.LoggerFactory;

/** The filter on a {@link TestRequest}: configuration, and what it changes on the request. */
class TrustProxyFilterTest {

  private static final String HOST = "Host: app.internal:8080";

  private static Map<String, String> params(String... keyValues) {
    Map<String, String> map = new LinkedHashMap<>();
    for (int i = 0; i < keyValues.length; i += 2) {
      map.put(keyValues[i], keyValues[i + 1]);
    }
    return map;
  }

  private static HttpServletRequest request(String peer, String... headerLines) {
    return TestRequest.create(peer, false, TestRequest.lines(headerLines));
  }

  // ---- init-params ---------------------------------------------------------------------------

  @ParameterizedTest(name = "''{0}''")
  @ValueSource(strings = {"trusted-proxies", "Trust-Proxy", "trust_proxy", "trustProxy",
      "forwarded-headers", ""})
  void unknownInitParamFailsQuotingItsName(String name) {
    assertThatThrownBy(() -> FilterRuns.initialised(params("trust-proxy", "loopback", name, "x")))
        .isInstanceOf(ServletException.class)
        .hasMessageContaining("unknown init-param '" + name + "'")
        .hasMessageContaining("trust-proxy, trusted-peers, forwarded-header");
  }

  static Stream<String[]> badTrustProxy() {
    return Stream.of(
        new String[] {"empty item", "loopback,,10.0.0.0/8", "'loopback,,10.0.0.0/8'"},
        new String[] {"only empty items", " , ", "' , '"},
        new String[] {"unknown word", "yes", "'yes'"},
        new String[] {"presets are case-sensitive", "Loopback", "'Loopback'"},
        new String[] {"true inside a list", "true, loopback", "'true'"},
        new String[] {"a hop count inside a list", "1, 2", "'1'"},
        new String[] {"leading zeros", "loopback, 010.0.0.1", "'010.0.0.1'"},
        new String[] {"short IPv4", "127.1", "'127.1'"},
        new String[] {"a zone", "fe80::1%eth0", "'fe80::1%eth0'"},
        new String[] {"/0", "10.0.0.0/0", "'10.0.0.0/0'"},
        new String[] {"prefix with a leading zero", "10.0.0.0/08", "'10.0.0.0/08'"},
        new String[] {"prefix too long", "10.0.0.0/33", "'10.0.0.0/33'"},
        new String[] {"non-contiguous netmask", "10.0.0.0/255.0.255.0",
            "'10.0.0.0/255.0.255.0'"},
        new String[] {"mapped prefix under 96", "::ffff:0:0/95", "'::ffff:0:0/95'"},
        new String[] {"negative hop count", "-1", "'-1'"},
        new String[] {"hop count with a leading zero", "01", "'01'"},
        new String[] {"hop count out of range", "2147483648", "'2147483648'"});
  }

  @ParameterizedTest(name = "{0}: {1}")
  @MethodSource("badTrustProxy")
  void badTrustProxyFailsNamingTheInitParamAndQuotingTheItem(String why, String value,
      String quoted) {
    assertThatThrownBy(() -> FilterRuns.initialised(params("trust-proxy", value)))
        .isInstanceOf(ServletException.class)
        .hasMessageStartingWith("init-param trust-proxy: ")
        .hasMessageContaining(quoted);
    assertThatThrownBy(() -> TrustProxyFilter.trusting(value))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageStartingWith("trust-proxy: ")
        .hasMessageContaining(quoted);
  }

  @ParameterizedTest(name = "{0}")
  @ValueSource(strings = {"loopback, 10.0.0.0/33", "proxy", "0.0.0.0/0"})
  void badTrustedPeersFailsNamingTheInitParam(String value) {
    assertThatThrownBy(() -> FilterRuns.initialised(
        params("trust-proxy", "1", "trusted-peers", value)))
        .isInstanceOf(ServletException.class)
        .hasMessageStartingWith("init-param trusted-peers: ");
  }

  @ParameterizedTest(name = "{0}")
  @ValueSource(strings = {"x-forwarded-for, forwarded", "x-forwarded-host", "x real ip",
      "x-real-ip:", "x-forwarded-proto"})
  void badForwardedHeaderFailsQuotingTheValue(String value) {
    assertThatThrownBy(() -> FilterRuns.initialised(
        params("trust-proxy", "loopback", "forwarded-header", value)))
        .isInstanceOf(ServletException.class)
        .hasMessageContaining("init-param forwarded-header")
        .hasMessageContaining("'" + value + "'")
        .hasMessageContaining("expected x-forwarded-for, forwarded, or the name of one header");
  }

  @ParameterizedTest(name = "{0}")
  @ValueSource(strings = {"forwarded", "Forwarded", " FORWARDED "})
  void forwardedHeaderNamesTheFamilyInAnyCase(String value) throws Exception {
    TrustProxyFilter filter = FilterRuns.initialised(
        params("trust-proxy", "loopback", "forwarded-header", value));
    HttpServletRequest seen = FilterRuns.through(filter, request("127.0.0.1",
        "Forwarded: for=203.0.113.7", "X-Forwarded-For: 198.51.100.1"));
    assertThat(seen.getRemoteAddr()).isEqualTo("203.0.113.7");
  }

  static Stream<Object[]> filtersConfiguredInCode() {
    ClientResolver loopback = ClientResolver.of(TrustPolicy.parse("loopback"));
    return Stream.of(
        new Object[] {"new TrustProxyFilter(resolver)",
            (Supplier<TrustProxyFilter>) () -> new TrustProxyFilter(loopback)},
        new Object[] {"new TrustProxyFilter(resolver, FORWARDED)",
            (Supplier<TrustProxyFilter>) () -> new TrustProxyFilter(loopback,
                Forwarding.Headers.FORWARDED)},
        new Object[] {"TrustProxyFilter.trusting(\"loopback\")",
            (Supplier<TrustProxyFilter>) () -> TrustProxyFilter.trusting("loopback")});
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("filtersConfiguredInCode")
  void filterConfiguredInCodeRefusesInitParams(String how, Supplier<TrustProxyFilter> make) {
    TrustProxyFilter filter = make.get();
    assertThatThrownBy(() -> filter.init(TestRequest.config(params("trust-proxy", "true"))))
        .isInstanceOf(ServletException.class)
        .hasMessageContaining("configured in code")
        .hasMessageContaining("trust-proxy");
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("filtersConfiguredInCode")
  void filterConfiguredInCodeKeepsItsResolverThroughInit(String how,
      Supplier<TrustProxyFilter> make) throws Exception {
    TrustProxyFilter filter = make.get();
    ClientResolver before = filter.resolver();
    filter.init(TestRequest.config(Map.of()));
    assertThat(filter.resolver()).isSameAs(before);
    HttpServletRequest seen = FilterRuns.through(filter, request("127.0.0.1",
        "X-Forwarded-For: 203.0.113.7", "Forwarded: for=203.0.113.7"));
    assertThat(seen.getRemoteAddr()).isEqualTo("203.0.113.7");
  }

  @Test
  void webXmlFilterBeforeInitPassesRequestsThrough() throws Exception {
    TrustProxyFilter filter = new TrustProxyFilter();
    assertThat(filter.resolver()).isNull();
    HttpServletRequest original = request("127.0.0.1", "X-Forwarded-For: 203.0.113.7");
    assertThat(FilterRuns.through(filter, original)).isSameAs(original);
  }

  @Test
  void noSettingAnywhereTrustsNothing() throws Exception {
    assertThat(System.getenv("TRUSTPROXY_TRUST_PROXY"))
        .as("this test needs TRUSTPROXY_TRUST_PROXY unset").isNull();
    assertThat(System.getProperty("trustproxy.trust-proxy")).isNull();
    TrustProxyFilter filter = FilterRuns.initialised(Map.of());
    assertThat(filter.resolver().trust().trustsNothing()).isTrue();
    HttpServletRequest seen = FilterRuns.through(filter,
        request("127.0.0.1", "X-Forwarded-For: 203.0.113.7"));
    assertThat(seen.getRemoteAddr()).isEqualTo("127.0.0.1");
  }

  /** Runs {@code body} with system property {@code name} set, and clears it after. */
  private static <T> T withProperty(String name, String value, Callable<T> body)
      throws Exception {
    String previous = System.setProperty(name, value);
    try {
      return body.call();
    } finally {
      if (previous == null) {
        System.clearProperty(name);
      } else {
        System.setProperty(name, previous);
      }
    }
  }

  @Test
  void systemPropertyIsTheFallbackForAnAbsentInitParam() throws Exception {
    TrustProxyFilter filter = withProperty("trustproxy.trust-proxy", "loopback",
        () -> FilterRuns.initialised(Map.of()));
    assertThat(System.getProperty("trustproxy.trust-proxy")).isNull();
    HttpServletRequest seen = FilterRuns.through(filter,
        request("127.0.0.1", "X-Forwarded-For: 203.0.113.7"));
    assertThat(seen.getRemoteAddr()).isEqualTo("203.0.113.7");
  }

  @Test
  void initParamWinsOverTheSystemProperty() throws Exception {
    TrustProxyFilter filter = withProperty("trustproxy.trust-proxy", "loopback",
        () -> FilterRuns.initialised(params("trust-proxy", "10.0.0.0/8")));
    HttpServletRequest seen = FilterRuns.through(filter,
        request("127.0.0.1", "X-Forwarded-For: 203.0.113.7"));
    assertThat(seen.getRemoteAddr()).isEqualTo("127.0.0.1");
  }

  @Test
  void badSystemPropertyIsNamedInTheError() {
    assertThatThrownBy(() -> withProperty("trustproxy.trust-proxy", "loopback, evil",
        () -> FilterRuns.initialised(Map.of())))
        .isInstanceOf(ServletException.class)
        .hasMessageStartingWith("system property trustproxy.trust-proxy: ")
        .hasMessageContaining("'evil'");
    assertThatThrownBy(() -> withProperty("trustproxy.forwarded-header", "x-forwarded, both",
        () -> FilterRuns.initialised(params("trust-proxy", "loopback"))))
        .isInstanceOf(ServletException.class)
        .hasMessageContaining("system property trustproxy.forwarded-header")
        .hasMessageContaining("'x-forwarded, both'");
  }

  @Test
  void systemPropertiesConfigureEverySetting() throws Exception {
    TrustProxyFilter filter = withProperty("trustproxy.trusted-peers", "10.0.0.0/8",
        () -> withProperty("trustproxy.forwarded-header", "forwarded",
            () -> FilterRuns.initialised(params("trust-proxy", "1"))));
    HttpServletRequest fromGate = FilterRuns.through(filter,
        request("10.0.0.1", "Forwarded: for=203.0.113.7", "X-Forwarded-For: 198.51.100.1"));
    assertThat(fromGate.getRemoteAddr()).isEqualTo("203.0.113.7");
    HttpServletRequest outsideGate = FilterRuns.through(filter,
        request("127.0.0.1", "Forwarded: for=203.0.113.7"));
    assertThat(outsideGate.getRemoteAddr()).isEqualTo("127.0.0.1");
  }

  // ---- what changes on the request ------------------------------------------------------------

  @Test
  void remotePortIsZeroWhenTheClientCameFromAHeader() throws Exception {
    TrustProxyFilter filter = TrustProxyFilter.trusting("loopback");
    HttpServletRequest fromHeader = FilterRuns.through(filter,
        request("127.0.0.1", "X-Forwarded-For: 203.0.113.7"));
    assertThat(fromHeader.getRemoteAddr()).isEqualTo("203.0.113.7");
    assertThat(fromHeader.getRemotePort()).isZero();

    HttpServletRequest stillPeer = FilterRuns.through(filter,
        request("127.0.0.1", "X-Forwarded-For: 203.0.113.7, unknown",
            "X-Forwarded-Proto: https"));
    assertThat(stillPeer.getRemoteAddr()).isEqualTo("127.0.0.1");
    assertThat(stillPeer.getScheme()).isEqualTo("https"); // wrapped, but the peer is the client
    assertThat(stillPeer.getRemotePort()).isEqualTo(40000); // TestRequest's container port
  }

  static Stream<Object[]> nothingChanges() {
    return Stream.of(
        new Object[] {"no forwarding header", "loopback", "127.0.0.1", new String[] {HOST}},
        new Object[] {"untrusted peer", "10.0.0.0/8", "127.0.0.1", new String[] {HOST,
            "X-Forwarded-For: 203.0.113.7", "X-Forwarded-Proto: https",
            "X-Forwarded-Host: example.com", "X-Forwarded-Port: 8443"}},
        new Object[] {"invalid entry stops at the peer", "loopback", "127.0.0.1",
            new String[] {"X-Forwarded-For: 203.0.113.7, unknown"}},
        new Object[] {"only empty elements", "loopback", "127.0.0.1",
            new String[] {"X-Forwarded-For: , ,"}},
        new Object[] {"invalid proto, host and port", "loopback", "127.0.0.1", new String[] {
            HOST, "X-Forwarded-Proto: ftp", "X-Forwarded-Host: a b", "X-Forwarded-Port: 0"}},
        new Object[] {"trust nothing", "false", "127.0.0.1",
            new String[] {"X-Forwarded-For: 203.0.113.7", "X-Forwarded-Proto: https"}});
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("nothingChanges")
  void requestReportsTheConnectionWhenNothingChanges(String why, String trust, String peer,
      String[] headerLines) throws Exception {
    HttpServletRequest original = request(peer, headerLines);
    HttpServletRequest seen = FilterRuns.through(TrustProxyFilter.trusting(trust), original);
    assertThat(EchoServlet.describe(seen)).containsAllEntriesOf(EchoServlet.describe(original));
    assertThat(seen.getAttribute(TrustProxyFilter.RESOLUTION_ATTRIBUTE))
        .isInstanceOf(Resolution.class);
  }

  /** One request through a loopback-trusting filter from 127.0.0.1: what the app sees. */
  record View(String name, boolean tls, List<String> headerLines, Map<String, String> expected) {
    @Override
    public String toString() {
      return name;
    }
  }

  private static View view(String name, String[] headerLines, String... expected) {
    return view(name, false, headerLines, expected);
  }

  private static View view(String name, boolean tls, String[] headerLines, String... expected) {
    return new View(name, tls, List.of(headerLines), params(expected));
  }

  private static String[] h(String... lines) {
    return lines;
  }

  private static final String[] UNCHANGED = {"scheme", "http", "secure", "false",
      "serverName", "app.internal", "serverPort", "8080",
      "requestURL", "http://app.internal:8080/path"};

  static Stream<View> schemeHostPortViews() {
    List<View> views = new ArrayList<>();
    views.add(view("X-Forwarded-Port 8443 sets the port", h(HOST, "X-Forwarded-Port: 8443"),
        "serverPort", "8443", "serverName", "app.internal",
        "requestURL", "http://app.internal:8443/path"));
    views.add(view("X-Forwarded-Port: first element", h(HOST, "X-Forwarded-Port: 8443, 9000"),
        "serverPort", "8443"));
    views.add(view("X-Forwarded-Port 443 on http is explicit in the URL",
        h(HOST, "X-Forwarded-Port: 443"),
        "serverPort", "443", "requestURL", "http://app.internal:443/path"));
    for (String bad : List.of("0443", "0", "65536", "abc", "-1", "+443", "", "99999999999",
        "44 3", "1e3")) {
      views.add(view("X-Forwarded-Port '" + bad + "' is ignored",
          h(HOST, "X-Forwarded-Port: " + bad), UNCHANGED));
    }
    views.add(view("X-Forwarded-Host's port wins over X-Forwarded-Port",
        h(HOST, "X-Forwarded-Host: example.com:9443", "X-Forwarded-Port: 8443"),
        "serverName", "example.com", "serverPort", "9443",
        "requestURL", "http://example.com:9443/path"));
    views.add(view("X-Forwarded-Port completes X-Forwarded-Host without a port",
        h(HOST, "X-Forwarded-Host: example.com", "X-Forwarded-Port: 8443"),
        "serverName", "example.com", "serverPort", "8443"));
    views.add(view("https without a port: the https default port",
        h(HOST, "X-Forwarded-Proto: https"),
        "scheme", "https", "secure", "true", "serverName", "app.internal", "serverPort", "443",
        "requestURL", "https://app.internal/path"));
    views.add(view("http without a port on a TLS connection: the http default port", true,
        h("Host: app.internal:8443", "X-Forwarded-Proto: http"),
        "scheme", "http", "secure", "false", "serverPort", "80",
        "requestURL", "http://app.internal/path"));
    views.add(view("the same scheme keeps the port", true,
        h("Host: app.internal:8443", "X-Forwarded-Proto: https"),
        "scheme", "https", "secure", "true", "serverPort", "8443",
        "requestURL", "https://app.internal:8443/path"));
    views.add(view("https with X-Forwarded-Port", h(HOST, "X-Forwarded-Proto: https",
        "X-Forwarded-Port: 8443"), "scheme", "https", "serverPort", "8443",
        "requestURL", "https://app.internal:8443/path"));
    views.add(view("https with X-Forwarded-Host and no port: 443",
        h(HOST, "X-Forwarded-Proto: https", "X-Forwarded-Host: example.com"),
        "scheme", "https", "serverName", "example.com", "serverPort", "443",
        "requestURL", "https://example.com/path"));
    views.add(view("X-Forwarded-Proto in any case, trimmed, first element",
        h(HOST, "X-Forwarded-Proto:  HTTPS , http"), "scheme", "https", "secure", "true"));
    views.add(view("X-Forwarded-Proto: first line of several",
        h(HOST, "X-Forwarded-Proto: https", "X-Forwarded-Proto: http"), "scheme", "https"));
    views.add(view("X-Forwarded-Proto that is not http(s) is ignored",
        h(HOST, "X-Forwarded-Proto: wss"), UNCHANGED));
    views.add(view("X-Forwarded-Host with a bracketed IPv6 literal and a port",
        h(HOST, "X-Forwarded-Host: [2001:db8::1]:8443"),
        "serverName", "[2001:db8::1]", "serverPort", "8443",
        "requestURL", "http://[2001:db8::1]:8443/path"));
    views.add(view("X-Forwarded-Host: first element",
        h(HOST, "X-Forwarded-Host: example.com:9443, evil.example:1"),
        "serverName", "example.com", "serverPort", "9443"));
    for (String bad : List.of("exa mple.com", "example.com:0", "example.com:abc",
        "example.com:", "[::1", "[fe80::1%eth0]", "user@example.com", "example.com/x",
        ":8443", "2001:db8::1")) {
      views.add(view("X-Forwarded-Host '" + bad + "' is ignored",
          h(HOST, "X-Forwarded-Host: " + bad), UNCHANGED));
    }
    views.add(view("a trusted peer's proto and host apply though the client is another hop",
        h(HOST, "X-Forwarded-For: 203.0.113.7, 198.51.100.1", "X-Forwarded-Proto: https",
            "X-Forwarded-Host: example.com"),
        "remoteAddr", "198.51.100.1", "scheme", "https", "serverName", "example.com"));
    return views.stream();
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("schemeHostPortViews")
  void schemeHostAndPortFromATrustedPeer(View v) throws Exception {
    HttpServletRequest seen = FilterRuns.through(TrustProxyFilter.trusting("loopback"),
        TestRequest.create("127.0.0.1", v.tls(),
            TestRequest.lines(v.headerLines().toArray(String[]::new))));
    assertThat(EchoServlet.describe(seen)).containsAllEntriesOf(v.expected());
  }

  static Stream<Object[]> untrustedForwardingHeaders() {
    return Stream.of(
        new Object[] {"untrusted peer", ClientResolver.of(TrustPolicy.parse("loopback")),
            "198.51.100.9"},
        new Object[] {"peer outside the gate, trust true",
            ClientResolver.of(TrustPolicy.all())
                .withTrustedPeers(dev.trustproxy.IpRangeSet.parse("10.0.0.0/8")),
            "127.0.0.1"},
        new Object[] {"peer outside the gate, hop count 1",
            ClientResolver.of(TrustPolicy.hops(1))
                .withTrustedPeers(dev.trustproxy.IpRangeSet.parse("10.0.0.0/8")),
            "127.0.0.1"});
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("untrustedForwardingHeaders")
  void forwardingHeadersAreIgnoredFromAPeerNotTrusted(String why, ClientResolver resolver,
      String peer) throws Exception {
    for (Forwarding.Headers family : List.of(Forwarding.Headers.X_FORWARDED,
        Forwarding.Headers.FORWARDED, Forwarding.Headers.single("X-Real-IP"))) {
      HttpServletRequest original = request(peer, HOST, "X-Forwarded-For: 203.0.113.7",
          "X-Real-IP: 203.0.113.7",
          "X-Forwarded-Proto: https", "X-Forwarded-Host: example.com:9443",
          "X-Forwarded-Port: 8443", "Forwarded: for=203.0.113.7;proto=https;host=example.com");
      HttpServletRequest seen = FilterRuns.through(new TrustProxyFilter(resolver, family),
          original);
      Map<String, String> view = EchoServlet.describe(seen);
      assertThat(view).as("%s", family).containsAllEntriesOf(params(UNCHANGED))
          .containsEntry("remoteAddr", peer).containsEntry("remotePort", "40000")
          .containsEntry("headerIgnored", "true").containsEntry("peerTrusted", "false");
    }
  }

  // ---- peer address forms from containers ------------------------------------------------------

  static Stream<String[]> peerForms() {
    return Stream.of(
        new String[] {"[::1]", "loopback", "::1"},
        new String[] {"::1", "loopback", "::1"},
        new String[] {"[0:0:0:0:0:0:0:1]", "loopback", "::1"},
        new String[] {"fe80::1%eth0", "linklocal", "fe80::1"},
        new String[] {"[fe80::1%25eth0]", "linklocal", "fe80::1"},
        new String[] {"::ffff:127.0.0.1", "loopback", "127.0.0.1"},
        new String[] {"[::ffff:7f00:1]", "127.0.0.1", "127.0.0.1"},
        new String[] {"127.0.0.1", "::ffff:127.0.0.1", "127.0.0.1"});
  }

  @ParameterizedTest(name = "{0} with trust {1}")
  @MethodSource("peerForms")
  void peerAddressFormsFromContainers(String remoteAddr, String trust, String canonical)
      throws Exception {
    HttpServletRequest seen = FilterRuns.through(TrustProxyFilter.trusting(trust),
        request(remoteAddr, "X-Forwarded-For: 203.0.113.7"));
    assertThat(seen.getRemoteAddr()).isEqualTo("203.0.113.7");
    Resolution r = (Resolution) seen.getAttribute(TrustProxyFilter.RESOLUTION_ATTRIBUTE);
    assertThat(r.peer()).hasToString(canonical);
    assertThat(r.peerTrusted()).isTrue();
  }

  @ParameterizedTest(name = "''{0}''")
  @ValueSource(strings = {"unix:/tmp/x", "", "[::1", "::1]", "[]", "127.1", "0x7f.0.0.1",
      "127.0.0.1:8080", "%eth0", "localhost"})
  void peerThatIsNotAnIpLiteralLeavesTheRequestAsIs(String remoteAddr) throws Exception {
    HttpServletRequest original = request(remoteAddr, "X-Forwarded-For: 203.0.113.7",
        "X-Forwarded-Proto: https");
    HttpServletRequest seen = FilterRuns.through(TrustProxyFilter.trusting("true"), original);
    assertThat(seen).isSameAs(original);
    assertThat(seen.getAttribute(TrustProxyFilter.RESOLUTION_ATTRIBUTE)).isNull();
    assertThat(seen.getRemoteAddr()).isEqualTo(remoteAddr);
  }

  // ---- the start-up warning -----------------------------------------------------------------

  /** Runs {@code body} capturing slf4j-simple's output (System.err, looked up per message). */
  private static String capturingLog(Callable<?> body) throws Exception {
    assertThat(LoggerFactory.getILoggerFactory().getClass().getName())
        .as("slf4j-simple is the test binding").startsWith("org.slf4j.simple.");
    PrintStream original = System.err;
    ByteArrayOutputStream captured = new ByteArrayOutputStream();
    System.setErr(new PrintStream(captured, true, StandardCharsets.UTF_8));
    try {
      body.call();
    } finally {
      System.setErr(original);
    }
    return captured.toString(StandardCharsets.UTF_8);
  }

  private static long warnings(String log) {
    return log.lines().filter(l -> l.contains("WARN dev.trustproxy.servlet.TrustProxyFilter"))
        .count();
  }

  static Stream<Object[]> trustSettingsAndWarnings() {
    return Stream.of(
        new Object[] {"init-param true", (Callable<?>) () ->
            FilterRuns.initialised(params("trust-proxy", "true")), 1L},
        new Object[] {"init-param ' true ' (trimmed)", (Callable<?>) () ->
            FilterRuns.initialised(params("trust-proxy", " true ")), 1L},
        new Object[] {"trusting(\"true\")", (Callable<?>) () ->
            TrustProxyFilter.trusting("true"), 1L},
        new Object[] {"new TrustProxyFilter(all, FORWARDED)", (Callable<?>) () ->
            new TrustProxyFilter(ClientResolver.of(TrustPolicy.all()), Forwarding.Headers.FORWARDED),
            1L},
        new Object[] {"init-param loopback", (Callable<?>) () ->
            FilterRuns.initialised(params("trust-proxy", "loopback")), 0L},
        new Object[] {"init-param 2", (Callable<?>) () ->
            FilterRuns.initialised(params("trust-proxy", "2")), 0L},
        new Object[] {"default", (Callable<?>) () -> FilterRuns.initialised(Map.of()), 0L});
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("trustSettingsAndWarnings")
  void trustTrueLogsOneWarningAtStart(String how, Callable<?> start, long expected)
      throws Exception {
    String log = capturingLog(start);
    assertThat(warnings(log)).as(log).isEqualTo(expected);
    assertThat(log).as("the INFO line shows the filter started").contains("TrustProxyFilter:");
    if (expected > 0) {
      assertThat(log).contains("trust-proxy is true");
    }
  }

  @Test
  void trustTrueDoesNotWarnPerRequest() throws Exception {
    TrustProxyFilter filter = TrustProxyFilter.trusting("true");
    String log = capturingLog(() -> {
      for (int i = 0; i < 3; i++) {
        FilterRuns.through(filter, request("127.0.0.1", "X-Forwarded-For: 203.0.113.7"));
      }
      return null;
    });
    assertThat(warnings(log)).as(log).isZero();
  }
}

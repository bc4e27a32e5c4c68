package dev.trustproxy.jetty;

import static dev.trustproxy.proxyprotocol.Bytes.concat;
import static dev.trustproxy.proxyprotocol.Bytes.hex;
import static dev.trustproxy.proxyprotocol.Bytes.tlv;
import static dev.trustproxy.proxyprotocol.Bytes.v2;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.trustproxy.testsupport.RawClient;
import dev.trustproxy.IpAddress;
import dev.trustproxy.Resolution;
import dev.trustproxy.servlet.ConformanceVectors;
import dev.trustproxy.servlet.TrustProxyFilter;
import jakarta.servlet.DispatcherType;
import jakarta.servlet.Filter;
import jakarta.servlet.FilterChain;
import jakarta.servlet.FilterConfig;
import jakarta.servlet.ServletException;
import jakarta.servlet.ServletRequest;
import jakarta.servlet.ServletResponse;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.eclipse.jetty.ee10.servlet.FilterHolder;
import org.eclipse.jetty.ee10.servlet.ServletContextHandler;
import org.eclipse.jetty.ee10.servlet.ServletContextRequest;
import org.eclipse.jetty.ee10.servlet.ServletHolder;
import org.eclipse.jetty.http.HttpCompliance;
import org.eclipse.jetty.server.HttpConfiguration;
import org.eclipse.jetty.server.HttpConnectionFactory;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

/**
 * Every conformance vector through {@link TrustProxyCustomizer} on a real Jetty request and
 * through {@link TrustProxyFilter} on a real Jetty request, asserting identical answers, and
 * answers equal to the vector's expectation.
 *
 * <p>Two servers, each with a connector on 127.0.0.1 that takes a PROXY v2 header from loopback:
 * the header carries the vector's peer as the source (and, for {@code tls} vectors, an SSL TLV
 * that marks the request secure). One server customizes every request; the other deploys the
 * filter. The request header {@code x-vector} picks the vector's configuration on both.
 */
class TrustProxyCustomizerConformanceTest {

  private static final String VECTOR_HEADER = "x-vector";

  private static final Map<String, TrustProxyCustomizer> CUSTOMIZERS = new ConcurrentHashMap<>();
  private static final Map<String, TrustProxyFilter> FILTERS = new ConcurrentHashMap<>();
  private static Server customized;
  private static Server filtered;
  private static int customizedPort;
  private static int filteredPort;

  @BeforeAll
  static void start() throws Exception {
    HttpConfiguration config = new HttpConfiguration();
    config.addCustomizer((request, responseHeaders) -> {
      TrustProxyCustomizer c = CUSTOMIZERS.get(request.getHeaders().get(VECTOR_HEADER));
      return c == null ? request : c.customize(request, responseHeaders);
    });
    customized = new Server();
    customizedPort = addConnector(customized, config);
    ServletContextHandler customizedContext = new ServletContextHandler();
    customizedContext.addServlet(new ServletHolder(new Echo()), "/*");
    customized.setHandler(customizedContext);
    customized.start();

    filtered = new Server();
    filteredPort = addConnector(filtered, new HttpConfiguration());
    ServletContextHandler filteredContext = new ServletContextHandler();
    filteredContext.addFilter(new FilterHolder(new VectorFilter()), "/*",
        EnumSet.of(DispatcherType.REQUEST));
    filteredContext.addServlet(new ServletHolder(new Echo()), "/*");
    filtered.setHandler(filteredContext);
    filtered.start();
  }

  private static int addConnector(Server server, HttpConfiguration config) {
    // Some vectors send two Host lines or "Host: app.local:" (empty port), which Jetty refuses
    // by default before any customizer or filter runs; allow those two so every vector is served.
    // MISMATCHED_AUTHORITY stays forbidden: the customizer must keep Host and the URI in step.
    config.setHttpCompliance(HttpCompliance.RFC9110.with("conformance-vectors",
        HttpCompliance.Violation.DUPLICATE_HOST_HEADERS,
        HttpCompliance.Violation.UNSAFE_HOST_HEADER));
    ProxyProtocolConnectionFactory proxy = new ProxyProtocolConnectionFactory("http/1.1");
    proxy.setTrustedSources("loopback");
    proxy.setSslTlvMarksSecure(true);
    ServerConnector connector =
        new ServerConnector(server, proxy, new HttpConnectionFactory(config));
    connector.setHost("127.0.0.1");
    connector.setPort(0);
    server.addConnector(connector);
    try {
      connector.open();
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
    return connector.getLocalPort();
  }

  @AfterAll
  static void stop() throws Exception {
    try {
      if (customized != null) {
        customized.stop();
      }
    } finally {
      if (filtered != null) {
        filtered.stop();
      }
    }
  }

  @TestFactory
  Stream<DynamicTest> everyVectorGivesTheFiltersAnswerThroughTheCustomizer() throws IOException {
    return ConformanceVectors.dynamicTests(TrustProxyCustomizerConformanceTest::check);
  }

  @SuppressWarnings("unchecked")
  private static void check(String file, Map<String, Object> vector) throws Exception {
    String key = file + " " + vector.get("id");
    String trust = (String) vector.get("trust");
    Map<String, Object> expect = (Map<String, Object>) vector.get("expect");
    if (Boolean.TRUE.equals(expect.get("error"))) {
      assertThatThrownBy(() -> new TrustProxyCustomizer().setTrustProxy(trust))
          .as("%s: trust setting '%s' must be rejected", key, trust)
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessageContaining("trustProxy");
      assertThatThrownBy(() -> new TrustProxyFilter().init(config(trust)))
          .isInstanceOf(ServletException.class);
      return;
    }
    TrustProxyCustomizer customizer = new TrustProxyCustomizer();
    customizer.setTrustProxy(trust);
    CUSTOMIZERS.put(key, customizer);
    TrustProxyFilter filter = new TrustProxyFilter();
    filter.init(config(trust));
    FILTERS.put(key, filter);
    try {
      byte[] request = request(vector, key);
      Map<String, String> viaCustomizer = exchange(customizedPort, request);
      Map<String, String> viaFilter = exchange(filteredPort, request);

      assertThat(servletView(viaCustomizer)).as("%s: customizer and filter answer alike", key)
          .isEqualTo(servletView(viaFilter));
      if (conflictingHosts(vector)) {
        // RFC 9110 §7.2: two different Host values are a 400, before any customizer or filter.
        assertThat(viaCustomizer.get("status")).as(key).isEqualTo("400");
        return;
      }
      assertThat(viaCustomizer.get("status")).as(key).isEqualTo("200");
      ConformanceVectors.assertAnswer(key, viaCustomizer, expect,
          TrustProxyCustomizerConformanceTest::canonical);
      // Below the servlet API, Jetty core sees the same request on the customized server.
      for (String field : List.of("ip", "scheme", "secure", "serverName", "serverPort")) {
        assertThat(viaCustomizer.get("core." + field)).as("%s core %s", key, field)
            .isEqualTo(viaCustomizer.get(field));
      }
    } finally {
      CUSTOMIZERS.remove(key);
      FILTERS.remove(key);
    }
  }

  @SuppressWarnings("unchecked")
  private static boolean conflictingHosts(Map<String, Object> vector) {
    return ((List<List<String>>) (List<?>) vector.get("headers")).stream()
        .filter(h -> h.get(0).equalsIgnoreCase("host")).map(h -> h.get(1)).distinct().count() > 1;
  }

  /** What the servlet API reported (the filter changes nothing below it). */
  private static Map<String, String> servletView(Map<String, String> answer) {
    Map<String, String> view = new LinkedHashMap<>(answer);
    view.keySet().removeIf(k -> k.startsWith("core."));
    // Jetty prints an IPv6 remote address long and bracketed, the filter in RFC 5952 form.
    view.computeIfPresent("ip", (k, v) -> canonical(v));
    view.computeIfPresent("remoteHost", (k, v) -> canonical(v));
    return view;
  }

  /** The address text as the conformance vectors write it (Jetty prints IPv6 long and bracketed). */
  private static String canonical(String address) {
    if (address.startsWith("<")) {
      return address; // not an address: an error page, compared as is
    }
    String a = address.startsWith("[") ? address.substring(1, address.length() - 1) : address;
    return IpAddress.parse(a).toString();
  }

  /** A PROXY v2 header from the vector's peer, then the vector's header lines. */
  @SuppressWarnings("unchecked")
  private static byte[] request(Map<String, Object> vector, String key) {
    IpAddress peer = IpAddress.parse((String) vector.get("peer"));
    byte[] source = peer.toInetAddress().getAddress();
    boolean v4 = source.length == 4;
    byte[] destination = v4 ? new byte[] {127, 0, 0, 1} : hex("00 00 00 00 00 00 00 00 00 00 00 00 00 00 00 01");
    ByteBuffer addresses = ByteBuffer.allocate(source.length * 2 + 4);
    addresses.put(source).put(destination).putShort((short) 40000).putShort((short) 8080);
    byte[] body = addresses.array();
    if (Boolean.TRUE.equals(vector.get("tls"))) {
      // PP2_TYPE_SSL: client has PP2_CLIENT_SSL, verify 0, no sub-TLVs.
      body = concat(body, tlv(0x20, hex("01 00 00 00 00")));
    }
    byte[] proxy = v2(0x21, v4 ? 0x11 : 0x21, body);

    List<List<String>> headers = (List<List<String>>) (List<?>) vector.get("headers");
    boolean hasHost = headers.stream().anyMatch(h -> h.get(0).equalsIgnoreCase("host"));
    StringBuilder http = new StringBuilder(hasHost ? "GET /path HTTP/1.1\r\n" : "GET /path HTTP/1.0\r\n");
    for (List<String> h : headers) {
      http.append(h.get(0)).append(": ").append(h.get(1)).append("\r\n");
    }
    http.append(VECTOR_HEADER).append(": ").append(key).append("\r\nConnection: close\r\n\r\n");
    return concat(proxy, http.toString().getBytes(StandardCharsets.ISO_8859_1));
  }

  private static Map<String, String> exchange(int port, byte[] request) throws IOException {
    String response;
    try (RawClient client = new RawClient(port)) {
      response = client.send(request).readUntilClosed().response();
    }
    Map<String, String> answer = new LinkedHashMap<>();
    int headerEnd = response.indexOf("\r\n\r\n");
    answer.put("status", response.length() > 12 ? response.substring(9, 12) : response);
    if (headerEnd >= 0) {
      for (String line : response.substring(headerEnd + 4).split("\n")) {
        int eq = line.indexOf('=');
        if (eq > 0) {
          answer.put(line.substring(0, eq), line.substring(eq + 1));
        }
      }
    }
    return answer;
  }

  private static FilterConfig config(String trust) {
    return ConformanceVectors.filterConfig(Map.of("trust-proxy", trust));
  }

  /** Runs the vector's filter, picked by the {@code x-vector} header. */
  private static final class VectorFilter implements Filter {
    @Override
    public void doFilter(ServletRequest request, ServletResponse response, FilterChain chain)
        throws IOException, ServletException {
      TrustProxyFilter filter = FILTERS.get(((HttpServletRequest) request).getHeader(VECTOR_HEADER));
      if (filter == null) {
        chain.doFilter(request, response);
      } else {
        filter.doFilter(request, response, chain);
      }
    }
  }

  /** Writes what the servlet API and (below it) Jetty core report, one {@code name=value} a line. */
  private static final class Echo extends HttpServlet {
    @Override
    protected void doGet(HttpServletRequest req, HttpServletResponse resp) throws IOException {
      Map<String, Object> out = new LinkedHashMap<>();
      out.put("ip", req.getRemoteAddr());
      out.put("remoteHost", req.getRemoteHost());
      out.put("scheme", req.getScheme());
      out.put("secure", req.isSecure());
      out.put("serverName", req.getServerName());
      out.put("serverPort", req.getServerPort());
      out.put("requestURL", req.getRequestURL());
      Resolution r = (Resolution) req.getAttribute(TrustProxyFilter.RESOLUTION_ATTRIBUTE);
      out.put("resolution", r == null ? "none" : r.toString());
      if (r != null) {
        out.put("ips", r.ips().stream().map(IpAddress::toString).collect(Collectors.joining(",")));
        out.put("headerIgnored", r.headerIgnored());
        out.put("stoppedOnInvalid", r.stoppedOnInvalid());
      }
      Request core = ServletContextRequest.getServletContextRequest(req);
      out.put("core.ip", Request.getRemoteAddr(core));
      out.put("core.scheme", core.getHttpURI().getScheme());
      out.put("core.secure", core.isSecure());
      out.put("core.serverName", Request.getServerName(core));
      out.put("core.serverPort", Request.getServerPort(core));
      StringBuilder body = new StringBuilder();
      out.forEach((k, v) -> body.append(k).append('=').append(v).append('\n'));
      resp.setContentType("text/plain;charset=utf-8");
      resp.getWriter().write(body.toString());
    }
  }
}

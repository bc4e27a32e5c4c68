package dev.trustproxy.servlet;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.DynamicTest.dynamicTest;

import dev.trustproxy.IpAddress;
import dev.trustproxy.Resolution;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;

/**
 * Every conformance vector (real Express runs with trustproxy's expected answers, see
 * {@code conformance/README.md}) through the real filter on a {@link TestRequest}.
 *
 * <p>Also runs every {@code *.jsonl} in the folder named by the system property {@code
 * trustproxy.vectors}, so new vector files can be checked without code changes: {@code ./mvnw -pl
 * filter-core test -Dtest=ConformanceTest -Dtrustproxy.vectors=/path/to/dir}.
 */
class ConformanceTest {

  static final List<String> BUNDLED = List.of(
      "express-proxy-addr-suite.jsonl", "express-edge-cases.jsonl", "express-random-2000.jsonl");

  @TestFactory
  Stream<DynamicTest> bundledVectors() throws IOException {
    List<DynamicTest> tests = new ArrayList<>();
    for (String file : BUNDLED) {
      try (InputStream in = ConformanceTest.class.getResourceAsStream("/conformance/" + file)) {
        Objects.requireNonNull(in, "missing test resource conformance/" + file);
        tests.addAll(vectors(file, in));
      }
    }
    return tests.stream();
  }

  @TestFactory
  Stream<DynamicTest> extraVectors() throws IOException {
    String dir = System.getProperty("trustproxy.vectors");
    List<DynamicTest> tests = new ArrayList<>();
    if (dir == null || dir.isBlank()) {
      return tests.stream();
    }
    try (Stream<Path> files = Files.list(Path.of(dir))) {
      for (Path file : files.filter(p -> p.toString().endsWith(".jsonl")).sorted().toList()) {
        try (InputStream in = Files.newInputStream(file)) {
          tests.addAll(vectors(file.getFileName().toString(), in));
        }
      }
    }
    assertThat(tests).as("no vectors found in -Dtrustproxy.vectors=%s", dir).isNotEmpty();
    return tests.stream();
  }

  @Test
  void bundledFilesHoldEveryVectorOfTheSharedContract() throws IOException {
    int count = 0;
    for (String file : BUNDLED) {
      try (InputStream in = ConformanceTest.class.getResourceAsStream("/conformance/" + file)) {
        count += vectors(file, in).size();
      }
    }
    // conformance/README.md: 156 + 66 + 1748 vectors.
    assertThat(count).isEqualTo(1970);
  }

  static List<DynamicTest> vectors(String file, InputStream in) throws IOException {
    List<DynamicTest> tests = new ArrayList<>();
    BufferedReader reader = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8));
    String line;
    while ((line = reader.readLine()) != null) {
      if (line.isBlank()) {
        continue;
      }
      @SuppressWarnings("unchecked")
      Map<String, Object> vector = (Map<String, Object>) Json.parse(line);
      tests.add(dynamicTest(file + " " + vector.get("id"), () -> check(vector)));
    }
    return tests;
  }

  @SuppressWarnings("unchecked")
  static void check(Map<String, Object> vector) throws Exception {
    String id = (String) vector.get("id");
    String trust = (String) vector.get("trust");
    Map<String, Object> expect = (Map<String, Object>) vector.get("expect");
    TrustProxyFilter filter = new TrustProxyFilter();
    if (Boolean.TRUE.equals(expect.get("error"))) {
      assertThatThrownBy(() -> filter.init(TestRequest.config(Map.of("trust-proxy", trust))))
          .as("%s: trust setting '%s' must be rejected at start-up (%s)", id, trust,
              expect.get("reason"))
          .isInstanceOf(ServletException.class)
          .hasMessageContaining("trust-proxy");
      return;
    }
    filter.init(TestRequest.config(Map.of("trust-proxy", trust)));

    String peer = (String) vector.get("peer");
    boolean tls = Boolean.TRUE.equals(vector.get("tls"));
    List<String[]> headers = new ArrayList<>();
    for (Object h : (List<Object>) vector.get("headers")) {
      List<Object> pair = (List<Object>) h;
      headers.add(new String[] {(String) pair.get(0), (String) pair.get(1)});
    }
    HttpServletRequest original = TestRequest.create(peer, tls, headers);
    AtomicReference<HttpServletRequest> seen = new AtomicReference<>();
    filter.doFilter(original, null, (req, res) -> seen.set((HttpServletRequest) req));
    HttpServletRequest r = seen.get();
    Resolution resolution = (Resolution) r.getAttribute(TrustProxyFilter.RESOLUTION_ATTRIBUTE);

    assertThat(r.getRemoteAddr()).as(field(id, "ip")).isEqualTo(expect.get("ip"));
    assertThat(r.getRemoteHost()).as(field(id, "ip (getRemoteHost)")).isEqualTo(expect.get("ip"));
    assertThat(resolution.ips().stream().map(IpAddress::toString).toList())
        .as(field(id, "ips")).isEqualTo(expect.get("ips"));
    assertThat(resolution.headerIgnored()).as(field(id, "headerIgnored"))
        .isEqualTo(expect.get("headerIgnored"));
    assertThat(resolution.stoppedOnInvalid()).as(field(id, "stoppedOnInvalid"))
        .isEqualTo(expect.get("stoppedOnInvalid"));
    assertThat(r.getScheme()).as(field(id, "scheme")).isEqualTo(expect.get("scheme"));
    assertThat(r.isSecure()).as(field(id, "secure")).isEqualTo(expect.get("secure"));

    Object serverName = expect.get("serverName");
    assertThat(r.getServerName()).as(field(id, "serverName"))
        .isEqualTo(serverName != null ? serverName : original.getServerName());
    Object serverPort = expect.get("serverPort");
    int expectedPort;
    if (serverPort != null) {
      expectedPort = ((Long) serverPort).intValue();
    } else if (!r.getScheme().equals(original.getScheme())) {
      expectedPort = r.getScheme().equals("https") ? 443 : 80; // D12: scheme default
    } else {
      expectedPort = original.getServerPort();
    }
    assertThat(r.getServerPort()).as(field(id, "serverPort")).isEqualTo(expectedPort);
    assertThat(r.getRequestURL().toString()).as(field(id, "requestURL")).isEqualTo(
        r.getScheme() + "://" + r.getServerName()
            + (expectedPort == (r.getScheme().equals("https") ? 443 : 80) ? "" : ":" + expectedPort)
            + "/path");
  }

  private static String field(String id, String field) {
    return "vector " + id + ", field " + field;
  }
}

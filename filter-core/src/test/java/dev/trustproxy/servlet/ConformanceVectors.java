package dev.trustproxy.servlet;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.DynamicTest.dynamicTest;

import jakarta.servlet.FilterConfig;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.function.UnaryOperator;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;

/**
 * The conformance vectors of filter-core's test-jar ({@code conformance/*.jsonl}), read with its
 * JSON reader, for tests of other adapters.
 */
public final class ConformanceVectors {

  private ConformanceVectors() {}

  /** The bundled vector files, in the order filter-core's ConformanceTest runs them. */
  public static List<String> files() {
    return ConformanceTest.BUNDLED;
  }

  /** Every vector of one bundled file, as parsed JSON objects. */
  @SuppressWarnings("unchecked")
  public static List<Map<String, Object>> read(String file) throws IOException {
    List<Map<String, Object>> vectors = new ArrayList<>();
    try (InputStream in = ConformanceVectors.class.getResourceAsStream("/conformance/" + file)) {
      Objects.requireNonNull(in, "missing test-jar resource conformance/" + file);
      BufferedReader reader = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8));
      String line;
      while ((line = reader.readLine()) != null) {
        if (!line.isBlank()) {
          vectors.add((Map<String, Object>) Json.parse(line));
        }
      }
    }
    return vectors;
  }

  /** One adapter's check of one vector of a bundled file. */
  @FunctionalInterface
  public interface VectorCheck {
    void check(String file, Map<String, Object> vector) throws Exception;
  }

  /** A dynamic test per bundled vector, named {@code "file id"}; all 1,970 of them. */
  public static Stream<DynamicTest> dynamicTests(VectorCheck check) throws IOException {
    List<DynamicTest> tests = new ArrayList<>();
    for (String file : files()) {
      for (Map<String, Object> vector : read(file)) {
        tests.add(dynamicTest(file + " " + vector.get("id"), () -> check.check(file, vector)));
      }
    }
    // conformance/README.md: 156 + 66 + 1748 vectors.
    assertThat(tests).hasSize(1970);
    return tests.stream();
  }

  /** The filter's init-params {@code params}, as a web.xml would give them. */
  public static FilterConfig filterConfig(Map<String, String> params) {
    return TestRequest.config(params);
  }

  /**
   * Asserts that an adapter's answer (the {@code name=value} fields an echo servlet printed:
   * {@code ip}, {@code ips}, {@code headerIgnored}, {@code stoppedOnInvalid}, {@code scheme},
   * {@code secure}, {@code serverName}, {@code serverPort}) is the vector's expectation.
   *
   * @param address turns the container's address text into the vectors' form
   */
  @SuppressWarnings("unchecked")
  public static void assertAnswer(String key, Map<String, String> answer,
      Map<String, Object> expect, UnaryOperator<String> address) {
    assertThat(address.apply(answer.get("ip"))).as("%s ip", key).isEqualTo(expect.get("ip"));
    assertThat(answer.get("ips")).as("%s ips", key)
        .isEqualTo(String.join(",", (List<String>) expect.get("ips")));
    assertThat(answer.get("headerIgnored")).as("%s headerIgnored", key)
        .isEqualTo(String.valueOf(expect.get("headerIgnored")));
    assertThat(answer.get("stoppedOnInvalid")).as("%s stoppedOnInvalid", key)
        .isEqualTo(String.valueOf(expect.get("stoppedOnInvalid")));
    assertThat(answer.get("scheme")).as("%s scheme", key).isEqualTo(expect.get("scheme"));
    assertThat(answer.get("secure")).as("%s secure", key)
        .isEqualTo(String.valueOf(expect.get("secure")));
    if (expect.get("serverName") != null) {
      assertThat(answer.get("serverName")).as("%s serverName", key)
          .isEqualTo(expect.get("serverName"));
    }
    if (expect.get("serverPort") != null) {
      assertThat(answer.get("serverPort")).as("%s serverPort", key)
          .isEqualTo(String.valueOf(expect.get("serverPort")));
    }
  }
}

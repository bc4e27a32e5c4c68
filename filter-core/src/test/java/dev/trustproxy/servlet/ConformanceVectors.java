package dev.trustproxy.servlet;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;

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
}

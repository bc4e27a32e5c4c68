package dev.trustproxy.integration;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Reads back the slf4j-simple log file that the Surefire configuration directs every logger to
 * (system property {@code org.slf4j.simpleLogger.logFile}), record by record: a record starts
 * with its level, and any line that does not is a continuation of the record before it (a
 * stack trace, or text after an injected line break, which then still counts at the level of
 * the record that logged it).
 */
final class LogCapture {

  record LogRecord(String level, String text) {
    boolean aboveDebug() {
      return !level.equals("DEBUG") && !level.equals("TRACE");
    }
  }

  private static final List<String> LEVELS = List.of("TRACE", "DEBUG", "INFO", "WARN", "ERROR");

  private final Path file;

  LogCapture() {
    String name = System.getProperty("integration.logFile");
    assertThat(name).as("system property integration.logFile (set by the Surefire config)")
        .isNotBlank();
    this.file = Path.of(name);
  }

  /** The current end of the log, to read only what a test case caused. */
  long mark() throws IOException {
    return Files.exists(file) ? Files.size(file) : 0;
  }

  List<LogRecord> since(long mark) throws IOException {
    if (!Files.exists(file)) {
      return List.of();
    }
    byte[] bytes;
    try (RandomAccessFile raf = new RandomAccessFile(file.toFile(), "r")) {
      long length = raf.length();
      bytes = new byte[(int) Math.max(0, length - mark)];
      raf.seek(mark);
      raf.readFully(bytes);
    }
    // ISO-8859-1 keeps every byte as one char, so a raw NUL or CR is visible to the check.
    String text = new String(bytes, StandardCharsets.ISO_8859_1);
    List<LogRecord> records = new ArrayList<>();
    for (String line : text.split("\n", -1)) {
      String level = levelOf(line);
      if (level != null || records.isEmpty()) {
        records.add(new LogRecord(level == null ? "UNKNOWN" : level, line));
      } else {
        LogRecord last = records.remove(records.size() - 1);
        records.add(new LogRecord(last.level(), last.text() + "\n" + line));
      }
    }
    return records;
  }

  private static String levelOf(String line) {
    for (String level : LEVELS) {
      if (line.startsWith(level + " ")) {
        return level;
      }
    }
    return null;
  }

  /** Asserts that no record above DEBUG written since {@code mark} contains any of {@code raw}. */
  void assertNothingRawAboveDebug(long mark, List<String> raw) throws IOException {
    for (LogRecord r : since(mark)) {
      if (r.aboveDebug()) {
        for (String bytes : raw) {
          assertThat(r.text()).as("%s record logged raw attack bytes", r.level())
              .doesNotContain(bytes);
        }
      }
    }
  }

  /** Asserts that no record at all written since {@code mark} contains any of {@code raw}. */
  void assertNothingRawAtAnyLevel(long mark, List<String> raw) throws IOException {
    for (LogRecord r : since(mark)) {
      for (String bytes : raw) {
        assertThat(r.text()).as("%s record logged raw attack bytes", r.level())
            .doesNotContain(bytes);
      }
    }
  }
}

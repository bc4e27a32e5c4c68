package dev.trustproxy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.trustproxy.testsupport.ChangingFiles;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The polling thread of the range files (README D83). */
class RangeReloaderTest {

  @TempDir Path dir;

  static long reloaderThreads() {
    return ChangingFiles.threads(RangeReloader.THREAD_PREFIX);
  }

  private Path write(String content) throws IOException {
    return ChangingFiles.replace(dir, "list.txt", content);
  }

  @Test
  void theThreadPollsTheFilesCountsFailuresAndEndsOnClose() throws Exception {
    long before = reloaderThreads();
    Path file = write("192.0.2.0/24\n");
    RangeSource source = RangeSource.parse("trust-proxy", "file:" + file);
    AtomicInteger failures = new AtomicInteger();
    RangeReloader reloader = RangeReloader.start("test", List.of(source), Duration.ofMillis(5),
        failures::incrementAndGet);
    try {
      assertThat(reloader.isRunning()).isTrue();
      assertThat(reloaderThreads()).isEqualTo(before + 1);

      write("198.51.100.0/24\n");
      ChangingFiles.await(() -> source.current().toString().equals("198.51.100.0/24"));
      assertThat(source.current()).hasToString("198.51.100.0/24");

      write("198.51.100.0/24\nbad\n");
      ChangingFiles.await(() -> failures.get() > 0);
      assertThat(failures).hasValue(1);
      assertThat(source.current()).hasToString("198.51.100.0/24");
    } finally {
      reloader.close();
    }
    assertThat(reloader.isRunning()).isFalse();
    assertThat(reloaderThreads()).isEqualTo(before);
    reloader.close();
  }

  @Test
  void sourcesWithoutFilesStartNoThread() {
    long before = reloaderThreads();
    RangeReloader reloader = RangeReloader.start("fixed",
        List.of(RangeSource.fixed(IpRangeSet.parse("10.0.0.0/8")),
            RangeSource.swappable(IpRangeSet.parse("10.0.0.0/8"))),
        Duration.ofSeconds(30), () -> { });
    assertThat(reloader.isRunning()).isFalse();
    assertThat(reloaderThreads()).isEqualTo(before);
    reloader.close();
  }

  @ParameterizedTest(name = "''{0}'' -> {1}")
  @CsvSource(
      delimiter = '|',
      value = {"30 | 30", " 1 | 1", "86400 | 86400", "120 | 120"})
  void theIntervalIsWholeSeconds(String text, long seconds) {
    assertThat(RangeReloader.parseInterval("reload-interval", text))
        .isEqualTo(Duration.ofSeconds(seconds));
  }

  @Test
  void theDefaultIntervalIsThirtySeconds() {
    assertThat(RangeReloader.parseInterval("reload-interval", null))
        .isEqualTo(Duration.ofSeconds(30));
  }

  @ParameterizedTest(name = "''{0}''")
  @CsvSource(
      delimiter = '|',
      value = {"0", "-1", "86401", "030", "30s", "1.5", "''", "9999999"})
  void aBadIntervalIsRefusedNamingTheSetting(String text) {
    assertThatThrownBy(() -> RangeReloader.parseInterval("reload-interval", text))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("reload-interval: '" + text + "' is not a reload interval: expected whole"
            + " seconds, 1 to 86400 (default 30)");
  }
}

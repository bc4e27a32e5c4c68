package dev.trustproxy;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Tag;

/**
 * Properties of the JSON reader and the range-file formats for any bytes: only {@link
 * IllegalArgumentException}s that name the setting and the file, and every accepted list holds
 * ranges that parse back. In a normal build this replays the seeds under {@code
 * src/test/resources/dev/trustproxy/RangeFileFuzzTestInputs/fuzz/}; to fuzz: {@code
 * JAZZER_FUZZ=1 ./mvnw -B -pl core test -Dtest=RangeFileFuzzTest}.
 */
@Tag("fuzz")
class RangeFileFuzzTest {

  private static final String SETTING = "fuzz.ranges";

  @FuzzTest(maxDuration = "2m")
  void fuzz(FuzzedDataProvider data) {
    boolean filtered = data.consumeBoolean();
    byte[] bytes = data.consumeRemainingAsBytes();
    String item = "file:/fuzz/list" + (filtered ? "#service=A" : "");
    // The reader alone never throws anything but its own errors.
    try {
      JsonReader.read(new String(bytes, StandardCharsets.UTF_8));
    } catch (IllegalArgumentException e) {
      assertThat(e.getMessage()).startsWith("line ");
    }
    RangeFile file = RangeFile.of(SETTING, item);
    IpRangeSet set;
    try {
      set = file.parse(bytes);
    } catch (IllegalArgumentException e) {
      assertThat(e.getMessage()).startsWith(SETTING + ": '" + item + "' ");
      return;
    }
    assertThat(set.isEmpty()).isFalse();
    for (IpRange r : set.ranges()) {
      assertThat(IpRange.parse(r.toString())).isEqualTo(r);
      assertThat(set.contains(r.base())).isTrue();
    }
  }
}

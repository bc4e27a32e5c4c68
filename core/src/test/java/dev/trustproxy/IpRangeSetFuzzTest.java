package dev.trustproxy;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;
import org.junit.jupiter.api.Tag;

/**
 * Properties of {@link IpRangeSet} and {@link IpRange} parsing for any text. In a normal build
 * this replays the seed inputs under {@code
 * src/test/resources/dev/trustproxy/IpRangeSetFuzzTestInputs/fuzz/}; to fuzz: {@code JAZZER_FUZZ=1
 * ./mvnw -B -pl core test -Dtest=IpRangeSetFuzzTest}.
 */
@Tag("fuzz")
class IpRangeSetFuzzTest {

  private static final String SETTING = "fuzz.trusted";

  @FuzzTest(maxDuration = "2m")
  void fuzz(FuzzedDataProvider data) {
    String text = data.consumeRemainingAsString();
    checkRange(text);

    IpRangeSet set;
    try {
      set = IpRangeSet.parse(SETTING, text);
    } catch (IllegalArgumentException e) {
      assertThat(e.getMessage()).startsWith(SETTING + ": ");
      return;
    }
    assertThat(set.isEmpty()).isFalse();

    // Accepted sets round-trip through toString.
    String printed = set.toString();
    IpRangeSet reparsed = IpRangeSet.parse(SETTING, printed);
    assertThat(reparsed).isEqualTo(set).hasSameHashCodeAs(set);
    assertThat(reparsed.toString()).isEqualTo(printed);

    // Every range holds its own base, and the set agrees with its ranges there.
    for (IpRange range : set.ranges()) {
      assertThat(set.contains(range.base())).as(range.toString()).isTrue();
      assertThat(range.contains(range.base())).as(range.toString()).isTrue();
    }
  }

  /** IpRange on the same text: tryParse never throws, parse only IllegalArgumentException. */
  private static void checkRange(String text) {
    IpRange tried = IpRange.tryParse(text);
    IpRange parsed;
    try {
      parsed = IpRange.parse(text);
    } catch (IllegalArgumentException e) {
      assertThat(tried).isNull();
      assertThat(e.getMessage()).contains("'" + text + "'");
      parsed = null;
    }
    assertThat(parsed).isEqualTo(tried);
    if (tried != null) {
      IpRange reparsed = IpRange.parse(tried.toString());
      assertThat(reparsed).isEqualTo(tried).hasToString(tried.toString());
      assertThat(IpRange.of(tried.base(), tried.prefixLength())).isEqualTo(tried);
      assertThat(tried.prefixLength()).isBetween(1, tried.base().isIpv4() ? 32 : 128);
    }
  }
}

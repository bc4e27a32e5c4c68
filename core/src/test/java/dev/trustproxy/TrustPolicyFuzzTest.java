package dev.trustproxy;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;
import org.junit.jupiter.api.Tag;

/** The trust-setting parser: fails only with a message naming the setting; what it accepts round-trips. */
@Tag("fuzz")
class TrustPolicyFuzzTest {

  @FuzzTest(maxDuration = "10s")
  void parseFailsCleanlyOrRoundTrips(FuzzedDataProvider data) {
    String text = data.consumeRemainingAsString();
    TrustPolicy policy;
    try {
      policy = TrustPolicy.parse("fuzzed-setting", text);
    } catch (IllegalArgumentException e) {
      assertThat(e.getMessage()).startsWith("fuzzed-setting: ");
      return;
    }
    assertThat(TrustPolicy.parse("again", policy.toString())).isEqualTo(policy);
  }
}

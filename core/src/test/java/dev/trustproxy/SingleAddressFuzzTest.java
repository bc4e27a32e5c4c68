package dev.trustproxy;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;
import org.junit.jupiter.api.Tag;

/**
 * Single-address header values (README D91, D92) on arbitrary text, as one field line or split
 * into two. Properties:
 *
 * <ol>
 *   <li>Reading never throws, and the answer is the header's address or the peer with a reason.
 *   <li>A believed value is, after spaces and tabs and one pair of brackets around IPv6 are
 *       dropped, an address {@link IpAddress#tryParse} reads to the same client; never {@code
 *       0.0.0.0} or {@code ::}, never from a value with a comma.
 *   <li>A bare literal that {@link IpAddress#tryParse} accepts (not unspecified) is believed.
 *   <li>Two field lines are never believed.
 * </ol>
 */
@Tag("fuzz")
class SingleAddressFuzzTest {

  private static final ClientResolver RESOLVER = ClientResolver.of(TrustPolicy.hops(1));
  private static final IpAddress PEER = IpAddress.parse("10.0.0.1");

  @FuzzTest(maxDuration = "10s")
  void oneAddressOrThePeerWithAReason(FuzzedDataProvider data) {
    boolean twoLines = data.consumeBoolean();
    String value = data.consumeRemainingAsString();
    Resolution r = RESOLVER.resolveSingle(PEER, "x-real-ip", value, twoLines);
    if (twoLines) {
      assertThat(r.rejection()).isEqualTo(Resolution.Rejection.SEVERAL_FIELD_LINES);
      return;
    }
    if (r.fromHeader()) {
      assertThat(r.rejection()).isNull();
      assertThat(r.clientHeader()).isEqualTo("x-real-ip");
      assertThat(value).doesNotContain(",");
      assertThat(r.client().isUnspecified()).isFalse();
      assertThat(IpAddress.tryParse(oracle(value))).isEqualTo(r.client());
    } else {
      assertThat(r.rejection()).isNotNull();
      assertThat(r.client()).isEqualTo(PEER);
      assertThat(r.stoppedOnInvalid()).isTrue();
      IpAddress bare = IpAddress.tryParse(value);
      assertThat(bare == null || bare.isUnspecified()).as("a bare literal is believed").isTrue();
    }
  }

  /** The value without spaces and tabs around it and without one pair of brackets. */
  private static String oracle(String value) {
    String s = value.replaceAll("^[ \t]+|[ \t]+$", "");
    return s.startsWith("[") && s.endsWith("]") ? s.substring(1, s.length() - 1) : s;
  }
}

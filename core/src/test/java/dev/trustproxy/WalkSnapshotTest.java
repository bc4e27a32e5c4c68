package dev.trustproxy;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/**
 * A walk judges every hop by one read of a changing trust setting (README D82): ranges swapped
 * while a walk runs apply from the next walk on, never to half of one.
 */
class WalkSnapshotTest {

  private static final String HEADER = "203.0.113.9, 192.0.2.44";

  @Test
  void rangesSwappedDuringAWalkApplyToTheNextWalkOnly() {
    RangeSource ranges = RangeSource.swappable(IpRangeSet.parse("10.0.0.0/8, 192.0.2.0/24"));
    ClientResolver resolver = ClientResolver.of(TrustPolicy.ranges(ranges));
    IpAddress peer = IpAddress.parse("10.0.0.1");
    // The walk reads the client's entry after it has accepted 192.0.2.44 as a hop and before it
    // asks whether that hop is trusted: the swap happens in between.
    CharSequence swapping = new SwapOnRead(HEADER, HEADER.indexOf(','),
        () -> ranges.set(IpRangeSet.parse("10.0.0.0/8")));

    assertThat(resolver.resolve(peer, swapping).client()).hasToString("203.0.113.9");
    assertThat(resolver.resolve(peer, HEADER).client()).hasToString("192.0.2.44");
  }

  /** Text that runs an action the first time a character at or before {@code at} is read. */
  private static final class SwapOnRead implements CharSequence {
    private final String text;
    private final int at;
    private Runnable action;

    SwapOnRead(String text, int at, Runnable action) {
      this.text = text;
      this.at = at;
      this.action = action;
    }

    @Override
    public char charAt(int index) {
      if (index <= at && action != null) {
        Runnable a = action;
        action = null;
        a.run();
      }
      return text.charAt(index);
    }

    @Override
    public int length() {
      return text.length();
    }

    @Override
    public CharSequence subSequence(int start, int end) {
      return text.subSequence(start, end);
    }

    @Override
    public String toString() {
      return text;
    }
  }
}

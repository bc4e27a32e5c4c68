package dev.trustproxy;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;
import org.junit.jupiter.api.Tag;

/**
 * Properties of {@link IpAddress} parsing for any text. In a normal build this replays the seed
 * inputs under {@code src/test/resources/dev/trustproxy/IpAddressFuzzTestInputs/fuzz/}; to fuzz:
 * {@code JAZZER_FUZZ=1 ./mvnw -B -pl core test -Dtest=IpAddressFuzzTest}.
 */
@Tag("fuzz")
class IpAddressFuzzTest {

  @FuzzTest(maxDuration = "2m")
  void fuzz(FuzzedDataProvider data) {
    String text = data.consumeRemainingAsString();

    // Never an exception from tryParse; parse throws only IllegalArgumentException, quoting.
    IpAddress tried = IpAddress.tryParse(text);
    IpAddress parsed;
    try {
      parsed = IpAddress.parse(text);
    } catch (IllegalArgumentException e) {
      assertThat(tried).isNull();
      assertThat(e.getMessage()).contains("'" + text + "'");
      parsed = null;
    }
    assertThat(parsed).isEqualTo(tried);

    // The same text inside a longer string reads the same.
    String framed = "1" + text + ":";
    assertThat(IpAddress.tryParse(framed, 1, 1 + text.length())).isEqualTo(tried);

    if (tried == null) {
      return;
    }
    // Accepted text is a literal: nothing but hex digits, colons and dots.
    for (int i = 0; i < text.length(); i++) {
      char c = text.charAt(i);
      assertThat(isLiteralChar(c)).as("character %d of accepted text", i).isTrue();
    }
    assertThat(tried.isIpv4() || text.indexOf(':') >= 0).isTrue();

    // toString is canonical: it re-parses to an equal value and prints the same again.
    String canonical = tried.toString();
    IpAddress reparsed = IpAddress.parse(canonical);
    assertThat(reparsed).isEqualTo(tried).hasSameHashCodeAs(tried);
    assertThat(reparsed.toString()).isEqualTo(canonical);

    // The parser knows whether it read the canonical text itself (README D115), inside a longer
    // string too; canonicalText returns the text exactly then.
    IpAddress.Bits bits = new IpAddress.Bits();
    if (IpAddress.parseIpv6(framed, 1, 1 + text.length(), bits)) {
      assertThat(bits.isRfc5952Text()).as("'%s'", text)
          .isEqualTo(Ipv6Text.format(bits.high, bits.low).equals(text));
    }
    assertThat(tried.canonicalText(text)).isEqualTo(canonical);
    assertThat(tried.canonicalText(text) == text).isEqualTo(canonical.equals(text));

    // Bytes and InetAddress carry the same value.
    byte[] bytes = tried.toBytes();
    assertThat(bytes).hasSize(tried.isIpv4() ? 4 : 16);
    assertThat(IpAddress.ofBytes(bytes)).isEqualTo(tried);
    assertThat(tried.toInetAddress().getAddress()).isEqualTo(bytes);
  }

  private static boolean isLiteralChar(char c) {
    return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F')
        || c == ':' || c == '.';
  }
}

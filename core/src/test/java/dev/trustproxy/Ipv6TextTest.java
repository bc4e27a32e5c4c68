package dev.trustproxy;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.HexFormat;
import java.util.Random;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class Ipv6TextTest {

  @ParameterizedTest(name = "{0} is canonical: {1}")
  @CsvSource({
      "2001:db8::7, true",
      "::, true",
      "::1, true",
      "1::, true",
      "fd00::1, true",
      "1:0:0:1::1, true",
      "1::1:0:0:1, true",
      "1:2:3:4:5:6:7:8, true",
      "1:0:3:4:5:6:7:8, true",
      "::ffff:102:304, true",
      "2001:DB8::7, false",
      "2001:0db8::7, false",
      "2001:db8:0::7, false",
      "2001:db8::0:7, false",
      "1:0:3:4:5:6:7::, false",
      "1::3:4:5:6:7:8, false",
      "1:0:0:1:0:0:0:1, false",
      "1::1:0:0:0:1, false",
      "::ffff:1.2.3.4, false",
      "0:0:0:0:0:0:0:1, false",
      "::0:1, false",
      "1:0::, false",
      "0::1, false",
      "::1:0:0, true",
      "1:0:0:2::, true",
      "1::2:0:0, true",
      "A::1, false",
      "a::1, true",
      "ab:cdef::, true",
      "ab:cdeF::, false",
  })
  void theParserKnowsWhetherItReadTheFormattersText(String text, boolean canonical) {
    IpAddress.Bits bits = bitsOf(text);
    assertThat(bits.isRfc5952Text()).isEqualTo(canonical);
    assertThat(Ipv6Text.format(bits.high, bits.low).equals(text)).isEqualTo(canonical);
  }

  @ParameterizedTest(name = "seed {0}")
  @ValueSource(longs = {3, 5, 8, 13, 20261202})
  void randomSpellingsAreCanonicalExactlyWhenTheyEqualTheFormattedText(long seed) {
    Random random = new Random(seed);
    int canonicalSeen = 0;
    for (int n = 0; n < 20_000; n++) {
      byte[] bytes = IpAddressTest.randomIpv6Bytes(random);
      IpAddress.Bits bits = new IpAddress.Bits();
      bits.high = java.nio.ByteBuffer.wrap(bytes).getLong(0);
      bits.low = java.nio.ByteBuffer.wrap(bytes).getLong(8);
      String formatted = Ipv6Text.format(bits.high, bits.low);
      String text = n % 2 == 0 ? formatted : IpAddressTest.nonCanonicalSpelling(bytes, random);
      String where = "seed " + seed + " value " + HexFormat.of().formatHex(bytes) + " text " + text;
      // Inside a longer string, as the walk reads an entry of a header.
      String header = "x, " + text + ", y";
      IpAddress.Bits parsed = new IpAddress.Bits();
      assertThat(IpAddress.parseIpv6(header, 3, 3 + text.length(), parsed)).as(where).isTrue();
      assertThat(parsed.high).as(where).isEqualTo(bits.high);
      assertThat(parsed.low).as(where).isEqualTo(bits.low);
      boolean canonical = parsed.isRfc5952Text();
      assertThat(canonical).as(where).isEqualTo(text.equals(formatted));
      if (!bits.isMappedIpv4()) { // IpAddress prints those as IPv4
        assertThat(formatted).as(where).isEqualTo(IpAddressTest.referenceCanonical(bytes));
      }
      canonicalSeen += canonical ? 1 : 0;
    }
    assertThat(canonicalSeen).isBetween(10_000, 19_999);
  }

  /**
   * The walk's client text (README D72): the entry itself when it is canonical, else formatted;
   * either way the canonical text, for every spelling, alone or as the left-most of three entries.
   */
  @ParameterizedTest(name = "seed {0}")
  @ValueSource(longs = {21, 34, 55})
  void theWalksClientTextIsCanonicalForEverySpellingOfAnIpv6Entry(long seed) {
    Random random = new Random(seed);
    ClientResolver resolver = ClientResolver.of(TrustPolicy.hops(3));
    IpAddress peer = IpAddress.parse("fd00::1");
    for (int n = 0; n < 5_000; n++) {
      byte[] bytes = IpAddressTest.randomIpv6Bytes(random);
      String expected = IpAddress.ofBytes(bytes).toString();
      String entry = n % 2 == 0 ? expected : IpAddressTest.nonCanonicalSpelling(bytes, random);
      if (expected.equals("::") || expected.equals("0.0.0.0")) {
        continue; // the unspecified address never names a client
      }
      String header = n % 3 == 0 ? " " + entry + " ,fd00::3, fd00::2" : entry;
      assertThat(resolver.resolve(peer, header).clientText()).as("'%s'", header)
          .isEqualTo(expected);
    }
  }

  @ParameterizedTest(name = "{0} -> {1}")
  @CsvSource({
      "10.0.0.1, 10.0.0.1, true",
      "fd00::1, fd00::1, true",
      "2001:db8::7, 2001:db8::7, true",
      "0:0:0:0:0:0:0:1, ::1, false",
      "2001:DB8:0:0:0:0:0:7, 2001:db8::7, false",
      "::ffff:10.0.0.1, 10.0.0.1, false",
      "::ffff:a00:1, 10.0.0.1, false",
  })
  void canonicalTextReturnsTheWrittenTextOnlyWhenItIsCanonical(String written, String expected,
      boolean same) {
    String text = new String(written); // a distinct instance, to see whether it is returned
    String canonical = IpAddress.parse(written).canonicalText(text);
    assertThat(canonical).isEqualTo(expected);
    assertThat(canonical == text).isEqualTo(same);
  }

  @ParameterizedTest(name = "{0} for {1}")
  @CsvSource({
      "[2001:db8::7], 2001:db8::7",
      "2001:db8::7%eth0, 2001:db8::7",
      "10.0.0.01, 10.0.0.1",
      "10.0.0.1 , 10.0.0.1",
      "10.0.0.2, 10.0.0.1",
      "2001:db8::8, 2001:db8::7",
      "2001:db8::70, 2001:db8::7",
      "2001:db8::, 2001:db8::7",
      "2001:db8::7:0, 2001:db8::7",
      "::, ::1",
      "::1, ::",
      "not an address, ::1",
      "'', ::1",
  })
  void canonicalTextFormatsAnyOtherText(String written, String address) {
    assertThat(IpAddress.parse(address).canonicalText(written)).isEqualTo(address);
  }

  private static IpAddress.Bits bitsOf(String text) {
    IpAddress.Bits bits = new IpAddress.Bits();
    assertThat(IpAddress.parseIpv6(text, 0, text.length(), bits)).as(text).isTrue();
    return bits;
  }
}

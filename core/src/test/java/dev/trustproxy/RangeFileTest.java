package dev.trustproxy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The {@code file:} items of a range setting, read from committed sample files (README D80). */
class RangeFileTest {

  private static final String SETTING = "trust-proxy";

  @TempDir Path dir;

  static String sample(String name) {
    try {
      return Path.of(RangeFileTest.class.getResource("ranges/" + name).toURI()).toString();
    } catch (URISyntaxException e) {
      throw new AssertionError(e);
    }
  }

  @ParameterizedTest(name = "{0}{1}")
  @CsvSource(
      delimiter = '|',
      value = {
        "cloudflare-ips-v4.txt | | 192.0.2.0/24, 198.51.100.0/25, 203.0.113.64/26",
        "cloudflare-ips-v6.txt | | 2001:db8:1::/48, 2001:db8:2::/48, 2001:db8:3::1/128",
        "aws-ip-ranges.json | | 192.0.2.0/26, 198.51.100.0/24, 203.0.113.0/25,"
            + " 203.0.113.128/25, 2001:db8:a::/48, 2001:db8:b::/48",
        "aws-ip-ranges.json | #service=CLOUDFRONT_ORIGIN_FACING | 198.51.100.0/24,"
            + " 203.0.113.0/25, 2001:db8:a::/48",
        "aws-ip-ranges.json | #service=CLOUDFRONT_ORIGIN_FACING&region=GLOBAL | 198.51.100.0/24,"
            + " 2001:db8:a::/48",
        "google-cloud.json | | 192.0.2.128/25, 2001:db8:c::/48, 198.51.100.128/25,"
            + " 203.0.113.0/24",
        // The escape \\u0063 is 'c': escapes are decoded before the filter compares.
        "google-cloud.json | #scope=us-central1 | 198.51.100.128/25, 203.0.113.0/24",
        "google-cloud.json | #service=Google Cloud&scope=europe-west1 | 192.0.2.128/25,"
            + " 2001:db8:c::/48",
      })
  void eachPublishedFormatIsReadFromItsSampleFile(String file, String filter, String expected) {
    RangeSource source = RangeSource.parse(SETTING, "file:" + sample(file)
        + (filter == null ? "" : filter));
    assertThat(source.current()).hasToString(expected);
    assertThat(source.readsFiles()).isTrue();
  }

  @Test
  void fileItemsMixWithAddressesRangesAndPresets() {
    String text = "loopback, file:" + sample("cloudflare-ips-v4.txt") + ", 10.0.0.0/8";
    TrustPolicy policy = TrustPolicy.parse(SETTING, text);
    assertThat(policy.isTrusted(IpAddress.parse("127.0.0.1"), 1)).isTrue();
    assertThat(policy.isTrusted(IpAddress.parse("10.9.9.9"), 1)).isTrue();
    assertThat(policy.isTrusted(IpAddress.parse("203.0.113.65"), 1)).isTrue();
    assertThat(policy.isTrusted(IpAddress.parse("203.0.113.1"), 1)).isFalse();
    // The text form keeps the file item, so JMX and logs show where the ranges come from.
    assertThat(policy).hasToString(text);
  }

  @Test
  void aWalkTrustsTheRangesOfTheFile() {
    ClientResolver resolver = ClientResolver.of(
        TrustPolicy.parse(SETTING, "file:" + sample("aws-ip-ranges.json")
            + "#service=CLOUDFRONT_ORIGIN_FACING"));
    Resolution r = resolver.resolve(IpAddress.parse("198.51.100.9"), "192.0.2.77, 2001:db8:a::5");
    assertThat(r.client()).hasToString("192.0.2.77");
    // 192.0.2.0/26 is AMAZON, not CLOUDFRONT_ORIGIN_FACING: not trusted.
    Resolution notTrusted = resolver.resolve(IpAddress.parse("192.0.2.1"), "198.51.100.1");
    assertThat(notTrusted.client()).hasToString("192.0.2.1");
  }

  /** File content, filter, and what the start-up message must contain. */
  @ParameterizedTest(name = "{0}")
  @CsvSource(
      delimiter = '|',
      quoteCharacter = '`',
      value = {
        "empty file | `` | | holds no addresses or ranges",
        "only comments | `# nothing\n\n  # here\n` | | holds no addresses or ranges",
        "bad line | `192.0.2.0/24\n# ok\n10.0.0.300\n` | | line 3: '10.0.0.300' is not an IP address",
        "preset in a file | `loopback\n` | | line 1: 'loopback' is not an IP address",
        "comma list in a line | `10.0.0.1, 10.0.0.2\n` | | line 1: '10.0.0.1, 10.0.0.2'",
        "filter on a text file | `10.0.0.1\n` | #service=X | is a list of lines",
        "truncated JSON | `{\"prefixes\": [{\"ip_prefix\": \"192.0.2.0/24\"}` | | malformed JSON",
        "JSON without prefixes | `{\"ipv6_prefixes\": []}` | | without a \"prefixes\" array",
        "repeated member | `{\"prefixes\": [], \"prefixes\": []}` | | \"prefixes\" repeated",
        "bad JSON prefix | `{\"prefixes\": [\n{\"ip_prefix\": \"192.0.2.0/33\"}]}` | | line 2:"
            + " '192.0.2.0/33' has a prefix length that is too long",
        "a bad prefix the filter drops | `{\"prefixes\": [{\"ip_prefix\": \"x\", \"service\":"
            + " \"A\"}, {\"ip_prefix\": \"10.0.0.0/8\", \"service\": \"B\"}]}` | #service=B |"
            + " 'x' is not an IP address",
        "prefix object without prefix | `{\"prefixes\": [{\"service\": \"A\"}]}` | | without a"
            + " prefix",
        "two prefix members | `{\"prefixes\": [{\"ip_prefix\": \"10.0.0.0/8\", \"ipv4Prefix\":"
            + " \"10.0.0.0/8\"}]}` | | a second prefix member",
        "filter matches nothing | `{\"prefixes\": [{\"ip_prefix\": \"10.0.0.0/8\", \"service\":"
            + " \"A\"}]}` | #service=B | no ranges that match the filter",
        "filter member misspelt | `{\"prefixes\": [{\"ip_prefix\": \"10.0.0.0/8\", \"service\":"
            + " \"A\"}]}` | #servise=A | no prefix with a member \"servise\"",
      })
  void aBadFileStopsStartUpNamingTheSettingTheFileAndTheLine(String name, String content,
      String filter, String expected) throws IOException {
    Path file = dir.resolve("list");
    Files.writeString(file, content.replace("\\n", "\n"), StandardCharsets.UTF_8);
    String item = "file:" + file + (filter == null ? "" : filter);
    assertThatThrownBy(() -> TrustPolicy.parse(SETTING, "loopback, " + item))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageStartingWith(SETTING + ": '" + item + "' ")
        .hasMessageContaining(expected);
  }

  @Test
  void aMissingFileStopsStartUp() {
    String item = "file:" + dir.resolve("absent.txt");
    assertThatThrownBy(() -> RangeSource.parse(SETTING, item))
        .hasMessage(SETTING + ": '" + item + "' does not exist: expected a file of addresses"
            + " and ranges");
  }

  @Test
  void aDirectoryOrADeviceIsRefusedWithoutReadingIt() throws IOException {
    String item = "file:" + dir;
    assertThatThrownBy(() -> RangeSource.parse(SETTING, item))
        .hasMessage(SETTING + ": '" + item + "' is not a regular file: expected a file of"
            + " addresses and ranges");
    Path zero = Path.of("/dev/zero");
    if (Files.exists(zero)) {
      assertThatThrownBy(() -> RangeSource.parse(SETTING, "file:" + zero))
          .hasMessageContaining("is not a regular file");
    }
  }

  @Test
  void aFileOverTheSizeCapIsRefused() throws IOException {
    Path big = dir.resolve("big.txt");
    byte[] line = "192.0.2.1\n".getBytes(StandardCharsets.US_ASCII);
    byte[] content = new byte[RangeFile.MAX_BYTES + line.length];
    for (int i = 0; i + line.length <= content.length; i += line.length) {
      System.arraycopy(line, 0, content, i, line.length);
    }
    Files.write(big, content);
    assertThatThrownBy(() -> RangeSource.parse(SETTING, "file:" + big))
        .hasMessageContaining("is larger than " + RangeFile.MAX_BYTES + " bytes");
  }

  @Test
  void aFileThatIsNotUtf8StopsStartUp() throws IOException {
    Path file = dir.resolve("latin1.txt");
    Files.write(file, new byte[] {'1', '0', '.', '0', '.', '0', '.', '1', (byte) 0xe9});
    assertThatThrownBy(() -> RangeSource.parse(SETTING, "file:" + file))
        .hasMessageContaining("is not UTF-8 text");
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource(
      delimiter = '|',
      value = {
        "file:relative/list.txt | does not name an absolute path",
        "file: | does not name an absolute path",
        "file://host/list.txt | is a URL",
        "file:/etc/list.json#service | has a bad filter 'service'",
        "file:/etc/list.json#=x | has a bad filter '=x'",
        "file:/etc/list.json#a=1&a=2 | has a bad filter 'a=2'",
        "file:/etc/list.json#a=1& | has a bad filter ''",
      })
  void aBadFileItemIsRefusedBeforeAnyFileIsRead(String item, String expected) {
    assertThatThrownBy(() -> RangeSource.parse(SETTING, item))
        .hasMessageStartingWith(SETTING + ": '" + item + "' " + expected);
  }

  @Test
  void aPlainRangeListRefusesFileItems() {
    assertThatThrownBy(() -> IpRangeSet.parse("ranges", "file:/etc/list.txt"))
        .hasMessage("ranges: 'file:/etc/list.txt' names a file, which this setting does not"
            + " read: expected addresses, ranges or presets");
  }

  @Test
  void aSettingWithoutFilesIsFixed() {
    RangeSource source = RangeSource.parse(SETTING, "10.0.0.0/8, loopback");
    assertThat(source.isDynamic()).isFalse();
    assertThat(source.readsFiles()).isFalse();
    assertThat(source.reload()).isZero();
    assertThat(TrustPolicy.ranges(source)).isEqualTo(TrustPolicy.parse(SETTING, "10.0.0.0/8,"
        + " loopback"));
  }
}

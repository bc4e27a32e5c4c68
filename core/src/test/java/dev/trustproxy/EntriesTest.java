package dev.trustproxy;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Random;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/** The walk's reading of an X-Forwarded-For entry as a dotted quad, with an optional port. */
class EntriesTest {

  private static final String PART = "(25[0-5]|2[0-4][0-9]|1[0-9][0-9]|[1-9]?[0-9])";
  // The one port rule (README D7, D11): 1..65535, no leading zero.
  private static final Pattern ENTRY = Pattern.compile(PART + "\\." + PART + "\\." + PART + "\\."
      + PART + "(?::([1-9][0-9]{0,4}))?");

  @ParameterizedTest(name = "''{0}'' -> {1}")
  @CsvSource(delimiter = '|', value = {
      "203.0.113.7        | 203.0.113.7",
      "203.0.113.7:443    | 203.0.113.7",
      "203.0.113.7:65535  | 203.0.113.7",
      "203.0.113.7:65536  | -",
      "203.0.113.7:0      | -",
      "203.0.113.7:0443   | -",
      "203.0.113.7:       | -",
      "203.0.113.7:80:80  | -",
      "2001:db8::7        | -",
      "::ffff:203.0.113.7 | -",
      "[203.0.113.7]:443  | -",
      "203.0.113.07       | -",
      "1.2.3.4:5          | 1.2.3.4",
      "1.2.3.4:           | -",
      "1.2.3.4::          | -",
      "fd00::1:1.2.3.4    | -",
  })
  void anEntryIsADottedQuadWithAnOptionalPort(String entry, String expected) {
    long v4 = Entries.ipv4(entry, 0, entry.length());
    assertThat(v4 < 0 ? "-" : IpAddress.ipv4ToString((int) v4)).isEqualTo(expected);
    // The walk learns from the result whether the entry was more than the quad (D116).
    assertThat(v4 >= 0 && (v4 & Entries.WITH_PORT) != 0).as("with a port")
        .isEqualTo(v4 >= 0 && entry.strip().contains(":"));
  }

  /** Random entries over digits, dots, colons and a letter agree with the grammar's expression. */
  @ParameterizedTest(name = "seed {0}")
  @ValueSource(longs = {21, 22, 23, 20261202})
  void randomEntriesAreReadExactlyAsTheGrammarSays(long seed) {
    Random random = new Random(seed);
    String alphabet = "0123456789.:a";
    for (int n = 0; n < 20_000; n++) {
      String entry;
      if (n % 2 == 0) {
        StringBuilder b = new StringBuilder();
        for (int k = random.nextInt(24); k > 0; k--) {
          b.append(alphabet.charAt(random.nextInt(alphabet.length())));
        }
        entry = b.toString();
      } else {
        entry = random.nextInt(300) + "." + random.nextInt(300) + "." + random.nextInt(300) + "."
            + random.nextInt(300) + (random.nextBoolean() ? ":" + random.nextInt(70_000) : "");
      }
      Matcher m = ENTRY.matcher(entry);
      boolean valid = m.matches() && (m.group(5) == null || Integer.parseInt(m.group(5)) <= 65535);
      long expected = valid
          ? (Long.parseLong(m.group(1)) << 24) | (Long.parseLong(m.group(2)) << 16)
              | (Long.parseLong(m.group(3)) << 8) | Long.parseLong(m.group(4))
              | (m.group(5) == null ? 0 : Entries.WITH_PORT)
          : -1;
      assertThat(Entries.ipv4(entry, 0, entry.length())).as("'%s'", entry).isEqualTo(expected);
    }
  }
}

package dev.trustproxy.spring;

import static org.assertj.core.api.Assertions.assertThat;

import dev.trustproxy.proxyprotocol.ProxyProtocolCounters.Outcome;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.Test;

/** Every PROXY outcome has its own outcome/version/reason tags, lower-case, never shared. */
class TrustProxyMetersTest {

  @ParameterizedTest(name = "{0}")
  @CsvSource({
      "ACCEPTED_V1, accepted, 1, none",
      "ACCEPTED_V2, accepted, 2, none",
      "PLAIN_UNTRUSTED, plain, none, untrusted",
      "PLAIN_WITHOUT_HEADER, plain, none, no_header",
      "REJECTED_UNTRUSTED, rejected, none, untrusted",
      "REJECTED_TIMEOUT, rejected, none, timeout",
      "REJECTED_MALFORMED, rejected, none, malformed",
      "REJECTED_TOO_LARGE, rejected, none, too_large",
      "REJECTED_CHECKSUM, rejected, none, checksum"})
  void eachOutcomesTags(Outcome outcome, String tag, String version, String reason) {
    assertThat(TrustProxyMeters.tags(outcome)).containsExactly(tag, version, reason);
  }

  @Test
  void noTwoOutcomesShareTags() {
    Set<List<String>> seen = new HashSet<>();
    for (Outcome outcome : Outcome.values()) {
      assertThat(seen.add(Arrays.asList(TrustProxyMeters.tags(outcome)))).as(outcome.name())
          .isTrue();
    }
  }
}

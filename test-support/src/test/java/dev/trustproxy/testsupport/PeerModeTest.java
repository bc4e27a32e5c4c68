package dev.trustproxy.testsupport;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.opentest4j.AssertionFailedError;
import org.opentest4j.TestAbortedException;

/** Skip on a developer's machine, fail under CI or when asked; the message says what to install. */
class PeerModeTest {

  static Stream<Arguments> settings() {
    return Stream.of(
        Arguments.of("nothing set skips", null, null, PeerMode.SKIP),
        Arguments.of("empty property (the pom's default) skips", null, "", PeerMode.SKIP),
        Arguments.of("CI=true fails", "true", null, PeerMode.REQUIRED),
        Arguments.of("CI=true with the pom's empty property fails", "true", "", PeerMode.REQUIRED),
        Arguments.of("CI=false skips", "false", null, PeerMode.SKIP),
        Arguments.of("CI=1 is not CI=true: skips", "1", null, PeerMode.SKIP),
        Arguments.of("-Dtrustproxy.peers=required fails", null, "required", PeerMode.REQUIRED),
        Arguments.of("required wins over CI=false", "false", "required", PeerMode.REQUIRED));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("settings")
  void modeFollowsCiAndTheProperty(String name, String ci, String property, PeerMode expected) {
    assertThat(PeerMode.of(ci, property)).isEqualTo(expected);
  }

  @Test
  void unknownPropertyValueIsRefusedQuotingIt() {
    assertThatThrownBy(() -> PeerMode.of(null, "Required"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("-Dtrustproxy.peers: 'Required' is not a mode; expected 'required' (fail"
            + " when a peer is missing) or nothing");
  }

  @Test
  void skipAbortsWithTheInstallCommand() {
    assertThatThrownBy(() -> PeerMode.SKIP.missing(List.of(Peer.NGINX, Peer.NGINX_STREAM_MODULE)))
        .isInstanceOf(TestAbortedException.class)
        .isInstanceOf(PeerMode.PeersMissing.class)
        .hasMessage("real peer missing: nginx, nginx (stream module) (searched PATH and"
            + " [/usr/sbin, /usr/local/sbin, /sbin]); install: apt-get install nginx"
            + " libnginx-mod-stream");
  }

  @Test
  void requiredFailsWithTheInstallCommand() {
    assertThatThrownBy(() -> PeerMode.REQUIRED.missing(List.of(Peer.HAPROXY)))
        .isInstanceOf(AssertionFailedError.class)
        .hasMessageStartingWith("real peer missing: haproxy (searched PATH")
        .hasMessageContaining("install: apt-get install haproxy (required: ");
  }

  @Test
  void missingPeersAreRememberedForTheSummary() {
    assertThatThrownBy(() -> PeerMode.SKIP.missing(List.of(Peer.OPENSSL)))
        .isInstanceOf(TestAbortedException.class);

    assertThat(PeerMode.missingSoFar()).contains(Peer.OPENSSL);
  }

  @Test
  void conditionEnablesWhenNothingIsMissing() {
    assertThat(RealPeersCondition.evaluate(List.of(), PeerMode.REQUIRED).isDisabled()).isFalse();
  }

  @Test
  void conditionDisablesWithTheReasonWhenSkipping() {
    var result = RealPeersCondition.evaluate(List.of(Peer.CURL), PeerMode.SKIP);

    assertThat(result.isDisabled()).isTrue();
    assertThat(result.getReason()).hasValueSatisfying(reason -> assertThat(reason)
        .startsWith(PeerMode.REASON_PREFIX + "curl ").endsWith("install: apt-get install curl"));
  }

  @Test
  void conditionFailsWhenRequired() {
    assertThatThrownBy(() -> RealPeersCondition.evaluate(List.of(Peer.CURL), PeerMode.REQUIRED))
        .isInstanceOf(AssertionFailedError.class)
        .hasMessageContaining("apt-get install curl");
  }
}

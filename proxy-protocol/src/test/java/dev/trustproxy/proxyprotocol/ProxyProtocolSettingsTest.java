package dev.trustproxy.proxyprotocol;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.trustproxy.IpAddress;
import dev.trustproxy.proxyprotocol.ProxyProtocolSettings.Admission;
import dev.trustproxy.proxyprotocol.ProxyProtocolSettings.Builder;
import dev.trustproxy.proxyprotocol.ProxyProtocolSettings.UntrustedPeers;
import java.time.Duration;
import java.util.function.Consumer;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** Settings are validated when set, fixed when built, and decide each new connection. */
class ProxyProtocolSettingsTest {

  static Stream<Arguments> badSettings() {
    return Stream.of(
        Arguments.of("trustedSources with a host name",
            (Consumer<Builder>) b -> b.trustedSources("10.0.0.0/8, lb.example"),
            "trustedSources", "lb.example"),
        Arguments.of("untrustedPeers not CLOSE or PLAIN",
            (Consumer<Builder>) b -> b.untrustedPeers("DROP"), "untrustedPeers", "'DROP'"),
        Arguments.of("maxV2HeaderSize below the prefix",
            (Consumer<Builder>) b -> b.maxV2HeaderSize(15), "maxV2HeaderSize", "15"),
        Arguments.of("maxV2HeaderSize over 16 + 65535",
            (Consumer<Builder>) b -> b.maxV2HeaderSize(65552), "maxV2HeaderSize", "65552"),
        Arguments.of("headerTimeout zero",
            (Consumer<Builder>) b -> b.headerTimeout(Duration.ZERO), "headerTimeout", "PT0S"),
        Arguments.of("headerTimeout negative",
            (Consumer<Builder>) b -> b.headerTimeout(Duration.ofSeconds(-1)), "headerTimeout",
            "PT-1S"));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("badSettings")
  void aBadSettingFailsNamingItAndQuotingTheInput(
      String name, Consumer<Builder> set, String setting, String quoted) {
    assertThatThrownBy(() -> set.accept(ProxyProtocolSettings.builder()))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageStartingWith(setting)
        .hasMessageContaining(quoted);
  }

  @Test
  void withoutTrustedSourcesNothingIsBuilt() {
    assertThatThrownBy(() -> ProxyProtocolSettings.builder().build())
        .isInstanceOf(IllegalStateException.class)
        .hasMessageStartingWith("trustedSources is not set");
  }

  @Test
  void defaultsAreTheSafeOnes() {
    ProxyProtocolSettings s = ProxyProtocolSettings.builder().trustedSources("loopback").build();
    assertThat(s.untrustedPeers()).isEqualTo(UntrustedPeers.CLOSE);
    assertThat(s.optionalHeader()).isFalse();
    assertThat(s.v1Enabled()).isTrue();
    assertThat(s.v2Enabled()).isTrue();
    assertThat(s.maxV2HeaderSize()).isEqualTo(4096);
    assertThat(s.maxHeaderBytes()).isEqualTo(4096);
    assertThat(s.headerTimeout()).isEqualTo(Duration.ofSeconds(10));
    assertThat(s.sslTlvMarksSecure()).isFalse();
  }

  @Test
  void theBufferCapIsNeverBelowTheLongestV1Line() {
    ProxyProtocolSettings s =
        ProxyProtocolSettings.builder().trustedSources("loopback").maxV2HeaderSize(16).build();
    assertThat(s.maxHeaderBytes()).isEqualTo(107);
  }

  @Test
  void buildingFixesTheValues() {
    Builder b = ProxyProtocolSettings.builder().trustedSources("loopback");
    ProxyProtocolSettings s = b.build();
    b.untrustedPeers(UntrustedPeers.PLAIN).v1Enabled(false);
    assertThat(s.untrustedPeers()).isEqualTo(UntrustedPeers.CLOSE);
    assertThat(s.v1Enabled()).isTrue();
    assertThat(s.parser().parse(java.nio.ByteBuffer.wrap(Bytes.ascii("PROXY UNKNOWN\r\n"))))
        .isInstanceOf(ProxyHeaderParser.Accepted.class);
  }

  static Stream<Arguments> admissions() {
    return Stream.of(
        Arguments.of("trusted peer must send a header", "127.0.0.1", UntrustedPeers.CLOSE,
            Admission.READ_HEADER),
        Arguments.of("trusted peer, PLAIN for others", "::1", UntrustedPeers.PLAIN,
            Admission.READ_HEADER),
        Arguments.of("untrusted peer closed", "192.0.2.1", UntrustedPeers.CLOSE, Admission.CLOSE),
        Arguments.of("untrusted peer served plain", "192.0.2.1", UntrustedPeers.PLAIN,
            Admission.PLAIN),
        Arguments.of("no IP peer is never trusted", null, UntrustedPeers.CLOSE, Admission.CLOSE),
        Arguments.of("no IP peer served plain", null, UntrustedPeers.PLAIN, Admission.PLAIN));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("admissions")
  void theTcpPeerDecidesBeforeAnyByteIsRead(
      String name, String peer, UntrustedPeers untrusted, Admission expected) {
    ProxyProtocolSettings s =
        ProxyProtocolSettings.builder().trustedSources("loopback").untrustedPeers(untrusted)
            .build();
    assertThat(s.admit(peer == null ? null : IpAddress.parse(peer))).isEqualTo(expected);
  }

  @ParameterizedTest(name = "first byte 0x{0}")
  @org.junit.jupiter.params.provider.CsvSource({
    "50, false", // 'P' may start v1
    "0D, false", // CR may start v2
    "47, true", // 'G' of GET
    "16, true" // a TLS record
  })
  void optionalHeaderServesPlainOnlyWhatCannotStartAHeader(String hex, boolean plain) {
    byte first = (byte) Integer.parseInt(hex, 16);
    ProxyProtocolSettings optional =
        ProxyProtocolSettings.builder().trustedSources("loopback").optionalHeader(true).build();
    ProxyProtocolSettings strict =
        ProxyProtocolSettings.builder().trustedSources("loopback").build();
    assertThat(optional.servesPlain(first)).isEqualTo(plain);
    assertThat(strict.servesPlain(first)).isFalse();
  }
}

package dev.trustproxy.spring;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.trustproxy.proxyprotocol.ProxyProtocolSettings;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The properties keep the library's defaults and messages, under Boot's property names. */
class TrustProxyPropertiesTest {

  @ParameterizedTest(name = "{0} is {1}")
  @CsvSource({
      "trustedSources, trustproxy.proxy-protocol.trusted-sources",
      "untrustedPeers, trustproxy.proxy-protocol.untrusted-peers",
      "maxV2HeaderSize, trustproxy.proxy-protocol.max-v2-header-size",
      "headerTimeout, trustproxy.proxy-protocol.header-timeout",
      "acceptIpv4InTcp6, trustproxy.proxy-protocol.accept-ipv4-in-tcp6"})
  void eachPROXYSettingIsNamedAsTheProperty(String setting, String property) {
    assertThat(TrustProxyProperties.ProxyProtocol.propertyName(setting)).isEqualTo(property);
  }

  @Test
  void unsetPROXYPropertiesAreTheLibrarysDefaults() {
    TrustProxyProperties.ProxyProtocol p = new TrustProxyProperties().getProxyProtocol();
    p.setTrustedSources("10.0.0.0/8");
    assertThat(p.settings().toString()).isEqualTo(
        ProxyProtocolSettings.builder().trustedSources("10.0.0.0/8").build().toString());
  }

  @Test
  void theMetadataDefaultsAreTheLibrarysDefaults() throws IOException {
    String metadata;
    try (InputStream in = getClass().getResourceAsStream(
        "/META-INF/spring-configuration-metadata.json")) {
      assertThat(in).as("generated configuration metadata").isNotNull();
      metadata = new String(in.readAllBytes(), StandardCharsets.UTF_8);
    }
    assertThat(defaultOf(metadata, "trustproxy.proxy-protocol.max-v2-header-size"))
        .isEqualTo(Integer.toString(ProxyProtocolSettings.DEFAULT_MAX_V2_HEADER_SIZE));
    assertThat(defaultOf(metadata, "trustproxy.proxy-protocol.header-timeout"))
        .isEqualTo("\"" + ProxyProtocolSettings.DEFAULT_HEADER_TIMEOUT.toSeconds() + "s\"");
    assertThat(defaultOf(metadata, "trustproxy.trust-proxy")).isEqualTo("\"false\"");
  }

  private static String defaultOf(String metadata, String property) {
    Matcher m = Pattern.compile("\"name\": \"" + Pattern.quote(property)
        + "\"[^}]*?\"defaultValue\": ([^,\\s}]+)").matcher(metadata);
    assertThat(m.find()).as(property + " has a default in the metadata").isTrue();
    return m.group(1);
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource(delimiter = '|', textBlock = """
      trust-proxy      | 10.0.0.300  | trustproxy.trust-proxy
      trusted-peers    | 10.0.0.0/33 | trustproxy.trusted-peers
      """)
  void aBadValueIsReportedUnderItsProperty(String name, String value, String property) {
    TrustProxyProperties p = new TrustProxyProperties();
    if (name.equals("trust-proxy")) {
      p.setTrustProxy(value);
    } else {
      p.setTrustedPeers(value);
    }
    assertThatThrownBy(p::clientResolver).isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining(property).hasMessageContaining(value);
  }
}

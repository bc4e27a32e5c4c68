package dev.trustproxy.jetty;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.trustproxy.testsupport.RawClient;
import dev.trustproxy.ClientResolver;
import dev.trustproxy.Forwarding;
import dev.trustproxy.IpAddress;
import dev.trustproxy.Resolution;
import dev.trustproxy.TrustPolicy;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.eclipse.jetty.io.Content;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.HttpConfiguration;
import org.eclipse.jetty.server.HttpConnectionFactory;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.util.Callback;
import org.eclipse.jetty.util.resource.ResourceFactory;
import org.eclipse.jetty.xml.XmlConfiguration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * {@link TrustProxyCustomizer} with a Jetty core handler (no servlet), configured in code and from
 * Jetty XML. The full rule set is checked against every conformance vector by {@link
 * TrustProxyCustomizerConformanceTest}.
 */
class TrustProxyCustomizerTest {

  static final String XML =
      """
      <?xml version="1.0"?>
      <!DOCTYPE Configure PUBLIC "-//Jetty//Configure//EN" "https://jetty.org/configure_10_0.dtd">
      <Configure class="dev.trustproxy.jetty.TrustProxyCustomizer">
        <Set name="trustProxy">1</Set>
        <Set name="trustedPeers">loopback</Set>
        <Set name="forwardedHeader">forwarded</Set>
      </Configure>
      """;

  @Test
  void everySettingCanBeSetFromJettyXml() throws Exception {
    Path file = Files.createTempFile("customizer", ".xml");
    try {
      Files.writeString(file, XML, StandardCharsets.UTF_8);
      TrustProxyCustomizer c = (TrustProxyCustomizer)
          new XmlConfiguration(ResourceFactory.root().newResource(file)).configure();
      assertThat(c.getTrustProxy()).isEqualTo(TrustPolicy.parse("x", "1").toString());
      assertThat(c.getTrustedPeers()).contains("127.0.0.0/8");
      assertThat(c.getForwardedHeader()).isEqualTo("forwarded");
      assertThat(serve(c, "Forwarded: for=203.0.113.7;proto=https"))
          .contains("remote=203.0.113.7:0", "scheme=https", "secure=true");
    } finally {
      Files.deleteIfExists(file);
    }
  }

  @Test
  void trustsNothingUntilConfigured() throws Exception {
    assertThat(serve(new TrustProxyCustomizer(), "X-Forwarded-For: 203.0.113.7"))
        .contains("remote=127.0.0.1:", "headerIgnored=true");
  }

  @Test
  void blankTrustedPeersRemovesTheGate() {
    TrustProxyCustomizer c = new TrustProxyCustomizer();
    c.setTrustedPeers("10.0.0.0/8");
    c.setTrustProxy("loopback");
    assertThat(c.getTrustedPeers()).isNotNull();
    assertThat(c.getResolver().trustsPeer(IpAddress.parse("127.0.0.1"))).isFalse();
    c.setTrustedPeers(" ");
    assertThat(c.getTrustedPeers()).isNull();
    assertThat(c.getResolver().trustsPeer(IpAddress.parse("127.0.0.1"))).isTrue();
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource(delimiter = '|', textBlock = """
      trustProxy names the setting and quotes the item | trustProxy      | 10.0.0.0/08  | trustProxy: '10.0.0.0/08'
      trustedPeers names the setting                   | trustedPeers    | private      | trustedPeers
      forwardedHeader names the setting and quotes it  | forwardedHeader | x real ip    | forwardedHeader: 'x real ip' is not a header name
      """)
  void badSettingsAreRefusedWithTheSettingNamed(String name, String setter, String value,
      String message) {
    TrustProxyCustomizer c = new TrustProxyCustomizer();
    assertThatThrownBy(() -> {
      switch (setter) {
        case "trustProxy" -> c.setTrustProxy(value);
        case "trustedPeers" -> c.setTrustedPeers(value);
        default -> c.setForwardedHeader(value);
      }
    }).isInstanceOf(IllegalArgumentException.class).hasMessageContaining(message);
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource(delimiter = '|', textBlock = """
      trusted peer: client, scheme, host and port from X-Forwarded-*      | loopback   | X-Forwarded-For: 203.0.113.7\\nX-Forwarded-Proto: https\\nX-Forwarded-Host: shop.example:8443 | remote=203.0.113.7:0 | scheme=https | server=shop.example:8443 | secure=true
      scheme change alone sets the default port                           | loopback   | X-Forwarded-Proto: https                                                             | remote=127.0.0.1:    | scheme=https | server=localhost:443     | secure=true
      untrusted peer: every header ignored                                | 10.0.0.0/8 | X-Forwarded-For: 203.0.113.7\\nX-Forwarded-Proto: https                               | remote=127.0.0.1:    | scheme=http  | server=localhost:        | secure=false
      invalid entry stops the walk at the nearest trusted hop             | loopback   | X-Forwarded-For: 203.0.113.7, unknown                                                | remote=127.0.0.1:    | scheme=http  | server=localhost:        | stoppedOnInvalid=true
      """)
  void coreHandlerSeesTheClient(String name, String trust, String headers, String remote,
      String scheme, String server, String flag) throws Exception {
    TrustProxyCustomizer c = new TrustProxyCustomizer(
        ClientResolver.of(TrustPolicy.parse("trust-proxy", trust)), Forwarding.Headers.X_FORWARDED);
    assertThat(serve(c, headers.replace("\\n", "\r\n")))
        .contains(remote, scheme + "\n", server, flag);
  }

  /** One request from 127.0.0.1 with {@code headers} to a core handler behind {@code c}. */
  private static String serve(TrustProxyCustomizer c, String headers) throws Exception {
    Server server = new Server();
    HttpConfiguration config = new HttpConfiguration();
    config.addCustomizer(c);
    ServerConnector connector = new ServerConnector(server, new HttpConnectionFactory(config));
    connector.setHost("127.0.0.1");
    connector.setPort(0);
    server.addConnector(connector);
    server.setHandler(new Handler.Abstract() {
      @Override
      public boolean handle(Request request, Response response, Callback callback) {
        Resolution r = (Resolution) request.getAttribute(TrustProxyCustomizer.RESOLUTION_ATTRIBUTE);
        String body = "remote=" + Request.getRemoteAddr(request) + ":"
            + Request.getRemotePort(request) + "\n"
            + "scheme=" + request.getHttpURI().getScheme() + "\n"
            + "secure=" + request.isSecure() + "\n"
            + "server=" + Request.getServerName(request) + ":" + Request.getServerPort(request)
            + "\n"
            + "headerIgnored=" + (r != null && r.headerIgnored()) + "\n"
            + "stoppedOnInvalid=" + (r != null && r.stoppedOnInvalid()) + "\n";
        Content.Sink.write(response, true, body, callback);
        return true;
      }
    });
    server.start();
    try (RawClient client = new RawClient(connector.getLocalPort())) {
      String request = "GET / HTTP/1.1\r\nHost: localhost\r\n" + headers
          + "\r\nConnection: close\r\n\r\n";
      return client.send(request.getBytes(StandardCharsets.ISO_8859_1)).readUntilClosed()
          .response();
    } finally {
      server.stop();
    }
  }
}

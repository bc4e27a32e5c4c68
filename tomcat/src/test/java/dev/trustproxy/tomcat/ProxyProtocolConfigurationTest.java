package dev.trustproxy.tomcat;

import static dev.trustproxy.proxyprotocol.Bytes.ascii;
import static dev.trustproxy.proxyprotocol.Bytes.concat;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.trustproxy.testsupport.RawClient;
import dev.trustproxy.proxyprotocol.ProxyProtocolSettings;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.time.Duration;
import java.util.Set;
import java.util.stream.Stream;
import javax.management.MBeanServer;
import javax.management.ObjectName;
import org.apache.catalina.LifecycleException;
import org.apache.catalina.LifecycleState;
import org.apache.catalina.connector.Connector;
import org.apache.catalina.startup.Tomcat;
import org.apache.tomcat.util.IntrospectionUtils;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Connector attributes as {@code server.xml} sets them (Tomcat's own introspection), the failures
 * they cause at start, what Tomcat does with a connector that fails, and the counters over JMX.
 */
class ProxyProtocolConfigurationTest {

  record Bad(String attribute, String value, String expected) {
    @Override
    public String toString() {
      return attribute + "=\"" + value + "\"";
    }
  }

  static Stream<Bad> badAttributes() {
    return Stream.of(
        new Bad("proxyProtocolTrustedSources", "10.0.0.0/33", "prefix"),
        new Bad("proxyProtocolTrustedSources", "10.0.0.0/8,,loopback", "empty"),
        new Bad("proxyProtocolTrustedSources", "proxy.example", "proxy.example"),
        new Bad("proxyProtocolUntrustedPeers", "MAYBE", "CLOSE"),
        new Bad("proxyProtocolOptionalHeader", "yes", "true or false"),
        new Bad("proxyProtocolV1Enabled", "1", "true or false"),
        new Bad("proxyProtocolV2Enabled", "off", "true or false"),
        new Bad("proxyProtocolMaxV2HeaderSize", "15", "16..65551"),
        new Bad("proxyProtocolMaxV2HeaderSize", "4k", "whole number"),
        new Bad("proxyProtocolHeaderTimeout", "0", "positive"),
        new Bad("proxyProtocolHeaderTimeout", "10s", "whole number"),
        new Bad("proxyProtocolHeaderTimeout", "-1", "whole number"),
        new Bad("proxyProtocolAcceptIpv4InTcp6", "maybe", "true or false"),
        new Bad("proxyProtocolSslTlvMarksSecure", "on", "true or false"));
  }

  private static TrustProxyHttp11NioProtocol protocolWith(String attribute, String value) {
    TrustProxyHttp11NioProtocol protocol = new TrustProxyHttp11NioProtocol();
    assertThat(IntrospectionUtils.setProperty(protocol, "proxyProtocolTrustedSources", "127.0.0.1"))
        .isTrue();
    assertThat(IntrospectionUtils.setProperty(protocol, attribute, value))
        .as("server.xml can set " + attribute).isTrue();
    return protocol;
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("badAttributes")
  void aBadAttributeFailsInitNamingItAndQuotingTheValue(Bad bad) {
    TrustProxyHttp11NioProtocol protocol = protocolWith(bad.attribute(), bad.value());
    assertThatThrownBy(protocol::init)
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageStartingWith(bad.attribute() + ": ")
        .hasMessageContaining(bad.value())
        .hasMessageContaining(bad.expected());
  }

  @Test
  void withoutTrustedSourcesInitFailsSayingWhatToSet() {
    assertThatThrownBy(new TrustProxyHttp11NioProtocol()::init)
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("proxyProtocolTrustedSources is not set");
  }

  /** An unset attribute is the core's default, so the connector parses as the parser does (D51). */
  @Test
  void unsetAttributesAreTheCoresDefaults() throws Exception {
    try (ProxyProtocolTomcat tomcat = ProxyProtocolTomcat.start("loopback")) {
      assertThat(tomcat.protocol().getProxyProtocolSettings()).hasToString(
          ProxyProtocolSettings.builder().trustedSources("loopback").build().toString());
    }
  }

  @Test
  void goodAttributesBecomeTheSettings() throws Exception {
    String[][] attributes = {
      {"proxyProtocolUntrustedPeers", "plain"},
      {"proxyProtocolOptionalHeader", "TRUE"},
      {"proxyProtocolV1Enabled", "false"},
      {"proxyProtocolMaxV2HeaderSize", "8192"},
      {"proxyProtocolHeaderTimeout", "3000"},
      {"proxyProtocolAcceptIpv4InTcp6", "false"},
      {"proxyProtocolSslTlvMarksSecure", "true"},
    };
    try (ProxyProtocolTomcat tomcat = ProxyProtocolTomcat.start("10.0.0.0/8, loopback", c -> {
      for (String[] a : attributes) {
        assertThat(c.setProperty(a[0], a[1])).as(a[0]).isTrue();
      }
    })) {
      var s = tomcat.protocol().getProxyProtocolSettings();
      assertThat(s.trustedSources().toString()).contains("10.0.0.0/8");
      assertThat(s.untrustedPeers().name()).isEqualTo("PLAIN");
      assertThat(s.optionalHeader()).isTrue();
      assertThat(s.v1Enabled()).isFalse();
      assertThat(s.v2Enabled()).isTrue();
      assertThat(s.maxV2HeaderSize()).isEqualTo(8192);
      assertThat(s.headerTimeout()).isEqualTo(Duration.ofSeconds(3));
      assertThat(s.acceptIpv4InTcp6()).isFalse();
      assertThat(s.sslTlvMarksSecure()).isTrue();
    }
  }

  @Test
  void tomcatStartsWithoutAConnectorWhoseAttributesAreBadAndSaysWhy() throws Exception {
    Tomcat tomcat = new Tomcat();
    tomcat.setBaseDir(Files.createTempDirectory("trustproxy-tomcat").toString());
    Connector connector = TrustProxyHttp11NioProtocol.connector(0, "10.0.0.0/33");
    connector.setProperty("address", "127.0.0.1");
    tomcat.getService().addConnector(connector);
    try {
      // Tomcat's default: a connector that fails to initialise is logged and left out.
      tomcat.start();
      assertThat(connector.getState()).isEqualTo(LifecycleState.FAILED);
      assertThat(connector.getLocalPort()).isEqualTo(-1);
    } finally {
      tomcat.stop();
      tomcat.destroy();
    }
    Tomcat strict = new Tomcat();
    strict.setBaseDir(Files.createTempDirectory("trustproxy-tomcat").toString());
    Connector failing = TrustProxyHttp11NioProtocol.connector(0, "10.0.0.0/33");
    failing.setProperty("address", "127.0.0.1");
    // What -Dorg.apache.catalina.startup.EXIT_ON_INIT_FAILURE=true does for every connector.
    failing.setThrowOnFailure(true);
    strict.getService().addConnector(failing);
    try {
      assertThatThrownBy(strict::start)
          .isInstanceOf(LifecycleException.class)
          .hasStackTraceContaining("proxyProtocolTrustedSources: '10.0.0.0/33'")
          .hasStackTraceContaining("expected at most 32");
    } finally {
      strict.destroy();
    }
  }

  private static Object attribute(MBeanServer server, ObjectName name, String attribute) {
    try {
      return server.getAttribute(name, attribute);
    } catch (Exception e) {
      return null;
    }
  }

  @Test
  void theCountersAreAttributesOfTheProtocolHandlerMBean() throws Exception {
    try (ProxyProtocolTomcat tomcat = ProxyProtocolTomcat.start("127.0.0.1")) {
      try (RawClient client = new RawClient(tomcat.port())) {
        client.send(concat(ascii("PROXY UNKNOWN\r\n"), TomcatRequests.GET)).readUntilClosed();
      }
      try (RawClient client = new RawClient(tomcat.port())) {
        client.sendIgnoringReset(ascii("NOT A HEADER\r\n")).readUntilClosed();
      }
      MBeanServer server = ManagementFactory.getPlatformMBeanServer();
      Set<ObjectName> names = server.queryNames(new ObjectName("*:type=ProtocolHandler,*"), null);
      ObjectName ours = names.stream()
          .filter(n -> Integer.valueOf(tomcat.port()).equals(attribute(server, n, "localPort")))
          .findFirst()
          .orElseThrow(() -> new AssertionError("no ProtocolHandler MBean for port "
              + tomcat.port() + " among " + names));
      assertThat(server.getAttribute(ours, "proxyProtocolAcceptedV1")).isEqualTo(1L);
      assertThat(server.getAttribute(ours, "proxyProtocolRejectedMalformed")).isEqualTo(1L);
      assertThat(server.getAttribute(ours, "proxyProtocolRejectedTimeout")).isEqualTo(0L);
      assertThat(server.getAttribute(ours, "proxyProtocolTrustedSources")).isEqualTo("127.0.0.1");
      server.invoke(ours, "resetProxyProtocolCounters", new Object[0], new String[0]);
      assertThat(server.getAttribute(ours, "proxyProtocolAcceptedV1")).isEqualTo(0L);
    }
  }
}

package dev.trustproxy.jetty;

import static org.assertj.core.api.Assertions.assertThat;

import dev.trustproxy.IpAddress;
import dev.trustproxy.proxyprotocol.ProxyProtocolSettings.UntrustedPeers;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import javax.management.MBeanServer;
import javax.management.ObjectName;
import org.eclipse.jetty.jmx.MBeanContainer;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.util.resource.ResourceFactory;
import org.eclipse.jetty.xml.XmlConfiguration;
import org.junit.jupiter.api.Test;

/** Jetty XML can configure every setting, and the counters are visible over JMX. */
class ConfigurationTest {

  static final String XML =
      """
      <?xml version="1.0"?>
      <!DOCTYPE Configure PUBLIC "-//Jetty//Configure//EN" "https://jetty.org/configure_10_0.dtd">
      <Configure class="dev.trustproxy.jetty.ProxyProtocolConnectionFactory">
        <Arg>http/1.1</Arg>
        <Set name="trustedSources">10.0.0.0/8, loopback</Set>
        <Set name="untrustedPeers">PLAIN</Set>
        <Set name="optionalHeader">true</Set>
        <Set name="v1Enabled">false</Set>
        <Set name="v2Enabled">true</Set>
        <Set name="maxV2HeaderSize">8192</Set>
        <Set name="headerTimeout"><Call class="java.time.Duration" name="ofSeconds"><Arg type="long">5</Arg></Call></Set>
        <Set name="acceptIpv4InTcp6">true</Set>
        <Set name="sslTlvMarksSecure">true</Set>
      </Configure>
      """;

  @Test
  void everySettingCanBeSetFromJettyXml() throws Exception {
    java.nio.file.Path file = java.nio.file.Files.createTempFile("proxy", ".xml");
    try {
      java.nio.file.Files.writeString(file, XML, StandardCharsets.UTF_8);
      XmlConfiguration xml =
          new XmlConfiguration(ResourceFactory.root().newResource(file));
      ProxyProtocolConnectionFactory f = (ProxyProtocolConnectionFactory) xml.configure();
      assertThat(f.getTrustedSources().contains(IpAddress.parse("10.1.2.3"))).isTrue();
      assertThat(f.getTrustedSources().contains(IpAddress.parse("127.0.0.1"))).isTrue();
      assertThat(f.getTrustedSources().contains(IpAddress.parse("192.0.2.1"))).isFalse();
      assertThat(f.getUntrustedPeers()).isEqualTo(UntrustedPeers.PLAIN);
      assertThat(f.isOptionalHeader()).isTrue();
      assertThat(f.isV1Enabled()).isFalse();
      assertThat(f.isV2Enabled()).isTrue();
      assertThat(f.getMaxV2HeaderSize()).isEqualTo(8192);
      assertThat(f.getHeaderTimeout()).isEqualTo(Duration.ofSeconds(5));
      assertThat(f.isAcceptIpv4InTcp6()).isTrue();
      assertThat(f.isSslTlvMarksSecure()).isTrue();
    } finally {
      java.nio.file.Files.deleteIfExists(file);
    }
  }

  @Test
  void defaultsAreTheSafeOnes() {
    ProxyProtocolConnectionFactory f = new ProxyProtocolConnectionFactory("http/1.1");
    assertThat(f.getTrustedSources()).isNull();
    assertThat(f.getUntrustedPeers()).isEqualTo(UntrustedPeers.CLOSE);
    assertThat(f.isOptionalHeader()).isFalse();
    assertThat(f.isV1Enabled()).isTrue();
    assertThat(f.isV2Enabled()).isTrue();
    assertThat(f.getMaxV2HeaderSize()).isEqualTo(4096);
    assertThat(f.getHeaderTimeout()).isEqualTo(Duration.ofSeconds(10));
    assertThat(f.isAcceptIpv4InTcp6()).isFalse();
    assertThat(f.isSslTlvMarksSecure()).isFalse();
  }

  @Test
  void countersAreJmxAttributes() throws Exception {
    MBeanServer mbeans = ManagementFactory.getPlatformMBeanServer();
    Server server = new Server();
    MBeanContainer container = new MBeanContainer(mbeans);
    server.addBean(container);
    ProxyProtocolConnectionFactory f = new ProxyProtocolConnectionFactory("http/1.1");
    f.setTrustedSources("loopback");
    server.addBean(f);
    server.start();
    try {
      ObjectName pattern = new ObjectName("dev.trustproxy.jetty:type=proxyprotocolconnectionfactory,*");
      java.util.Set<ObjectName> names = mbeans.queryNames(pattern, null);
      assertThat(names).hasSize(1);
      ObjectName name = names.iterator().next();
      for (String attribute : new String[] {"acceptedV1", "acceptedV2", "rejectedUntrusted",
          "rejectedTimeout", "rejectedMalformed", "rejectedTooLarge", "rejectedChecksum"}) {
        assertThat(mbeans.getAttribute(name, attribute)).as(attribute).isEqualTo(0L);
      }
      assertThat(mbeans.getAttribute(name, "trustedSourcesText")).asString().contains("127.0.0.0/8");
    } finally {
      server.stop();
      container.destroy();
    }
  }
}

package dev.trustproxy.spring.container;

import dev.trustproxy.ClientResolver;
import dev.trustproxy.jetty.ClientMdcHandler;
import dev.trustproxy.jetty.ProxyProtocolConnectionFactory;
import dev.trustproxy.jetty.TrustProxyCustomizer;
import dev.trustproxy.proxyprotocol.ProxyProtocolSettings;
import dev.trustproxy.spring.TrustProxyCounters;
import dev.trustproxy.spring.TrustProxyProperties;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;
import org.eclipse.jetty.server.ConnectionFactory;
import org.eclipse.jetty.server.Connector;
import org.eclipse.jetty.server.HttpConfiguration;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;

/**
 * What the Boot 3 and Boot 4 Jetty glue do to the server Boot built, written once: only the
 * factory's class differs between the two Boot lines. For the starter's glue, not for
 * applications.
 */
public final class JettyWiring {

  private JettyWiring() {}

  /**
   * The customizer for these settings.
   *
   * @param resolver the application's resolver (the starter's or its own)
   * @param properties the starter's properties
   * @param counters where the meters find the customizer's counters
   * @return the customizer
   */
  public static TrustProxyCustomizer customizer(ClientResolver resolver,
      TrustProxyProperties properties, TrustProxyCounters counters) {
    TrustProxyCustomizer customizer = new TrustProxyCustomizer(resolver, properties.headers());
    customizer.setReloadInterval(properties.reloadIntervalSeconds());
    counters.useRequestCounters(customizer.statistics());
    return customizer;
  }

  /**
   * What to do to the server Boot built: {@link #apply} with the PROXY settings of these
   * properties, validated now so that a bad value fails before the server is built.
   *
   * @return a server customizer, for Boot's {@code JettyServerCustomizer}
   * @throws IllegalArgumentException for a bad {@code trustproxy.proxy-protocol.*} value
   */
  public static Consumer<Server> serverCustomizer(TrustProxyCustomizer customizer,
      TrustProxyProperties properties, TrustProxyCounters counters) {
    ProxyProtocolSettings settings = properties.getProxyProtocol().isEnabled()
        ? properties.getProxyProtocol().settings() : null;
    String mdcKey = properties.getMdcKey();
    return server -> {
      apply(server, customizer, settings, counters);
      if (mdcKey != null && !mdcKey.isBlank()) {
        // A customizer has no hook after the request: the MDC comes from a wrapper (README D96).
        server.setHandler(new ClientMdcHandler(mdcKey, server.getHandler()));
      }
    };
  }

  /**
   * Puts the customizer first on every HTTP configuration of the server's connectors and, with
   * PROXY settings, a PROXY factory in front of each connector's protocols.
   *
   * @param server the server Boot built, before it starts
   * @param customizer the customizer
   * @param proxyProtocol the PROXY settings, or null when PROXY protocol is off
   * @param counters where the meters find each PROXY factory's counters
   */
  static void apply(Server server, TrustProxyCustomizer customizer,
      ProxyProtocolSettings proxyProtocol, TrustProxyCounters counters) {
    // A managed bean: the server starts and stops it, and with it the range-file reloader (D83).
    if (!server.contains(customizer)) {
      server.addBean(customizer);
    }
    for (Connector connector : server.getConnectors()) {
      for (ConnectionFactory factory : connector.getConnectionFactories()) {
        if (factory instanceof HttpConfiguration.ConnectionFactory http) {
          customizerFirst(http.getHttpConfiguration(), customizer);
        }
      }
      if (proxyProtocol != null && connector instanceof ServerConnector serverConnector) {
        // null: the header is followed by the protocol that was first before (http/1.1, ssl).
        ProxyProtocolConnectionFactory proxy = new ProxyProtocolConnectionFactory(null);
        proxy.setTrustedSources(proxyProtocol.trustedSourceRanges());
        proxy.setUntrustedPeers(proxyProtocol.untrustedPeers());
        proxy.setOptionalHeader(proxyProtocol.optionalHeader());
        proxy.setV1Enabled(proxyProtocol.v1Enabled());
        proxy.setV2Enabled(proxyProtocol.v2Enabled());
        proxy.setMaxV2HeaderSize(proxyProtocol.maxV2HeaderSize());
        proxy.setHeaderTimeout(proxyProtocol.headerTimeout());
        proxy.setAcceptIpv4InTcp6(proxyProtocol.acceptIpv4InTcp6());
        proxy.setSslTlvMarksSecure(proxyProtocol.sslTlvMarksSecure());
        serverConnector.addFirstConnectionFactory(proxy);
        counters.addProxyProtocolCounters(proxy.getCounters());
      }
    }
  }

  private static void customizerFirst(HttpConfiguration config, TrustProxyCustomizer customizer) {
    List<HttpConfiguration.Customizer> current = config.getCustomizers();
    if (current.contains(customizer)) {
      return;
    }
    List<HttpConfiguration.Customizer> customizers = new ArrayList<>();
    customizers.add(customizer);
    customizers.addAll(current);
    config.setCustomizers(customizers);
  }
}

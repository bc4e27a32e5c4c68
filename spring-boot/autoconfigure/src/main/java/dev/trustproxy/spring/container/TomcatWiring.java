package dev.trustproxy.spring.container;

import dev.trustproxy.ClientResolver;
import dev.trustproxy.proxyprotocol.ProxyProtocolSettings;
import dev.trustproxy.spring.TrustProxyCounters;
import dev.trustproxy.spring.TrustProxyProperties;
import dev.trustproxy.tomcat.TrustProxyHttp11NioProtocol;
import dev.trustproxy.tomcat.TrustProxyValve;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.function.Consumer;
import org.apache.catalina.Valve;
import org.apache.catalina.connector.Connector;
import org.apache.catalina.valves.AbstractAccessLogValve;

/**
 * What the Boot 3 and Boot 4 Tomcat glue do to Boot's Tomcat factory, written once: only the
 * factory's class differs between the two Boot lines. For the starter's glue, not for
 * applications.
 */
public final class TomcatWiring {

  /** The protocol class the factory uses when PROXY protocol is enabled. */
  public static final String PROXY_PROTOCOL = TrustProxyHttp11NioProtocol.class.getName();

  private TomcatWiring() {}

  /**
   * The valve for these settings.
   *
   * @param resolver the application's resolver (the starter's or its own)
   * @param properties the starter's properties
   * @param counters where the meters find the valve's counters
   * @return the valve
   */
  public static TrustProxyValve valve(ClientResolver resolver, TrustProxyProperties properties,
      TrustProxyCounters counters) {
    TrustProxyValve valve = new TrustProxyValve(resolver, properties.headers());
    valve.setMdcKey(properties.getMdcKey());
    valve.setReloadInterval(properties.reloadIntervalSeconds());
    counters.useRequestCounters(valve.statistics());
    return valve;
  }

  /**
   * Everything done to Boot's Tomcat factory, given as its four methods (their declaring types
   * differ between Boot 3 and Boot 4): the valve first among the engine valves, and with PROXY
   * protocol enabled the protocol class and a connector customizer that hands it the settings.
   *
   * @param engineValves the factory's {@code getEngineValves()}
   * @param setEngineValves its {@code setEngineValves}
   * @param setProtocol its {@code setProtocol}
   * @param addConnectorCustomizer adds a connector customizer
   * @throws IllegalArgumentException for a bad {@code trustproxy.proxy-protocol.*} value
   */
  public static void customize(TrustProxyValve valve, TrustProxyProperties properties,
      TrustProxyCounters counters, Collection<Valve> engineValves,
      Consumer<Collection<Valve>> setEngineValves, Consumer<String> setProtocol,
      Consumer<Consumer<Connector>> addConnectorCustomizer) {
    setEngineValves.accept(engineValves(valve, engineValves));
    if (properties.getProxyProtocol().isEnabled()) {
      ProxyProtocolSettings settings = properties.getProxyProtocol().settings();
      setProtocol.accept(PROXY_PROTOCOL);
      addConnectorCustomizer.accept(connector -> proxyProtocol(connector, settings, counters));
    }
  }

  /**
   * The engine valves with the valve first, so every later valve (and any error page a Host
   * dispatches) sees the client. Access logs log the client: the valve restores the connection's
   * values before Tomcat writes the log line, and sets the client's as request attributes, which
   * an access log reads only with {@code requestAttributesEnabled} (README D62, D102).
   *
   * @param valve the valve
   * @param existing the factory's engine valves
   * @return the new list for {@code setEngineValves}
   */
  static List<Valve> engineValves(TrustProxyValve valve, Collection<Valve> existing) {
    List<Valve> valves = new ArrayList<>();
    valves.add(valve);
    for (Valve v : existing) {
      if (v == valve) {
        continue;
      }
      if (v instanceof AbstractAccessLogValve log) {
        log.setRequestAttributesEnabled(true);
      }
      valves.add(v);
    }
    return valves;
  }

  /**
   * Gives the connector's PROXY protocol handler the starter's settings.
   *
   * @param connector a connector made with {@link #PROXY_PROTOCOL}
   * @param settings the settings from {@code trustproxy.proxy-protocol.*}
   * @param counters where the meters find the connector's counters
   * @throws IllegalStateException when something replaced the protocol
   */
  static void proxyProtocol(Connector connector, ProxyProtocolSettings settings,
      TrustProxyCounters counters) {
    if (!(connector.getProtocolHandler() instanceof TrustProxyHttp11NioProtocol protocol)) {
      throw new IllegalStateException("trustproxy.proxy-protocol.enabled=true needs the"
          + " connector protocol " + PROXY_PROTOCOL + ", but the connector on port "
          + connector.getPort() + " uses " + connector.getProtocolHandlerClassName()
          + ": remove the other protocol setting or set trustproxy.proxy-protocol.enabled=false");
    }
    protocol.setProxyProtocolSettings(settings);
    counters.addProxyProtocolCounters(protocol.getProxyProtocolCounters());
  }
}

package dev.trustproxy.jetty.peers;

import dev.trustproxy.jetty.peers.EchoServer.Adapter;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * One {@link EchoServer} per {@link Adapter}, all with the same settings, for an HTTP proxy that
 * routes {@code /customizer/} and {@code /filter/} to them: both adapters meet the same peer.
 */
final class AdapterBackends implements AutoCloseable {

  private final Map<Adapter, EchoServer> servers = new EnumMap<>(Adapter.class);

  private AdapterBackends() {}

  /** Starts both servers; stops what started if one fails. */
  static AdapterBackends start(Map<String, String> settings) throws Exception {
    AdapterBackends backends = new AdapterBackends();
    try {
      for (Adapter adapter : Adapter.values()) {
        backends.servers.put(adapter, EchoServer.startForwarded(adapter, settings));
      }
    } catch (Exception e) {
      backends.close();
      throw e;
    }
    return backends;
  }

  /**
   * The template values {@code PREFIX_CUSTOMIZER_PORT} and {@code PREFIX_FILTER_PORT} (no
   * prefix: {@code CUSTOMIZER_PORT}, {@code FILTER_PORT}).
   */
  Map<String, Object> ports(String prefix) {
    Map<String, Object> values = new LinkedHashMap<>();
    servers.forEach((adapter, server) -> values.put(prefix + adapter.name() + "_PORT",
        server.port()));
    return values;
  }

  /** Stops every server, even when one fails; {@link EchoServer#close()} throws unchecked. */
  @Override
  public void close() {
    try {
      PeerPrograms.closeAll(servers.values().toArray(AutoCloseable[]::new));
    } catch (RuntimeException e) {
      throw e;
    } catch (Exception e) {
      throw new IllegalStateException("could not stop the Jetty backends", e);
    }
  }
}

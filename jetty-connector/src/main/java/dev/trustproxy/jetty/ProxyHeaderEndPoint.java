package dev.trustproxy.jetty;

import dev.trustproxy.proxyprotocol.ProxyHeader;
import java.net.SocketAddress;
import java.util.HashMap;
import java.util.Map;
import org.eclipse.jetty.io.EndPoint;
import org.eclipse.jetty.server.ProxyConnectionFactory;

/**
 * The accepted connection's endpoint, seen by every protocol after the PROXY header: it reports
 * the header's addresses (or the real ones) and carries the {@link ProxyHeader}.
 *
 * <p>It extends Jetty's public {@link ProxyConnectionFactory.ProxyEndPoint} so Jetty's own {@code
 * ProxyCustomizer} and code calling {@code getTLV(int)} keep working; only the parsing differs.
 */
final class ProxyHeaderEndPoint extends ProxyConnectionFactory.ProxyEndPoint {

  private final ProxyHeader header;

  ProxyHeaderEndPoint(
      EndPoint endPoint,
      SocketAddress local,
      SocketAddress remote,
      ProxyHeader header,
      SslSessionData sslSessionData) {
    super(endPoint, local, remote, firstValues(header), sslSessionData);
    this.header = header;
  }

  ProxyHeader header() {
    return header;
  }

  private static Map<Integer, byte[]> firstValues(ProxyHeader header) {
    Map<Integer, byte[]> map = new HashMap<>();
    for (ProxyHeader.Tlv tlv : header.tlvs()) {
      map.putIfAbsent(tlv.type(), tlv.value());
    }
    return map;
  }

  /** The header of the connection that {@code endPoint} belongs to, or null. */
  static ProxyHeader find(EndPoint endPoint) {
    EndPoint current = endPoint;
    // Wrapper chains are short (TLS over PROXY); the bound only guards against a cycle.
    for (int depth = 0; current != null && depth < 16; depth++) {
      if (current instanceof ProxyHeaderEndPoint p) {
        return p.header;
      }
      current = current instanceof EndPoint.Wrapper w ? w.unwrap() : null;
    }
    return null;
  }
}

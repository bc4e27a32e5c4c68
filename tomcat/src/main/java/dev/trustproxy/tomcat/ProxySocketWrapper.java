package dev.trustproxy.tomcat;

import dev.trustproxy.IpAddress;
import dev.trustproxy.proxyprotocol.ProxyHeader;
import jakarta.servlet.ServletConnection;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.channels.SocketChannel;
import org.apache.tomcat.util.net.NioChannel;
import org.apache.tomcat.util.net.NioEndpoint;

/**
 * Tomcat's socket wrapper for one connection of a PROXY protocol connector. Everything in Tomcat
 * that asks for the connection's addresses asks this object (the HTTP/1.1 and HTTP/2 processors,
 * so {@code getRemoteAddr()}, valves and the access log), so once the header is accepted it
 * answers with the header's addresses, as canonical text and never through a name lookup.
 *
 * <p>While the header is awaited it reports the accept time as its last read and the header
 * timeout as its read timeout: Tomcat's poller then closes a connection that is still waiting at
 * the deadline, with no timer of our own.
 */
final class ProxySocketWrapper extends NioEndpoint.NioSocketWrapper {

  /** {@code null} for a connection served plain from the start. */
  private final ProxyHandshake handshake;
  private volatile ProxyHeader header;
  private volatile ProxyServletConnection servletConnectionWithHeader;

  ProxySocketWrapper(NioChannel channel, NioEndpoint endpoint, ProxyHandshake handshake) {
    super(channel, endpoint);
    this.handshake = handshake;
  }

  /** Whether {@code wrapper}'s connection still waits for its PROXY header. */
  static boolean awaitingHeader(NioEndpoint.NioSocketWrapper wrapper) {
    return wrapper instanceof ProxySocketWrapper proxy && proxy.awaitingHeader();
  }

  /**
   * Runs the PROXY phase of {@code wrapper}'s connection as far as the bytes allow; the result is
   * a {@code NioChannel.handshake} result ({@code 0} done, an interest op, {@code -1} close).
   */
  static int advance(
      NioEndpoint.NioSocketWrapper wrapper,
      SocketChannel channel,
      HeaderBuffer buffer,
      ProxyHandshake.HandBack handBack)
      throws IOException {
    if (!(wrapper instanceof ProxySocketWrapper proxy) || !proxy.awaitingHeader()) {
      return 0;
    }
    return proxy.handshake.advance(channel, buffer, handBack, proxy::proxyHeaderAccepted);
  }

  boolean awaitingHeader() {
    return handshake != null && handshake.pending();
  }

  /** The accepted header, or {@code null} (plain connection, or not yet). */
  ProxyHeader proxyHeader() {
    return header;
  }

  /**
   * Takes the header's endpoints as this connection's. LOCAL, UNKNOWN, UNSPEC and UNIX headers
   * carry none, so the real ones stay. Host names are the address text: the header is the
   * authority here, and resolving would only add a lookup that the peer can steer.
   */
  void proxyHeaderAccepted(ProxyHeader accepted) {
    InetSocketAddress source = accepted.sourceAddress();
    if (source != null) {
      remoteAddr = IpAddress.of(source.getAddress()).toString();
      remoteHost = remoteAddr;
      remotePort = source.getPort();
    }
    InetSocketAddress destination = accepted.destinationAddress();
    if (destination != null) {
      localAddr = IpAddress.of(destination.getAddress()).toString();
      localName = localAddr;
      localPort = destination.getPort();
    }
    header = accepted;
    // The connection idle timer starts now, not at accept.
    updateLastRead();
  }

  @Override
  public long getLastRead() {
    return awaitingHeader() ? handshake.acceptedAtMillis() : super.getLastRead();
  }

  @Override
  public long getReadTimeout() {
    return awaitingHeader() ? handshake.timeoutMillis() : super.getReadTimeout();
  }

  /**
   * Tomcat's own connection, wrapped so that the request adapter can find this connection's
   * header from a request ({@link ProxyHeaderAdapter}).
   */
  @Override
  public ServletConnection getServletConnection(String protocol, String protocolConnectionId) {
    ServletConnection connection = super.getServletConnection(protocol, protocolConnectionId);
    ProxyHeader accepted = header;
    if (accepted == null) {
      return connection;
    }
    ProxyServletConnection wrapped = servletConnectionWithHeader;
    if (wrapped == null || wrapped.delegate() != connection) {
      wrapped = new ProxyServletConnection(connection, accepted);
      servletConnectionWithHeader = wrapped;
    }
    return wrapped;
  }

  @Override
  protected void doClose() {
    if (handshake != null) {
      handshake.closing(getError());
    }
    super.doClose();
  }
}

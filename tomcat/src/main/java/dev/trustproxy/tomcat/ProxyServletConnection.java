package dev.trustproxy.tomcat;

import dev.trustproxy.proxyprotocol.ProxyHeader;
import jakarta.servlet.ServletConnection;

/**
 * Tomcat's {@link ServletConnection} of a connection that sent a PROXY header, carrying the
 * header: the one object a Tomcat request can reach that belongs to its connection, for HTTP/1.1
 * and HTTP/2 alike. Every {@code ServletConnection} method answers as Tomcat's own.
 */
record ProxyServletConnection(ServletConnection delegate, ProxyHeader header)
    implements ServletConnection {

  @Override
  public String getConnectionId() {
    return delegate.getConnectionId();
  }

  @Override
  public String getProtocol() {
    return delegate.getProtocol();
  }

  @Override
  public String getProtocolConnectionId() {
    return delegate.getProtocolConnectionId();
  }

  @Override
  public boolean isSecure() {
    return delegate.isSecure();
  }
}

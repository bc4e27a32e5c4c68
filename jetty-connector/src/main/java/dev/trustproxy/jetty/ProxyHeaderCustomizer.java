package dev.trustproxy.jetty;

import dev.trustproxy.proxyprotocol.ProxyHeader;
import org.eclipse.jetty.http.HttpFields;
import org.eclipse.jetty.io.Connection;
import org.eclipse.jetty.server.HttpConfiguration;
import org.eclipse.jetty.server.Request;

/**
 * Sets the request attribute {@link ProxyHeader#ATTRIBUTE} on every request of a connection that
 * started with an accepted PROXY header.
 *
 * <p>Jetty 12 request attributes do not fall back to connection state, so a customizer is the
 * mechanism. You rarely add it yourself: {@link ProxyProtocolConnectionFactory} adds one to every
 * {@link HttpConfiguration} of its connector when the first connection arrives, unless one is
 * already there. Add it explicitly only to control its position among your other customizers:
 *
 * <pre>{@code
 * HttpConfiguration config = new HttpConfiguration();
 * config.addCustomizer(new ProxyHeaderCustomizer());
 * }</pre>
 *
 * <p>On a connection without a PROXY header it does nothing. Stateless and thread-safe.
 */
public final class ProxyHeaderCustomizer implements HttpConfiguration.Customizer {

  @Override
  public Request customize(Request request, HttpFields.Mutable responseHeaders) {
    Connection connection = request.getConnectionMetaData().getConnection();
    ProxyHeader header = connection == null ? null : ProxyHeaderEndPoint.find(connection.getEndPoint());
    if (header != null) {
      request.setAttribute(ProxyHeader.ATTRIBUTE, header);
    }
    return request;
  }

  @Override
  public String toString() {
    return "ProxyHeaderCustomizer";
  }
}

package dev.trustproxy.tomcat;

import dev.trustproxy.Forwarding;
import org.apache.catalina.AccessLog;
import org.apache.catalina.Globals;
import org.apache.catalina.connector.Request;
import org.apache.tomcat.util.http.MimeHeaders;

/** {@link TrustProxyValve}'s reads and writes of Tomcat's request: container glue only. */
final class CatalinaRequests {

  /** Tomcat's field lines, for {@link Forwarding#read}: one constant, nothing captured. */
  static final Forwarding.FieldLines<MimeHeaders> LINES = new Forwarding.FieldLines<>() {
    @Override
    public String joined(MimeHeaders mime, String name) {
      return CatalinaRequests.joined(mime, name);
    }

    @Override
    public String first(MimeHeaders mime, String name) {
      return mime.getHeader(name);
    }
  };

  private CatalinaRequests() {}

  /**
   * Writes the client's values into Tomcat's request, and each changed value also as the access
   * log's request attribute: Tomcat writes the access log after this valve has restored the
   * request, and falls back to the request's own (restored, here unchanged) value when an
   * attribute is absent. Those attributes go to the connector's request, where Catalina's {@code
   * getAttribute} finds them when its own map has no entry (as it finds TLS attributes): a plain
   * map put, not a concurrent map's put and an attribute-listener notification each (README D77).
   */
  static void apply(Request request, Forwarding forwarding, String client) {
    org.apache.coyote.Request coyote = request.getCoyoteRequest();
    if (client != null) {
      request.setRemoteAddr(client);
      coyote.setAttribute(AccessLog.REMOTE_ADDR_ATTRIBUTE, client);
      coyote.setAttribute(AccessLog.REMOTE_HOST_ATTRIBUTE, client);
      // Tomcat's status pages (RequestInfo) read this one from the connector's request.
      coyote.setAttribute(Globals.REMOTE_ADDR_ATTRIBUTE, client);
    }
    String scheme = forwarding.scheme();
    if (scheme != null) {
      coyote.scheme().setString(scheme);
      request.setSecure(scheme.equals("https"));
    }
    if (forwarding.serverName() != null) {
      coyote.serverName().setString(forwarding.serverName());
      coyote.setAttribute(AccessLog.SERVER_NAME_ATTRIBUTE, forwarding.serverName());
    }
    if (forwarding.serverPort() >= 0) {
      request.setServerPort(forwarding.serverPort());
      coyote.setAttribute(AccessLog.SERVER_PORT_ATTRIBUTE, forwarding.serverPort());
    }
    if (forwarding.changesRequest()) {
      coyote.setAttribute(Globals.REQUEST_FORWARDED_ATTRIBUTE, Boolean.TRUE);
    }
  }

  /** Every field line of {@code name} joined in arrival order with {@code ", "}, or null. */
  static String joined(MimeHeaders mime, String name) {
    int i = mime.findHeader(name, 0);
    if (i < 0) {
      return null;
    }
    String first = mime.getValue(i).toString();
    int next = mime.findHeader(name, i + 1);
    if (next < 0) {
      return first;
    }
    StringBuilder sb = new StringBuilder(first);
    do {
      sb.append(", ").append(mime.getValue(next).toString());
      next = mime.findHeader(name, next + 1);
    } while (next >= 0);
    return sb.toString();
  }
}

package dev.trustproxy.tomcat;

import org.apache.catalina.connector.Request;

/**
 * The connection's values of a request a {@link TrustProxyValve} changed, to put back when it
 * returns (README D60). The remote host is not read (with {@code enableLookups} that would be a
 * DNS lookup): it is reset so Tomcat derives it again from the restored address.
 */
final class Originals {
  final TrustProxyValve owner;
  private final boolean changed;
  private final String remoteAddr;
  private final String scheme;
  private final boolean secure;
  private final String serverName;
  private final int serverPort;

  /** Nothing to restore but the remote host. */
  Originals(TrustProxyValve owner) {
    this.owner = owner;
    this.changed = false;
    this.remoteAddr = null;
    this.scheme = null;
    this.secure = false;
    this.serverName = null;
    this.serverPort = -1;
  }

  Originals(TrustProxyValve owner, Request request) {
    this.owner = owner;
    this.changed = true;
    this.remoteAddr = request.getRemoteAddr();
    this.scheme = request.getScheme();
    this.secure = request.isSecure();
    this.serverName = request.getServerName();
    this.serverPort = request.getServerPort();
  }

  void restore(Request request) {
    request.setRemoteHost(null);
    if (!changed) {
      return;
    }
    org.apache.coyote.Request coyote = request.getCoyoteRequest();
    request.setRemoteAddr(remoteAddr);
    coyote.scheme().setString(scheme);
    request.setSecure(secure);
    coyote.serverName().setString(serverName);
    request.setServerPort(serverPort);
  }
}

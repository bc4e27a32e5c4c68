package dev.trustproxy.servlet;

import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletRequestWrapper;

/**
 * The request as the client made it: the client's address and, when a trusted proxy said so, the
 * scheme, host and port it used. Fields are final; no header is copied.
 */
final class ForwardedRequest extends HttpServletRequestWrapper {

  private final String remoteAddr;
  private final String scheme;
  private final String serverName;
  private final int serverPort;

  /**
   * @param remoteAddr the client, or null to keep the container's
   * @param scheme "http"/"https", or null to keep the container's
   * @param serverName the host, or null to keep the container's
   * @param serverPort the port, or -1 to keep the container's
   */
  ForwardedRequest(HttpServletRequest request, String remoteAddr, String scheme,
      String serverName, int serverPort) {
    super(request);
    this.remoteAddr = remoteAddr;
    this.scheme = scheme;
    this.serverName = serverName;
    this.serverPort = serverPort;
  }

  @Override
  public String getRemoteAddr() {
    return remoteAddr != null ? remoteAddr : super.getRemoteAddr();
  }

  /** The client's address text: a forwarded client is never looked up in DNS. */
  @Override
  public String getRemoteHost() {
    return remoteAddr != null ? remoteAddr : super.getRemoteHost();
  }

  /**
   * 0 when the client came from a header: X-Forwarded-For carries no client port, and the
   * proxy's port paired with the client's address would describe a connection that never existed.
   */
  @Override
  public int getRemotePort() {
    return remoteAddr != null ? 0 : super.getRemotePort();
  }

  @Override
  public String getScheme() {
    return scheme != null ? scheme : super.getScheme();
  }

  @Override
  public boolean isSecure() {
    return scheme != null ? scheme.equals("https") : super.isSecure();
  }

  @Override
  public String getServerName() {
    return serverName != null ? serverName : super.getServerName();
  }

  @Override
  public int getServerPort() {
    return serverPort >= 0 ? serverPort : super.getServerPort();
  }

  @Override
  public StringBuffer getRequestURL() {
    String s = getScheme();
    int port = getServerPort();
    StringBuffer url = new StringBuffer(64).append(s).append("://").append(getServerName());
    if (port > 0 && !(s.equals("http") && port == 80) && !(s.equals("https") && port == 443)) {
      url.append(':').append(port);
    }
    return url.append(getRequestURI());
  }
}

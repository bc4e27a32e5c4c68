package dev.trustproxy.servlet;

import dev.trustproxy.Forwarding;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletRequestWrapper;
import jakarta.servlet.http.HttpServletResponse;
import jakarta.servlet.http.HttpSession;

/**
 * The request as the client made it: the client's canonical address and, when a trusted proxy
 * said so, the scheme, host and port it used. Fields are final; no header is copied.
 *
 * <p>A session this wrapper creates while it reports https gets a {@code Secure} session cookie
 * even where the container decides that from its own request (Jetty 12): see {@link
 * SessionCookies}.
 */
final class ForwardedRequest extends HttpServletRequestWrapper {

  private final String remoteAddr;
  private final boolean fromHeader;
  private final String scheme;
  private final String serverName;
  private final int serverPort;
  private final HttpServletResponse response;

  /**
   * @param forwarding the request's answer: the scheme, host and port to report (null or -1
   *     keeps the container's), copied so that the answer itself is not kept
   * @param remoteAddr the client's canonical address text (README D9): the forwarded client's,
   *     or the peer's when the client is the peer
   * @param response the response whose session cookie this wrapper may fix, or null
   */
  ForwardedRequest(HttpServletRequest request, Forwarding forwarding, String remoteAddr,
      HttpServletResponse response) {
    super(request);
    this.remoteAddr = remoteAddr;
    this.fromHeader = forwarding.remoteAddr() != null;
    this.scheme = forwarding.scheme();
    this.serverName = forwarding.serverName();
    this.serverPort = forwarding.serverPort();
    this.response = response;
  }

  @Override
  public String getRemoteAddr() {
    return remoteAddr;
  }

  /** The client's address text: no name is ever looked up (the container's might do DNS). */
  @Override
  public String getRemoteHost() {
    return remoteAddr;
  }

  /**
   * 0 when the client came from a header: X-Forwarded-For carries no client port, and the
   * proxy's port paired with the client's address would describe a connection that never existed.
   */
  @Override
  public int getRemotePort() {
    return fromHeader ? 0 : super.getRemotePort();
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

  @Override
  public HttpSession getSession() {
    return getSession(true);
  }

  /** The container's session; one it creates now gets a {@code Secure} cookie when needed. */
  @Override
  public HttpSession getSession(boolean create) {
    if (!create || !cookieNeedsSecure()) {
      return super.getSession(create);
    }
    HttpSession before = super.getSession(false);
    HttpSession session = super.getSession(true);
    if (session != before) {
      SessionCookies.secure(response, SessionCookies.name(this));
    }
    return session;
  }

  /** A new session id means a new session cookie, written by the container from its request. */
  @Override
  public String changeSessionId() {
    String id = super.changeSessionId();
    if (cookieNeedsSecure()) {
      SessionCookies.secure(response, SessionCookies.name(this));
    }
    return id;
  }

  /**
   * True when this wrapper says https but the container's own request does not: the container
   * would then write the session cookie without {@code Secure}. False on Tomcat, whose request the
   * filter has already marked secure.
   */
  boolean cookieNeedsSecure() {
    return response != null && "https".equals(scheme) && !super.isSecure();
  }
}

package dev.trustproxy.benchmarks;

import jakarta.servlet.AsyncContext;
import jakarta.servlet.DispatcherType;
import jakarta.servlet.RequestDispatcher;
import jakarta.servlet.ServletConnection;
import jakarta.servlet.ServletContext;
import jakarta.servlet.ServletInputStream;
import jakarta.servlet.ServletRequest;
import jakarta.servlet.ServletResponse;
import jakarta.servlet.http.Cookie;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import jakarta.servlet.http.HttpSession;
import jakarta.servlet.http.HttpUpgradeHandler;
import jakarta.servlet.http.Part;
import java.io.BufferedReader;
import java.security.Principal;
import java.util.Collection;
import java.util.Collections;
import java.util.Enumeration;
import java.util.Locale;
import java.util.Map;
import java.util.NoSuchElementException;

/**
 * A minimal HTTP request with fixed fields for benchmarks: what a container hands a filter, without
 * the container. Reading it allocates nothing (except {@link #getRequestURL()}, whose contract is a
 * new mutable buffer), so the allocation a benchmark measures is the contender's own.
 *
 * <p>Not thread-safe: the two enumerations and the attribute slots are reused, so one instance
 * belongs to one benchmark thread, and header enumerations must be read one at a time (every
 * contender here does).
 */
public final class BenchRequest implements HttpServletRequest {

  private static final int ATTRIBUTE_SLOTS = 16;

  private final String remoteAddr;
  private final int remotePort;
  private final String[] headerNames;
  private final String[] headerValues;
  private final String[] attributeNames = new String[ATTRIBUTE_SLOTS];
  private final Object[] attributeValues = new Object[ATTRIBUTE_SLOTS];
  private final Names names = new Names();
  private final Values values = new Values();

  /**
   * @param remoteAddr the TCP peer as a container reports it (IPv6 without brackets)
   * @param headers name, value, name, value, ... (one field line each)
   */
  public BenchRequest(String remoteAddr, int remotePort, String... headers) {
    if (headers.length % 2 != 0) {
      throw new IllegalArgumentException("headers come in name/value pairs, got " + headers.length);
    }
    this.remoteAddr = remoteAddr;
    this.remotePort = remotePort;
    this.headerNames = new String[headers.length / 2];
    this.headerValues = new String[headers.length / 2];
    for (int i = 0; i < headerNames.length; i++) {
      headerNames[i] = headers[2 * i];
      headerValues[i] = headers[2 * i + 1];
    }
  }

  /** Forgets the attributes a contender set, so every operation starts from the same request. */
  public void clearAttributes() {
    for (int i = 0; i < ATTRIBUTE_SLOTS; i++) {
      attributeNames[i] = null;
      attributeValues[i] = null;
    }
  }

  // ------------------------------------------------------------------ headers

  @Override
  public String getHeader(String name) {
    for (int i = 0; i < headerNames.length; i++) {
      if (headerNames[i].equalsIgnoreCase(name)) {
        return headerValues[i];
      }
    }
    return null;
  }

  @Override
  public Enumeration<String> getHeaders(String name) {
    values.reset(name);
    return values.hasMoreElements() ? values : Collections.emptyEnumeration();
  }

  @Override
  public Enumeration<String> getHeaderNames() {
    names.next = 0;
    return names;
  }

  @Override
  public long getDateHeader(String name) {
    return -1;
  }

  @Override
  public int getIntHeader(String name) {
    String v = getHeader(name);
    return v == null ? -1 : Integer.parseInt(v);
  }

  private final class Names implements Enumeration<String> {
    int next;

    @Override
    public boolean hasMoreElements() {
      return next < headerNames.length;
    }

    @Override
    public String nextElement() {
      if (next >= headerNames.length) {
        throw new NoSuchElementException();
      }
      return headerNames[next++];
    }
  }

  private final class Values implements Enumeration<String> {
    String name;
    int next;

    void reset(String name) {
      this.name = name;
      this.next = 0;
      advance();
    }

    private void advance() {
      while (next < headerNames.length && !headerNames[next].equalsIgnoreCase(name)) {
        next++;
      }
    }

    @Override
    public boolean hasMoreElements() {
      return next < headerNames.length;
    }

    @Override
    public String nextElement() {
      if (next >= headerNames.length) {
        throw new NoSuchElementException();
      }
      String value = headerValues[next++];
      advance();
      return value;
    }
  }

  // ------------------------------------------------------------------ attributes

  @Override
  public Object getAttribute(String name) {
    for (int i = 0; i < ATTRIBUTE_SLOTS; i++) {
      if (name.equals(attributeNames[i])) {
        return attributeValues[i];
      }
    }
    return null;
  }

  @Override
  public void setAttribute(String name, Object o) {
    if (o == null) {
      removeAttribute(name);
      return;
    }
    int free = -1;
    for (int i = 0; i < ATTRIBUTE_SLOTS; i++) {
      if (name.equals(attributeNames[i])) {
        attributeValues[i] = o;
        return;
      }
      if (free < 0 && attributeNames[i] == null) {
        free = i;
      }
    }
    if (free < 0) {
      throw new IllegalStateException("more than " + ATTRIBUTE_SLOTS + " attributes");
    }
    attributeNames[free] = name;
    attributeValues[free] = o;
  }

  @Override
  public void removeAttribute(String name) {
    for (int i = 0; i < ATTRIBUTE_SLOTS; i++) {
      if (name.equals(attributeNames[i])) {
        attributeNames[i] = null;
        attributeValues[i] = null;
      }
    }
  }

  @Override
  public Enumeration<String> getAttributeNames() {
    return Collections.emptyEnumeration(); // no contender lists attributes
  }

  // ------------------------------------------------------------------ connection and URL

  @Override
  public String getRemoteAddr() {
    return remoteAddr;
  }

  @Override
  public String getRemoteHost() {
    return remoteAddr;
  }

  @Override
  public int getRemotePort() {
    return remotePort;
  }

  @Override
  public String getLocalName() {
    return "localhost";
  }

  @Override
  public String getLocalAddr() {
    return "127.0.0.1";
  }

  @Override
  public int getLocalPort() {
    return 8080;
  }

  @Override
  public String getScheme() {
    return "http";
  }

  @Override
  public String getServerName() {
    return "app.example";
  }

  @Override
  public int getServerPort() {
    return 8080;
  }

  @Override
  public boolean isSecure() {
    return false;
  }

  @Override
  public String getProtocol() {
    return "HTTP/1.1";
  }

  @Override
  public String getMethod() {
    return "GET";
  }

  @Override
  public String getRequestURI() {
    return "/hello";
  }

  @Override
  public StringBuffer getRequestURL() {
    return new StringBuffer(32).append("http://app.example:8080/hello");
  }

  @Override
  public String getContextPath() {
    return "";
  }

  @Override
  public String getServletPath() {
    return "/hello";
  }

  @Override
  public String getPathInfo() {
    return null;
  }

  @Override
  public String getPathTranslated() {
    return null;
  }

  @Override
  public String getQueryString() {
    return null;
  }

  @Override
  public DispatcherType getDispatcherType() {
    return DispatcherType.REQUEST;
  }

  @Override
  public boolean isAsyncStarted() {
    return false;
  }

  @Override
  public boolean isAsyncSupported() {
    return false;
  }

  @Override
  public AsyncContext getAsyncContext() {
    throw new IllegalStateException("not async");
  }

  @Override
  public AsyncContext startAsync() {
    throw new IllegalStateException("not async");
  }

  @Override
  public AsyncContext startAsync(ServletRequest request, ServletResponse response) {
    throw new IllegalStateException("not async");
  }

  // ------------------------------------------------------------------ body, session, the rest

  @Override
  public String getCharacterEncoding() {
    return null;
  }

  @Override
  public void setCharacterEncoding(String env) {}

  @Override
  public int getContentLength() {
    return -1;
  }

  @Override
  public long getContentLengthLong() {
    return -1;
  }

  @Override
  public String getContentType() {
    return null;
  }

  @Override
  public ServletInputStream getInputStream() {
    throw new UnsupportedOperationException("no body in benchmarks");
  }

  @Override
  public BufferedReader getReader() {
    throw new UnsupportedOperationException("no body in benchmarks");
  }

  @Override
  public String getParameter(String name) {
    return null;
  }

  @Override
  public Enumeration<String> getParameterNames() {
    return Collections.emptyEnumeration();
  }

  @Override
  public String[] getParameterValues(String name) {
    return null;
  }

  @Override
  public Map<String, String[]> getParameterMap() {
    return Collections.emptyMap();
  }

  @Override
  public Locale getLocale() {
    return Locale.ROOT;
  }

  @Override
  public Enumeration<Locale> getLocales() {
    return Collections.emptyEnumeration();
  }

  @Override
  public RequestDispatcher getRequestDispatcher(String path) {
    return null;
  }

  @Override
  public ServletContext getServletContext() {
    return null;
  }

  @Override
  public String getRequestId() {
    return "1";
  }

  @Override
  public String getProtocolRequestId() {
    return "";
  }

  @Override
  public ServletConnection getServletConnection() {
    return null;
  }

  @Override
  public String getAuthType() {
    return null;
  }

  @Override
  public Cookie[] getCookies() {
    return null;
  }

  @Override
  public String getRemoteUser() {
    return null;
  }

  @Override
  public boolean isUserInRole(String role) {
    return false;
  }

  @Override
  public Principal getUserPrincipal() {
    return null;
  }

  @Override
  public String getRequestedSessionId() {
    return null;
  }

  @Override
  public HttpSession getSession(boolean create) {
    return null;
  }

  @Override
  public HttpSession getSession() {
    return null;
  }

  @Override
  public String changeSessionId() {
    throw new IllegalStateException("no session");
  }

  @Override
  public boolean isRequestedSessionIdValid() {
    return false;
  }

  @Override
  public boolean isRequestedSessionIdFromCookie() {
    return false;
  }

  @Override
  public boolean isRequestedSessionIdFromURL() {
    return false;
  }

  @Override
  public boolean authenticate(HttpServletResponse response) {
    return false;
  }

  @Override
  public void login(String username, String password) {
    throw new UnsupportedOperationException();
  }

  @Override
  public void logout() {}

  @Override
  public Collection<Part> getParts() {
    return Collections.emptyList();
  }

  @Override
  public Part getPart(String name) {
    return null;
  }

  @Override
  public <T extends HttpUpgradeHandler> T upgrade(Class<T> handlerClass) {
    throw new UnsupportedOperationException();
  }
}

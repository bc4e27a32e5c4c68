package dev.trustproxy.tomcat;

import jakarta.servlet.ServletException;
import java.io.IOException;
import org.apache.catalina.connector.Request;
import org.apache.catalina.connector.Response;
import org.apache.catalina.valves.ValveBase;

/**
 * Test scaffolding, never for production: makes the connection look as if it came from the peer
 * named by the request header {@value #PEER} (and over TLS with {@value #TLS}{@code : true}), so
 * one loopback socket can play any peer of a conformance vector. Placed before the valve under
 * test; it sets what a connector sets (remote address, scheme, secure flag, the scheme's default
 * port when the Host line has none), and puts the connection's values back afterwards.
 */
final class TestPeerValve extends ValveBase {

  static final String PEER = "x-test-peer";
  static final String TLS = "x-test-tls";

  TestPeerValve() {
    super(true);
  }

  @Override
  public void invoke(Request request, Response response) throws IOException, ServletException {
    String peer = request.getHeader(PEER);
    if (peer == null) {
      getNext().invoke(request, response);
      return;
    }
    String addr = request.getRemoteAddr();
    String scheme = request.getScheme();
    boolean secure = request.isSecure();
    int port = request.getServerPort();
    request.setRemoteAddr(peer);
    request.setRemoteHost(peer);
    if ("true".equals(request.getHeader(TLS))) {
      request.getCoyoteRequest().scheme().setString("https");
      request.setSecure(true);
      String host = request.getHeader("host");
      if (host == null || !host.matches(".*:[0-9]+$")) {
        request.setServerPort(443);
      }
    }
    try {
      getNext().invoke(request, response);
    } finally {
      request.setRemoteAddr(addr);
      request.setRemoteHost(null);
      request.getCoyoteRequest().scheme().setString(scheme);
      request.setSecure(secure);
      request.setServerPort(port);
    }
  }
}

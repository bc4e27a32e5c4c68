package dev.trustproxy.tomcat;

import jakarta.servlet.ServletException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.catalina.connector.Request;
import org.apache.catalina.connector.Response;
import org.apache.catalina.valves.ValveBase;

/**
 * Scaffolding of the valve's conformance runs over HTTP (this module's, and trustproxy-tomcat9's
 * on Tomcat 9): runs the valve started for the vector that the request header {@value #HEADER}
 * names, and writes a vector's request.
 */
final class VectorValve extends ValveBase {

  static final String HEADER = "x-vector";

  private final Map<String, TrustProxyValve> valves = new ConcurrentHashMap<>();

  VectorValve() {
    super(true);
  }

  /** A valve with this trust setting, in this valve's place: its container, its next valve. */
  TrustProxyValve newValve(String trustProxy) {
    TrustProxyValve valve = new TrustProxyValve();
    valve.setTrustProxy(trustProxy);
    valve.setContainer(getContainer());
    valve.setNext(getNext());
    return valve;
  }

  /** Runs {@code valve} for the requests whose {@value #HEADER} header is {@code key}. */
  void put(String key, TrustProxyValve valve) {
    valves.put(key, valve);
  }

  void remove(String key) {
    valves.remove(key);
  }

  @Override
  public void invoke(Request request, Response response) throws IOException, ServletException {
    TrustProxyValve valve = valves.get(String.valueOf(request.getHeader(HEADER)));
    if (valve == null) {
      getNext().invoke(request, response);
    } else {
      valve.invoke(request, response);
    }
  }

  /**
   * Two different Host values: RFC 9110 §7.2 makes that a 400, which Tomcat sends itself before
   * any valve runs.
   */
  @SuppressWarnings("unchecked")
  static boolean refusedByTomcat(Map<String, Object> vector) {
    return ((List<List<String>>) (List<?>) vector.get("headers")).stream()
        .filter(h -> h.get(0).equalsIgnoreCase("host")).count() > 1;
  }

  /** The vector's header lines, plus the scaffolding's peer, TLS and vector-key lines. */
  @SuppressWarnings("unchecked")
  static byte[] request(Map<String, Object> vector, String key) {
    List<List<String>> headers = (List<List<String>>) (List<?>) vector.get("headers");
    boolean hasHost = headers.stream().anyMatch(h -> h.get(0).equalsIgnoreCase("host"));
    StringBuilder http = new StringBuilder(hasHost ? "GET /path HTTP/1.1\r\n" : "GET /path HTTP/1.0\r\n");
    for (List<String> h : headers) {
      http.append(h.get(0)).append(": ").append(h.get(1)).append("\r\n");
    }
    http.append(TestPeerValve.PEER).append(": ").append(vector.get("peer")).append("\r\n");
    if (Boolean.TRUE.equals(vector.get("tls"))) {
      http.append(TestPeerValve.TLS).append(": true\r\n");
    }
    http.append(HEADER).append(": ").append(key).append("\r\nConnection: close\r\n\r\n");
    return http.toString().getBytes(StandardCharsets.ISO_8859_1);
  }
}

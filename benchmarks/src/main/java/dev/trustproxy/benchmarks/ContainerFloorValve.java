package dev.trustproxy.benchmarks;

import jakarta.servlet.ServletException;
import java.io.IOException;
import org.apache.catalina.AccessLog;
import org.apache.catalina.Globals;
import org.apache.catalina.connector.Request;
import org.apache.catalina.connector.Response;
import org.apache.catalina.valves.ValveBase;
import org.apache.tomcat.util.http.MimeHeaders;

/**
 * The least any trust-proxy valve does on Tomcat for the benchmark's request, with the answer
 * already known: no parsing, no walk, no decision. It reads what both valves read (the peer, the
 * forwarding headers), sets what both set (the address, the host, the access-log and status
 * attributes), calls the next valve and restores the request. Not a contender: a valve cannot be
 * faster than this, so RemoteIpValve's time over this one's is the most any valve can gain.
 */
final class ContainerFloorValve extends ValveBase {

  private final String client;
  private final Object resolution = new Object();

  ContainerFloorValve(String client) {
    this.client = client;
  }

  @Override
  public void invoke(Request request, Response response) throws IOException, ServletException {
    org.apache.coyote.Request coyote = request.getCoyoteRequest();
    if (coyote.getAttribute("floor.applied") != null) {
      getNext().invoke(request, response);
      return;
    }
    String peer = request.getRemoteAddr();
    MimeHeaders mime = coyote.getMimeHeaders();
    // The header values, as strings: what a walk over them needs first.
    int xff = mime.findHeader("X-Forwarded-For", 0);
    String header = xff < 0 ? null : mime.getValue(xff).toString();
    String proto = mime.getHeader("X-Forwarded-Proto");
    String host = mime.getHeader("X-Forwarded-Host");
    String port = mime.getHeader("X-Forwarded-Port");
    if (peer == null || header == null && proto == null && host == null && port == null) {
      throw new IllegalStateException("the benchmark's request has no forwarding header");
    }
    coyote.setAttribute("floor.resolution", resolution);
    request.setRemoteAddr(client);
    request.setRemoteHost(client);
    coyote.setAttribute(AccessLog.REMOTE_ADDR_ATTRIBUTE, client);
    coyote.setAttribute(AccessLog.REMOTE_HOST_ATTRIBUTE, client);
    coyote.setAttribute(Globals.REMOTE_ADDR_ATTRIBUTE, client);
    coyote.setAttribute(Globals.REQUEST_FORWARDED_ATTRIBUTE, Boolean.TRUE);
    coyote.setAttribute("floor.applied", Boolean.TRUE);
    try {
      getNext().invoke(request, response);
    } finally {
      coyote.getAttributes().remove("floor.applied");
      request.setRemoteAddr(peer);
      request.setRemoteHost(null);
    }
  }
}

package dev.trustproxy.tomcat;

import dev.trustproxy.proxyprotocol.ProxyHeader;
import jakarta.servlet.ServletConnection;
import org.apache.coyote.Adapter;
import org.apache.coyote.Request;
import org.apache.coyote.Response;
import org.apache.tomcat.util.net.SocketEvent;

/**
 * Sits in front of Tomcat's own adapter (which turns protocol requests into servlet requests) and
 * puts the connection's {@link ProxyHeader} on every request as {@link ProxyHeader#ATTRIBUTE},
 * before any valve or servlet runs. With {@code sslTlvMarksSecure} a header whose SSL TLV says the
 * client used TLS makes the request {@code https}, which Tomcat then reports as secure.
 */
final class ProxyHeaderAdapter implements Adapter {

  private final Adapter next;
  private final boolean sslTlvMarksSecure;

  ProxyHeaderAdapter(Adapter next, boolean sslTlvMarksSecure) {
    this.next = next;
    this.sslTlvMarksSecure = sslTlvMarksSecure;
  }

  Adapter next() {
    return next;
  }

  @Override
  public void service(Request req, Response res) throws Exception {
    expose(req);
    next.service(req, res);
  }

  @Override
  public boolean prepare(Request req, Response res) throws Exception {
    expose(req);
    return next.prepare(req, res);
  }

  @Override
  public boolean asyncDispatch(Request req, Response res, SocketEvent status) throws Exception {
    return next.asyncDispatch(req, res, status);
  }

  @Override
  public void log(Request req, Response res, long time) {
    next.log(req, res, time);
  }

  @Override
  public void checkRecycled(Request req, Response res) {
    next.checkRecycled(req, res);
  }

  @Override
  public String getDomain() {
    return next.getDomain();
  }

  private void expose(Request req) {
    ServletConnection connection = req.getServletConnection();
    if (!(connection instanceof ProxyServletConnection withHeader)) {
      return;
    }
    ProxyHeader header = withHeader.header();
    req.setAttribute(ProxyHeader.ATTRIBUTE, header);
    if (sslTlvMarksSecure && header.ssl().filter(ProxyHeader.Ssl::clientSsl).isPresent()) {
      req.scheme().setString("https");
    }
  }
}

package dev.trustproxy.jetty;

import dev.trustproxy.proxyprotocol.ProxyHeader;
import java.util.Optional;
import org.eclipse.jetty.io.Content;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;

/** Answers with what the request believes about its connection, one {@code key=value} a line. */
final class EchoHandler extends Handler.Abstract {

  @Override
  public boolean handle(Request request, Response response, Callback callback) {
    Object attribute = request.getAttribute(ProxyHeader.ATTRIBUTE);
    String header = attribute instanceof ProxyHeader h ? "v" + h.version() + " " + h.command() : "none";
    String authority =
        attribute instanceof ProxyHeader h ? h.authority().orElse("-") : "-";
    String body =
        "remote=" + Request.getRemoteAddr(request) + ":" + Request.getRemotePort(request) + "\n"
            + "local=" + Request.getLocalAddr(request) + ":" + Request.getLocalPort(request) + "\n"
            + "secure=" + request.isSecure() + "\n"
            + "scheme=" + request.getHttpURI().getScheme() + "\n"
            + "protocol=" + request.getConnectionMetaData().getProtocol() + "\n"
            + "header=" + header + "\n"
            + "authority=" + authority + "\n"
            + "path=" + Optional.ofNullable(request.getHttpURI().getPath()).orElse("") + "\n";
    response.getHeaders().put("Content-Type", "text/plain; charset=utf-8");
    Content.Sink.write(response, true, body, callback);
    return true;
  }
}

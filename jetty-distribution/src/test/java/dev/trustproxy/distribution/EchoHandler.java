package dev.trustproxy.distribution;

import dev.trustproxy.Resolution;
import org.eclipse.jetty.io.Content;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;

/**
 * Installed into the booted jetty-home by {@link JettyHomeIT}: answers with what the request
 * believes about its client, one {@code key=value} a line.
 */
public final class EchoHandler extends Handler.Abstract {

  @Override
  public boolean handle(Request request, Response response, Callback callback) {
    Object r = request.getAttribute("dev.trustproxy.Resolution");
    String body = "remote=" + Request.getRemoteAddr(request) + "\n"
        + "scheme=" + request.getHttpURI().getScheme() + "\n"
        + "secure=" + request.isSecure() + "\n"
        + "server=" + Request.getServerName(request) + ":" + Request.getServerPort(request) + "\n"
        + "headerIgnored=" + (r instanceof Resolution res && res.headerIgnored()) + "\n"
        + "resolution=" + r + "\n";
    response.getHeaders().put("Content-Type", "text/plain; charset=utf-8");
    Content.Sink.write(response, true, body, callback);
    return true;
  }
}

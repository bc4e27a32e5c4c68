package dev.trustproxy.jetty;

import dev.trustproxy.ClientMdc;
import dev.trustproxy.Resolution;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;

/**
 * Puts the client's address into the SLF4J MDC while the wrapped handler runs, and puts back
 * what the key held before (README D94, D96). The client is the {@link Resolution} that {@link
 * TrustProxyCustomizer} stored on the request; a request without one is passed on unchanged.
 *
 * <p>A customizer runs before the handlers and has no hook after them, so the MDC needs this
 * wrapper: make it the server's handler (or wrap the part of the tree that logs).
 *
 * <pre>{@code
 * server.setHandler(new ClientMdcHandler("client.address", contexts));
 * }</pre>
 *
 * <p>It covers the {@code handle} call on the thread that runs it: a core handler's own code, a
 * servlet's REQUEST dispatch, and an ASYNC dispatch the servlet asks for before that returns
 * (Jetty runs it in the same call). Work that runs after {@code handle} returned (a callback
 * completed later, an ASYNC dispatch asked for from another thread) does not see it; servlet
 * applications that need the key there use the filter with {@code mdc-key} instead of the
 * customizer. Thread-safe once configured.
 */
public final class ClientMdcHandler extends Handler.Wrapper {

  private volatile String key;

  /** No key (off) until {@link #setMdcKey(String)}; for Jetty XML. */
  public ClientMdcHandler() {}

  /**
   * Configured in code.
   *
   * @param mdcKey the MDC key, for example {@code client.address}; null or blank: off
   * @param handler the handler to wrap
   */
  public ClientMdcHandler(String mdcKey, Handler handler) {
    super(handler);
    this.key = ClientMdc.key(mdcKey);
  }

  /**
   * The MDC key.
   *
   * @param mdcKey for example {@code client.address}; null or blank: off
   */
  public void setMdcKey(String mdcKey) {
    this.key = ClientMdc.key(mdcKey);
  }

  /**
   * The MDC key in use.
   *
   * @return the key, or null when off
   */
  public String getMdcKey() {
    return key;
  }

  @Override
  public boolean handle(Request request, Response response, Callback callback) throws Exception {
    String k = key;
    if (k == null || !(request.getAttribute(Resolution.ATTRIBUTE) instanceof Resolution r)) {
      return super.handle(request, response, callback);
    }
    try (ClientMdc mdc = ClientMdc.put(k, r.client().toString())) {
      return super.handle(request, response, callback);
    }
  }
}

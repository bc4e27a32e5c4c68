package dev.trustproxy.jetty;

import dev.trustproxy.ClientMdc;
import dev.trustproxy.Resolution;
import java.util.ArrayDeque;
import org.eclipse.jetty.server.Context;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.server.handler.ContextHandler;
import org.eclipse.jetty.util.Callback;
import org.eclipse.jetty.util.component.Container.InheritedListener;

/**
 * Puts the client's address into the SLF4J MDC while the wrapped handlers run, and puts back
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
 * <p>It sets the key around its own {@code handle} call (a core handler's code), and, because a
 * servlet ASYNC dispatch asked for later runs outside {@code handle}, also on every entry into
 * the scope of a {@link ContextHandler} below it, also one deployed later: Jetty runs every
 * dispatch into a context (REQUEST, ASYNC from any thread, ERROR) inside that scope, on the
 * thread that runs it, and tells the context's {@link ContextHandler.ContextScopeListener}s.
 * Work outside a dispatch (a callback completed later, a thread the application starts) does not
 * see the key. Thread-safe once configured.
 */
public final class ClientMdcHandler extends Handler.Wrapper {

  private final ScopeListener scopeListener = new ScopeListener();
  private volatile String key;

  /** No key (off) until {@link #setMdcKey(String)}; for Jetty XML. */
  public ClientMdcHandler() {
    addEventListener(scopeListener);
  }

  /**
   * Configured in code.
   *
   * @param mdcKey the MDC key, for example {@code client.address}; null or blank: off
   * @param handler the handler to wrap
   */
  public ClientMdcHandler(String mdcKey, Handler handler) {
    super(handler);
    this.key = ClientMdc.key(mdcKey);
    addEventListener(scopeListener);
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
    try (ClientMdc mdc = put(request)) {
      return super.handle(request, response, callback);
    }
  }

  /** The key set from the request's {@link Resolution}; a no-op when off or without one. */
  private ClientMdc put(Request request) {
    String k = key;
    if (k == null || !(request.getAttribute(Resolution.ATTRIBUTE) instanceof Resolution r)) {
      return ClientMdc.put(null, null);
    }
    return ClientMdc.put(k, r.client().toString());
  }

  /**
   * Sets the key on entering a context's scope for a request and puts it back on leaving it.
   *
   * <p>As an {@link InheritedListener} Jetty adds it to every managed container below the handler
   * and tells it of each bean added there, now and later; a context gets it as its scope listener
   * here, since one added to a started collection (a deployer's) is not managed, so not reached
   * by inheritance. Scopes nest (a cross-context dispatch, a context inside a context), so each
   * thread keeps a stack of the open scopes; Jetty calls both sides with the same request on the
   * same thread, and with a null request (no request in scope, for example a context starting)
   * neither does anything.
   */
  private final class ScopeListener
      implements ContextHandler.ContextScopeListener, InheritedListener {

    private final ThreadLocal<ArrayDeque<ClientMdc>> open = ThreadLocal.withInitial(ArrayDeque::new);

    @Override
    public void beanAdded(org.eclipse.jetty.util.component.Container parent, Object child) {
      if (child instanceof ContextHandler context) {
        context.addEventListener(this);
      }
    }

    @Override
    public void beanRemoved(org.eclipse.jetty.util.component.Container parent, Object child) {
      if (child instanceof ContextHandler context) {
        context.removeEventListener(this);
      }
    }

    @Override
    public void enterScope(Context context, Request request) {
      if (request != null) {
        open.get().push(put(request));
      }
    }

    @Override
    public void exitScope(Context context, Request request) {
      if (request == null) {
        return;
      }
      ArrayDeque<ClientMdc> scopes = open.get();
      ClientMdc top = scopes.poll();
      if (top != null) {
        top.close();
      }
      if (scopes.isEmpty()) {
        open.remove();
      }
    }
  }
}

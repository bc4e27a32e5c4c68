package dev.trustproxy.containers;

import static org.assertj.core.api.Assertions.assertThat;

import dev.trustproxy.jetty.ClientMdcHandler;
import dev.trustproxy.jetty.TrustProxyCustomizer;
import dev.trustproxy.testsupport.RawClient;
import jakarta.servlet.AsyncContext;
import jakarta.servlet.DispatcherType;
import jakarta.servlet.ServletContextEvent;
import jakarta.servlet.ServletContextListener;
import jakarta.servlet.ServletRegistration;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.HttpConfiguration;
import org.eclipse.jetty.server.HttpConnectionFactory;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.server.handler.ContextHandler;
import org.eclipse.jetty.server.handler.ContextHandlerCollection;
import org.eclipse.jetty.util.Callback;
import org.eclipse.jetty.util.thread.QueuedThreadPool;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.slf4j.MDC;

/**
 * {@link ClientMdcHandler} over a servlet context of this module's environment (ee10, ee11) on
 * embedded Jetty 12, the client from {@link TrustProxyCustomizer} (README D94, D96). The servlet
 * sees the key on each dispatch: its REQUEST dispatch, an ERROR dispatch to an error page, an
 * ASYNC dispatch it asks for before it returns, and one asked for from another thread once
 * {@code handle} has returned (Jetty runs that on a pool thread in the context's scope, where the
 * wrapper's scope listener sets it), also in a context deployed into the tree after the server
 * started. Afterwards the request's thread, and the pool thread that ran the later dispatch, hold
 * no key.
 */
class JettyClientMdcTest {

  static final String KEY = "client.address";

  @ParameterizedTest(name = "{0}")
  @CsvSource(delimiter = '|', textBlock = """
      a servlet's REQUEST dispatch sees the client              | false | /sync  | REQUEST=203.0.113.7
      an ASYNC dispatch asked for during it sees the client     | false | /async | REQUEST=203.0.113.7;ASYNC=203.0.113.7
      an ASYNC dispatch asked for after handle returned, too    | false | /later | REQUEST=203.0.113.7;ASYNC=203.0.113.7
      an ERROR dispatch to an error page sees the client        | false | /error | ERROR=203.0.113.7
      a context deployed after start: REQUEST dispatch          | true  | /sync  | REQUEST=203.0.113.7
      a context deployed after start: later ASYNC dispatch      | true  | /later | REQUEST=203.0.113.7;ASYNC=203.0.113.7
      """)
  void aServletSeesTheKeyOnEveryDispatchAndNoThreadKeepsIt(String name, boolean deployLater,
      String path, String expected) throws Exception {
    CountDownLatch handleReturned = new CountDownLatch(1);
    AtomicReference<Thread> laterDispatch = new AtomicReference<>();
    CompletableFuture<String> afterLaterDispatch = new CompletableFuture<>();
    CompletableFuture<String> afterHandle = new CompletableFuture<>();
    HttpServlet servlet = new HttpServlet() {
      @Override
      protected void doGet(HttpServletRequest req, HttpServletResponse resp) throws IOException {
        if (req.getDispatcherType() == DispatcherType.REQUEST
            && req.getRequestURI().equals("/error")) {
          resp.sendError(500);
          return;
        }
        resp.getWriter().print(req.getDispatcherType() + "=" + MDC.get(KEY) + ";");
        resp.getWriter().flush();
        if (req.getDispatcherType() != DispatcherType.REQUEST) {
          if (req.getRequestURI().equals("/later")) {
            laterDispatch.set(Thread.currentThread());
          }
          return;
        }
        if (req.getRequestURI().equals("/async")) {
          req.startAsync().dispatch();
        } else if (req.getRequestURI().equals("/later")) {
          AsyncContext async = req.startAsync();
          new Thread(() -> {
            try {
              handleReturned.await();
            } catch (InterruptedException e) {
              Thread.currentThread().interrupt();
            }
            async.dispatch();
          }).start();
        }
      }
    };
    ContextHandler context = servletContext(servlet);
    ContextHandlerCollection contexts = new ContextHandlerCollection();
    if (!deployLater) {
      contexts.addHandler(context);
    }
    // Notes what the MDC holds once a pool task is over on the thread that ran the later dispatch.
    QueuedThreadPool pool = new QueuedThreadPool() {
      @Override
      public void execute(Runnable task) {
        super.execute(() -> {
          try {
            task.run();
          } finally {
            if (Thread.currentThread() == laterDispatch.get()) {
              afterLaterDispatch.complete(String.valueOf(MDC.get(KEY)));
            }
          }
        });
      }
    };
    Server server = new Server(pool);
    TrustProxyCustomizer customizer = new TrustProxyCustomizer();
    customizer.setTrustProxy("loopback");
    customizer.setForwardedHeader("x-real-ip");
    HttpConfiguration config = new HttpConfiguration();
    config.addCustomizer(customizer);
    ServerConnector connector = new ServerConnector(server, new HttpConnectionFactory(config));
    connector.setHost("127.0.0.1");
    connector.setPort(0);
    server.addConnector(connector);
    server.setHandler(new Handler.Wrapper(new ClientMdcHandler(KEY, contexts)) {
      @Override
      public boolean handle(Request request, Response response, Callback callback)
          throws Exception {
        try {
          return super.handle(request, response, callback);
        } finally {
          afterHandle.complete(String.valueOf(MDC.get(KEY)));
          handleReturned.countDown();
        }
      }
    });
    server.start();
    if (deployLater) {
      // As a deployer does: into the running tree, then started.
      contexts.addHandler(context);
      if (!context.isStarted()) {
        context.start();
      }
    }
    try (RawClient client = new RawClient(connector.getLocalPort())) {
      // HTTP/1.0: the body ends with the connection, not chunked.
      String request = "GET " + path + " HTTP/1.0\r\nHost: localhost\r\n"
          + "X-Real-IP: 203.0.113.7\r\n\r\n";
      String response = client.send(request.getBytes(StandardCharsets.ISO_8859_1))
          .readUntilClosed().response();
      String body = response.substring(response.indexOf("\r\n\r\n") + 4);
      assertThat(body.replaceAll(";$", "")).isEqualTo(expected);
      // The response can be complete before handle returns: wait for it (not a timed check).
      assertThat(afterHandle.get(30, TimeUnit.SECONDS)).isEqualTo("null");
      if (path.equals("/later")) {
        assertThat(afterLaterDispatch.get(30, TimeUnit.SECONDS)).isEqualTo("null");
      }
    } finally {
      server.stop();
    }
  }

  /**
   * The environment's {@code ServletContextHandler} by class name, with {@code servlet} on
   * {@code /*} (added through the Servlet API) and an error page for 500 at {@code /error-page}:
   * one source for both modules.
   */
  private static ContextHandler servletContext(HttpServlet servlet) throws Exception {
    String servletPackage = "org.eclipse.jetty." + JettyContainer.ENVIRONMENT + ".servlet.";
    ContextHandler context = (ContextHandler) Class.forName(servletPackage
        + "ServletContextHandler").getConstructor().newInstance();
    context.setContextPath("/");
    context.addEventListener(new ServletContextListener() {
      @Override
      public void contextInitialized(ServletContextEvent event) {
        ServletRegistration.Dynamic probe = event.getServletContext().addServlet("probe", servlet);
        probe.setAsyncSupported(true);
        probe.addMapping("/*");
      }
    });
    Object errorPages = Class.forName(servletPackage + "ErrorPageErrorHandler")
        .getConstructor().newInstance();
    errorPages.getClass().getMethod("addErrorPage", int.class, String.class)
        .invoke(errorPages, 500, "/error-page");
    context.setErrorHandler((Request.Handler) errorPages);
    return context;
  }
}

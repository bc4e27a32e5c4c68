package dev.trustproxy.jetty;

import static org.assertj.core.api.Assertions.assertThat;

import dev.trustproxy.IpAddress;
import dev.trustproxy.Resolution;
import dev.trustproxy.servlet.RawHttp;
import dev.trustproxy.testsupport.RawClient;
import jakarta.servlet.AsyncContext;
import jakarta.servlet.DispatcherType;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.eclipse.jetty.ee10.servlet.ErrorPageErrorHandler;
import org.eclipse.jetty.ee10.servlet.ServletContextHandler;
import org.eclipse.jetty.ee10.servlet.ServletHolder;
import org.eclipse.jetty.io.Content;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.HttpConfiguration;
import org.eclipse.jetty.server.HttpConnectionFactory;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.server.handler.ContextHandlerCollection;
import org.eclipse.jetty.util.Callback;
import org.eclipse.jetty.util.thread.QueuedThreadPool;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.slf4j.MDC;

/**
 * {@link TrustProxyCustomizer} with {@code forwardedHeader} naming a single-address header (README
 * D90-D93), and {@link ClientMdcHandler} (D94, D96), on a real Jetty server hit from 127.0.0.1
 * with exactly the field lines of each row ({@code ;;} separates lines).
 */
class TrustProxyCustomizerSingleHeaderTest {

  static final String KEY = "client.address";

  @ParameterizedTest(name = "{0}")
  @CsvSource(delimiter = '|', nullValues = "-", textBlock = """
      trusted peer, IPv4                 | loopback   | -          | X-Real-IP        | 203.0.113.7               | 203.0.113.7 | x-real-ip        | null
      trusted peer, IPv6 made canonical  | loopback   | -          | X-Real-IP        | 2001:DB8:0::7             | 2001:db8::7 | x-real-ip        | null
      IPv6 in brackets                   | loopback   | -          | X-Real-IP        | [2001:db8::7]             | 2001:db8::7 | x-real-ip        | null
      Fastly-Client-IP                   | loopback   | -          | Fastly-Client-IP | 198.51.100.4              | 198.51.100.4 | fastly-client-ip | null
      untrusted peer                     | 10.0.0.0/8 | -          | X-Real-IP        | 203.0.113.7               | 127.0.0.1   | null             | null
      hop count, peer outside the gate   | 1          | 10.0.0.0/8 | X-Real-IP        | 203.0.113.7               | 127.0.0.1   | null             | null
      two field lines                    | loopback   | -          | X-Real-IP        | 203.0.113.7;;203.0.113.8  | 127.0.0.1   | null             | SEVERAL_FIELD_LINES
      a list                             | loopback   | -          | X-Real-IP        | 203.0.113.7,203.0.113.8   | 127.0.0.1   | null             | LIST
      a port                             | loopback   | -          | X-Real-IP        | 203.0.113.7:4711          | 127.0.0.1   | null             | PORT
      an IPv6 port                       | loopback   | -          | X-Real-IP        | [2001:db8::7]:4711        | 127.0.0.1   | null             | PORT
      not an address                     | loopback   | -          | X-Real-IP        | client.example            | 127.0.0.1   | null             | NOT_AN_ADDRESS
      """)
  void singleAddressHeadersThroughTheCustomizer(String name, String trust, String peers,
      String header, String values, String remote, String clientHeader, String rejection)
      throws Exception {
    Map<String, String> echo = serve(customizer(trust, peers, header), null,
        lines(header, values) + "X-Forwarded-For: 192.0.2.66\r\n");
    // Jetty prints an IPv6 remote address long and in brackets; the address is the client's.
    String jettyRemote = echo.get("remote").replace("[", "").replace("]", "");
    assertThat(IpAddress.parse(jettyRemote)).hasToString(remote);
    assertThat(echo).containsEntry("client", remote)
        .containsEntry("clientHeader", clientHeader)
        .containsEntry("rejection", rejection);
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource(delimiter = '|', textBlock = """
      trusted peer: proto and host apply beside X-Real-IP | loopback   | https | shop.example
      untrusted peer: neither applies                     | 10.0.0.0/8 | http  | localhost
      """)
  void forwardedSchemeAndHostFollowThePeersTrust(String name, String trust, String scheme,
      String server) throws Exception {
    Map<String, String> echo = serve(customizer(trust, null, "x-real-ip"), null,
        "X-Real-IP: 203.0.113.7\r\nX-Forwarded-Proto: https\r\n"
            + "X-Forwarded-Host: shop.example\r\n");
    assertThat(echo).containsEntry("scheme", scheme).containsEntry("server", server);
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource(delimiter = '|', nullValues = "-", textBlock = """
      in the handler, gone after                | client.address | -     | 203.0.113.7 | null
      an outer value is put back                | client.address | outer | 203.0.113.7 | outer
      the peer when the header is not believed  | client.address | -     | 127.0.0.1   | null
      off without a key                         | ' '            | -     | null        | null
      """)
  void theClientIsInTheMdcWhileTheWrappedHandlerRuns(String name, String key, String preset,
      String inside, String after) throws Exception {
    String value = inside != null && inside.equals("127.0.0.1") ? "unknown" : "203.0.113.7";
    Map<String, String> echo = serve(customizer("loopback", null, "x-real-ip"), key,
        "X-Real-IP: " + value + "\r\n" + (preset == null ? "" : "X-Preset: " + preset + "\r\n"));
    assertThat(echo).containsEntry("mdc", inside).containsEntry("after", after);
  }

  /**
   * An ee10 servlet behind the wrapper sees the key on each dispatch: its REQUEST dispatch, an
   * ERROR dispatch to an error page, an ASYNC dispatch it asks for before it returns, and one asked for from another thread once
   * {@code handle} has returned (Jetty runs that on a pool thread in the context's scope, where
   * the wrapper's scope listener sets it, README D96), also in a context deployed into the tree
   * after the server started. Afterwards the request's thread, and the
   * pool thread that ran the later dispatch, hold no key.
   */
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
    ServletContextHandler context = new ServletContextHandler();
    context.addServlet(new ServletHolder(new HttpServlet() {
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
    }), "/*");
    ErrorPageErrorHandler errorPages = new ErrorPageErrorHandler();
    errorPages.addErrorPage(500, "/error-page");
    context.setErrorHandler(errorPages);
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
    ContextHandlerCollection contexts = new ContextHandlerCollection();
    if (!deployLater) {
      contexts.addHandler(context);
    }
    Server server = start(new Server(pool), customizer("loopback", null, "x-real-ip"),
        new Handler.Wrapper(new ClientMdcHandler(KEY, contexts)) {
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
    if (deployLater) {
      // As a deployer does: into the running tree, then started.
      contexts.addHandler(context);
      if (!context.isStarted()) {
        context.start();
      }
    }
    try (RawClient client = new RawClient(port(server))) {
      String request = "GET " + path + " HTTP/1.1\r\nHost: localhost\r\n"
          + "X-Real-IP: 203.0.113.7\r\nConnection: close\r\n\r\n";
      String response = client.send(request.getBytes(StandardCharsets.ISO_8859_1))
          .readUntilClosed().response();
      String body = response.substring(response.indexOf("\r\n\r\n") + 4);
      if (response.toLowerCase(java.util.Locale.ROOT).contains("transfer-encoding: chunked")) {
        body = RawHttp.dechunk(body);
      }
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

  /** A started server on 127.0.0.1, port 0, with {@code c} on its connector. */
  private static Server start(TrustProxyCustomizer c, Handler handler) throws Exception {
    return start(new Server(), c, handler);
  }

  /** {@code server} started on 127.0.0.1, port 0, with {@code c} on its connector. */
  private static Server start(Server server, TrustProxyCustomizer c, Handler handler)
      throws Exception {
    HttpConfiguration config = new HttpConfiguration();
    config.addCustomizer(c);
    ServerConnector connector = new ServerConnector(server, new HttpConnectionFactory(config));
    connector.setHost("127.0.0.1");
    connector.setPort(0);
    server.addConnector(connector);
    server.setHandler(handler);
    server.start();
    return server;
  }

  private static int port(Server server) {
    return ((ServerConnector) server.getConnectors()[0]).getLocalPort();
  }

  private static TrustProxyCustomizer customizer(String trust, String peers, String header) {
    TrustProxyCustomizer c = new TrustProxyCustomizer();
    c.setTrustProxy(trust);
    c.setTrustedPeers(peers);
    c.setForwardedHeader(header);
    return c;
  }

  private static String lines(String header, String values) {
    StringBuilder sb = new StringBuilder();
    for (String value : values.split(";;", -1)) {
      sb.append(header).append(": ").append(value).append("\r\n");
    }
    return sb.toString();
  }

  /**
   * One request from 127.0.0.1 with {@code headers}: an outer handler (presets the MDC from
   * {@code X-Preset}, and answers after the rest returned, with what the MDC then holds), the
   * {@link ClientMdcHandler} with {@code mdcKey} (none when null), and an inner handler that
   * notes what it sees.
   */
  private static Map<String, String> serve(TrustProxyCustomizer c, String mdcKey, String headers)
      throws Exception {
    Handler inner = new Handler.Abstract() {
      @Override
      public boolean handle(Request request, Response response, Callback callback) {
        Resolution r = (Resolution) request.getAttribute(Resolution.ATTRIBUTE);
        request.setAttribute("echo", "remote=" + Request.getRemoteAddr(request) + "\n"
            + "scheme=" + request.getHttpURI().getScheme() + "\n"
            + "server=" + Request.getServerName(request) + "\n"
            + "client=" + r.client() + "\n"
            + "clientHeader=" + r.clientHeader() + "\n"
            + "rejection=" + r.rejection() + "\n"
            + "mdc=" + MDC.get(KEY) + "\n");
        return true;
      }
    };
    Handler mdc = mdcKey == null ? inner : new ClientMdcHandler(mdcKey, inner);
    Server server = start(c, new Handler.Wrapper(mdc) {
      @Override
      public boolean handle(Request request, Response response, Callback callback)
          throws Exception {
        String preset = request.getHeaders().get("X-Preset");
        if (preset != null) {
          MDC.put(KEY, preset);
        }
        try {
          super.handle(request, response, callback);
          String body = request.getAttribute("echo") + "after=" + MDC.get(KEY) + "\n";
          Content.Sink.write(response, true, body, callback);
          return true;
        } finally {
          MDC.remove(KEY);
        }
      }
    });
    try (RawClient client = new RawClient(port(server))) {
      String request = "GET / HTTP/1.1\r\nHost: localhost\r\n" + headers
          + "Connection: close\r\n\r\n";
      return client.send(request.getBytes(StandardCharsets.ISO_8859_1)).readUntilClosed().echo();
    } finally {
      server.stop();
    }
  }
}

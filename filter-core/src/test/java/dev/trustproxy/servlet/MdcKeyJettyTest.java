package dev.trustproxy.servlet;

import static org.assertj.core.api.Assertions.assertThat;

import dev.trustproxy.servlet.EmbeddedJetty.HttpResult;
import jakarta.servlet.DispatcherType;
import jakarta.servlet.Filter;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.ServletRequest;
import jakarta.servlet.ServletResponse;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import org.eclipse.jetty.ee10.servlet.FilterHolder;
import org.eclipse.jetty.ee10.servlet.ServletContextHandler;
import org.eclipse.jetty.ee10.servlet.ServletHolder;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.handler.ContextHandlerCollection;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.slf4j.MDC;

/**
 * The {@code mdc-key} init-param (README D94) in real Jetty 12 ee10: the client is in the MDC
 * inside the servlet on every dispatch (REQUEST, and ASYNC after {@code startAsync()}), and once
 * the filter returns the key is gone, or holds again what an outer filter had put there. {@link
 * Outer} runs before the filter on every dispatch and writes what it sees after it into the body
 * (no Content-Length, so the response ends only when the last dispatch does).
 */
class MdcKeyJettyTest {

  static final String KEY = "client.address";

  private static Server server;
  private static int port;

  @BeforeAll
  static void startServer() throws Exception {
    ContextHandlerCollection contexts = new ContextHandlerCollection();
    contexts.addHandler(context("/mdc", KEY));
    contexts.addHandler(context("/off", ""));
    server = EmbeddedJetty.start(contexts);
    port = EmbeddedJetty.port(server);
  }

  @AfterAll
  static void stopServer() throws Exception {
    EmbeddedJetty.stop(server);
  }

  static ServletContextHandler context(String path, String mdcKey) {
    ServletContextHandler context = new ServletContextHandler();
    context.setContextPath(path);
    EnumSet<DispatcherType> all = EnumSet.allOf(DispatcherType.class);
    context.addFilter(new FilterHolder(new Outer()), "/*", all);
    FilterHolder holder = new FilterHolder(TrustProxyFilter.class);
    holder.setInitParameter("trust-proxy", "loopback");
    holder.setInitParameter("forwarded-header", "x-real-ip");
    holder.setInitParameter("mdc-key", mdcKey);
    holder.setInitParameter("jmx", "false");
    context.addFilter(holder, "/*", all);
    context.addServlet(new ServletHolder(new MdcServlet()), "/sync");
    context.addServlet(new ServletHolder(new MdcServlet()), "/async");
    return context;
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource(delimiter = '|', nullValues = "-", textBlock = """
      sync: inside the servlet, gone after      | /mdc/sync  | -     | inside.REQUEST=203.0.113.7;after.REQUEST=null
      sync: a value from before is put back     | /mdc/sync  | outer | inside.REQUEST=203.0.113.7;after.REQUEST=outer
      async: set again on the ASYNC dispatch    | /mdc/async | -     | inside.REQUEST=203.0.113.7;after.REQUEST=null;inside.ASYNC=203.0.113.7;after.ASYNC=null
      async: put back after each dispatch       | /mdc/async | outer | inside.REQUEST=203.0.113.7;after.REQUEST=outer;inside.ASYNC=203.0.113.7;after.ASYNC=outer
      an empty mdc-key is off                   | /off/sync  | -     | inside.REQUEST=null;after.REQUEST=null
      """)
  void theClientIsInTheMdcForEachDispatch(String name, String path, String preset,
      String expected) throws Exception {
    List<String[]> headers = preset == null
        ? List.<String[]>of(new String[] {"X-Real-IP", "203.0.113.7"})
        : List.of(new String[] {"X-Real-IP", "203.0.113.7"}, new String[] {"X-Preset", preset});
    HttpResult result = EmbeddedJetty.get(port, path, headers);
    assertThat(result.status()).as(result.head()).isEqualTo(200);
    assertThat(String.join(";", result.body().strip().split("\n"))).isEqualTo(expected);
  }

  /** Writes the MDC value it sees; {@code /async} first starts async and dispatches to itself. */
  public static final class MdcServlet extends HttpServlet {
    private static final long serialVersionUID = 1L;

    @Override
    protected void doGet(HttpServletRequest request, HttpServletResponse response)
        throws IOException {
      response.setContentType("text/plain;charset=utf-8");
      response.getWriter().println("inside." + request.getDispatcherType() + "=" + MDC.get(KEY));
      response.getWriter().flush();
      if (request.getServletPath().equals("/async")
          && request.getDispatcherType() == DispatcherType.REQUEST) {
        request.startAsync().dispatch();
      }
    }
  }

  /**
   * Before the trustproxy filter: puts the request's {@code X-Preset} into the MDC, and after the
   * chain writes the MDC value it sees again, then clears its own.
   */
  static final class Outer implements Filter {
    @Override
    public void doFilter(ServletRequest request, ServletResponse response, FilterChain chain)
        throws IOException, ServletException {
      String preset = ((HttpServletRequest) request).getHeader("X-Preset");
      if (preset != null) {
        MDC.put(KEY, preset);
      }
      try {
        chain.doFilter(request, response);
        response.getWriter().println("after." + request.getDispatcherType() + "="
            + MDC.get(KEY));
        response.getWriter().flush();
      } finally {
        MDC.remove(KEY);
      }
    }
  }
}

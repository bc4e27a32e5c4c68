package dev.trustproxy.recipes.ee11;

import static org.assertj.core.api.Assertions.assertThat;

import dev.trustproxy.ClientResolver;
import dev.trustproxy.TrustPolicy;
import dev.trustproxy.servlet.TrustProxyFilter;
import jakarta.servlet.DispatcherType;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.InetAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.EnumSet;
import java.util.function.Consumer;
import org.eclipse.jetty.ee11.servlet.FilterHolder;
import org.eclipse.jetty.ee11.servlet.ServletContextHandler;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.junit.jupiter.api.Test;

/** The Jetty 12 ee11 (Servlet 6.1) recipe: the filter in code, and with init-params. */
class JettyEe11RecipeTest {

  @Test
  void theFilterConfiguredInCodeDecidesTheClient() throws Exception {
    String response = serve(context -> context.addFilter(new FilterHolder(new TrustProxyFilter(
            ClientResolver.of(TrustPolicy.parse("trust-proxy", "loopback")))),
        "/*", EnumSet.allOf(DispatcherType.class)));
    assertThat(response).contains("remote=203.0.113.9\n", "scheme=https\n",
        "servlet=6.1", "resolution=Resolution[");
  }

  @Test
  void theFilterConfiguredWithInitParamsDecidesTheClient() throws Exception {
    String response = serve(context -> {
      FilterHolder holder = new FilterHolder(TrustProxyFilter.class);
      holder.setName("trustproxy");
      holder.setInitParameter("trust-proxy", "10.0.0.0/8"); // loopback is not trusted here
      context.addFilter(holder, "/*", EnumSet.allOf(DispatcherType.class));
    });
    assertThat(response).contains("remote=127.0.0.1\n", "scheme=http\n", "headerIgnored");
  }

  private static String serve(Consumer<ServletContextHandler> filter) throws Exception {
    Server server = new Server();
    ServerConnector connector = new ServerConnector(server);
    connector.setHost("127.0.0.1");
    connector.setPort(0);
    server.addConnector(connector);
    ServletContextHandler context = new ServletContextHandler();
    filter.accept(context);
    context.addServlet(WhoServlet.class, "/who");
    server.setHandler(context);
    server.start();
    try (Socket socket = new Socket(InetAddress.getLoopbackAddress(), connector.getLocalPort())) {
      socket.setSoTimeout(15_000);
      socket.getOutputStream().write(("GET /who HTTP/1.1\r\nHost: app.example\r\n"
          + "X-Forwarded-For: 203.0.113.9\r\nX-Forwarded-Proto: https\r\n"
          + "Connection: close\r\n\r\n").getBytes(StandardCharsets.ISO_8859_1));
      ByteArrayOutputStream out = new ByteArrayOutputStream();
      socket.getInputStream().transferTo(out);
      return out.toString(StandardCharsets.ISO_8859_1);
    } finally {
      server.stop();
    }
  }

  /** What the application sees. */
  public static final class WhoServlet extends HttpServlet {
    @Override
    protected void doGet(HttpServletRequest req, HttpServletResponse resp) throws IOException {
      resp.setContentType("text/plain");
      resp.getWriter().write("remote=" + req.getRemoteAddr() + "\n"
          + "scheme=" + req.getScheme() + "\n"
          + "servlet=" + req.getServletContext().getMajorVersion() + "."
          + req.getServletContext().getMinorVersion() + "\n"
          + "resolution=" + req.getAttribute(TrustProxyFilter.RESOLUTION_ATTRIBUTE) + "\n");
    }
  }
}

package dev.trustproxy.recipes.tomcat;

import static org.assertj.core.api.Assertions.assertThat;

import dev.trustproxy.servlet.TrustProxyFilter;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.ByteArrayOutputStream;
import java.io.File;
import java.io.IOException;
import java.net.InetAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.apache.catalina.Context;
import org.apache.catalina.startup.Tomcat;
import org.apache.catalina.valves.RemoteIpValve;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * The standalone Tomcat recipe: the recipe's own {@code WEB-INF/web.xml} deployed in embedded
 * Tomcat 11 on 127.0.0.1, and why {@code RemoteIpValve} must go.
 */
class TomcatRecipeTest {

  private static final Path WEBAPP = Path.of("src/main/webapp");

  @ParameterizedTest(name = "{0}")
  @CsvSource(delimiter = '|', textBlock = """
      trusted loopback proxy: the client and scheme from X-Forwarded-*  | X-Forwarded-For: 203.0.113.9 | remote=203.0.113.9 | scheme=https
      invalid entry: the walk stops at the trusted proxy               | X-Forwarded-For: unknown     | remote=127.0.0.1   | scheme=https
      """)
  void theWebXmlFilterDecidesTheClient(String name, String xff, String remote, String scheme)
      throws Exception {
    Tomcat tomcat = start(false);
    try {
      assertThat(get(tomcat, xff)).contains(remote + "\n", scheme + "\n",
          "container=Apache Tomcat/11.", "resolution=Resolution[");
    } finally {
      stop(tomcat);
    }
  }

  @Test
  void withRemoteIpValveTomcatRewritesThePeerBeforeTheFilter() throws Exception {
    Tomcat tomcat = start(true);
    try {
      // The valve believed the header (its default internalProxies include 127/8) and consumed
      // it, so the filter's peer is already the client-written 203.0.113.9 and there is no
      // header left to walk: the valve's trust rules decide, not trust-proxy.
      assertThat(get(tomcat, "X-Forwarded-For: 203.0.113.9"))
          .contains("remote=203.0.113.9\n", "peer=203.0.113.9, index=0]");
    } finally {
      stop(tomcat);
    }
  }

  private static Tomcat start(boolean remoteIpValve) throws Exception {
    Path base = Files.createTempDirectory("tomcat-recipe");
    Tomcat tomcat = new Tomcat();
    tomcat.setBaseDir(base.toString());
    tomcat.setHostname("127.0.0.1");
    tomcat.getConnector().setProperty("address", "127.0.0.1");
    tomcat.setPort(0);
    tomcat.setAddDefaultWebXmlToWebapp(false);
    if (remoteIpValve) {
      tomcat.getHost().getPipeline().addValve(new RemoteIpValve());
    }
    Context context = tomcat.addWebapp("", new File(WEBAPP.toAbsolutePath().toString())
        .getAbsolutePath());
    Tomcat.addServlet(context, "who", new WhoServlet());
    context.addServletMappingDecoded("/who", "who");
    tomcat.start();
    return tomcat;
  }

  private static void stop(Tomcat tomcat) throws Exception {
    tomcat.stop();
    tomcat.destroy();
  }

  private static String get(Tomcat tomcat, String header) throws IOException {
    int port = tomcat.getConnector().getLocalPort();
    try (Socket socket = new Socket(InetAddress.getLoopbackAddress(), port)) {
      socket.setSoTimeout(15_000);
      socket.getOutputStream().write(("GET /who HTTP/1.1\r\nHost: app.example\r\n" + header
          + "\r\nX-Forwarded-Proto: https\r\nConnection: close\r\n\r\n")
          .getBytes(StandardCharsets.ISO_8859_1));
      ByteArrayOutputStream out = new ByteArrayOutputStream();
      socket.getInputStream().transferTo(out);
      return out.toString(StandardCharsets.ISO_8859_1);
    }
  }

  /** What the application sees. */
  static final class WhoServlet extends HttpServlet {
    @Override
    protected void doGet(HttpServletRequest req, HttpServletResponse resp) throws IOException {
      resp.setContentType("text/plain");
      resp.getWriter().write("remote=" + req.getRemoteAddr() + "\n"
          + "scheme=" + req.getScheme() + "\n"
          + "container=" + req.getServletContext().getServerInfo() + "\n"
          + "resolution=" + req.getAttribute(TrustProxyFilter.RESOLUTION_ATTRIBUTE) + "\n");
    }
  }
}

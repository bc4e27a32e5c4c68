package dev.trustproxy.jetty;

import static dev.trustproxy.proxyprotocol.Bytes.ascii;
import static dev.trustproxy.proxyprotocol.Bytes.concat;
import static org.assertj.core.api.Assertions.assertThat;

import dev.trustproxy.testsupport.RawClient;
import dev.trustproxy.proxyprotocol.ProxyHeader;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import org.eclipse.jetty.ee10.servlet.ServletContextHandler;
import org.eclipse.jetty.ee10.servlet.ServletHolder;
import org.eclipse.jetty.server.HttpConnectionFactory;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** A servlet behind the factory sees the PROXY addresses and the header attribute. */
class ServletApiTest {

  static Server server;
  static int port;

  static final class Echo extends HttpServlet {
    @Override
    protected void doGet(HttpServletRequest req, HttpServletResponse resp) throws IOException {
      Object header = req.getAttribute(ProxyHeader.ATTRIBUTE);
      resp.setContentType("text/plain");
      resp.getWriter()
          .print("remoteAddr=" + req.getRemoteAddr() + "\nremotePort=" + req.getRemotePort()
              + "\nremoteHost=" + req.getRemoteHost() + "\nlocalAddr=" + req.getLocalAddr()
              + "\nlocalPort=" + req.getLocalPort() + "\nheader=" + header + "\n");
    }
  }

  @BeforeAll
  static void start() throws Exception {
    server = new Server();
    HttpConnectionFactory http = new HttpConnectionFactory();
    ProxyProtocolConnectionFactory proxy = new ProxyProtocolConnectionFactory(http.getProtocol());
    proxy.setTrustedSources("loopback");
    ServerConnector connector = new ServerConnector(server, proxy, http);
    connector.setHost("127.0.0.1");
    server.addConnector(connector);
    ServletContextHandler context = new ServletContextHandler();
    context.addServlet(new ServletHolder(new Echo()), "/*");
    server.setHandler(context);
    server.start();
    port = connector.getLocalPort();
  }

  @AfterAll
  static void stop() throws Exception {
    server.stop();
  }

  @Test
  void servletSeesTheProxyAddressesAndTheHeaderAttribute() throws Exception {
    try (RawClient client = new RawClient(port)) {
      String response =
          client
              .send(concat(
                  ascii("PROXY TCP6 2001:db8::1 2001:db8::2 56324 443\r\n"),
                  ascii("GET / HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n")))
              .readUntilClosed()
              .response();
      assertThat(response).startsWith("HTTP/1.1 200")
          // Jetty prints IPv6 with InetAddress.getHostAddress(): full form, in brackets.
          .contains("remoteAddr=[2001:db8:0:0:0:0:0:1]", "remotePort=56324",
              "localAddr=[2001:db8:0:0:0:0:0:2]", "localPort=443",
              "header=ProxyHeader[v1 PROXY INET6/STREAM source=[2001:db8::1]:56324"
                  + " destination=[2001:db8::2]:443]");
      // The host name is never looked up: getRemoteHost() is the address text, not a name.
      assertThat(response).contains("remoteHost=[2001:db8:0:0:0:0:0:1]");
    }
  }
}

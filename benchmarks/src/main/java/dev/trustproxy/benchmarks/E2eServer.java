package dev.trustproxy.benchmarks;

import dev.trustproxy.ClientResolver;
import dev.trustproxy.TrustPolicy;
import dev.trustproxy.jetty.ProxyProtocolConnectionFactory;
import dev.trustproxy.servlet.TrustProxyFilter;
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
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import org.eclipse.jetty.ee10.servlet.FilterHolder;
import org.eclipse.jetty.ee10.servlet.ServletContextHandler;
import org.eclipse.jetty.server.ConnectionFactory;
import org.eclipse.jetty.server.ForwardedRequestCustomizer;
import org.eclipse.jetty.server.HttpConfiguration;
import org.eclipse.jetty.server.HttpConnectionFactory;
import org.eclipse.jetty.server.ProxyConnectionFactory;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;

/**
 * The end-to-end contenders in one JVM, each its own Jetty 12 server on 127.0.0.1 with an
 * ephemeral port, all serving the same hello servlet (which prints {@code getRemoteAddr()}):
 *
 * <ul>
 *   <li>{@code none}: no filter, no customizer;
 *   <li>{@code noop-filter}: a filter that only calls the chain (what any filter costs);
 *   <li>{@code trustproxy-filter}: {@code TrustProxyFilter} trusting {@code loopback, 10.0.0.0/8};
 *   <li>{@code jetty-forwarded}: Jetty's {@code ForwardedRequestCustomizer} (no trust setting);
 *   <li>{@code jetty-proxy}: Jetty's stock {@code ProxyConnectionFactory};
 *   <li>{@code trustproxy-proxy}: {@code ProxyProtocolConnectionFactory} trusting {@code loopback}.
 * </ul>
 *
 * <p>One JVM for all, so every contender runs on the same JIT-compiled Jetty. Writes {@code name
 * port} lines to the file named by the first argument once all are started, then serves until
 * killed.
 */
public final class E2eServer {

  private E2eServer() {}

  /** The hello servlet: a short plain-text answer naming the client. */
  public static final class Hello extends HttpServlet {
    private static final long serialVersionUID = 1L;

    @Override
    protected void doGet(HttpServletRequest req, HttpServletResponse resp) throws IOException {
      resp.setContentType("text/plain;charset=utf-8");
      byte[] body = ("hello " + req.getRemoteAddr() + "\n").getBytes(StandardCharsets.UTF_8);
      resp.setContentLength(body.length);
      resp.getOutputStream().write(body);
    }
  }

  /** A filter that only passes the request on: the cost of having a filter at all. */
  public static final class PassThrough implements Filter {
    @Override
    public void doFilter(ServletRequest request, ServletResponse response, FilterChain chain)
        throws IOException, ServletException {
      chain.doFilter(request, response);
    }
  }

  public static void main(String[] args) throws Exception {
    if (args.length != 1) {
      System.err.println("usage: E2eServer PORTS_FILE");
      System.exit(2);
    }
    List<Server> servers = new ArrayList<>();
    List<String> lines = new ArrayList<>();
    lines.add(start(servers, "none", false, null, null));
    lines.add(start(servers, "noop-filter", false, null, new PassThrough()));
    lines.add(start(servers, "trustproxy-filter", false, null, new TrustProxyFilter(
        ClientResolver.of(TrustPolicy.parse("trust-proxy", "loopback, 10.0.0.0/8")))));
    lines.add(start(servers, "jetty-forwarded", true, null, null));
    lines.add(start(servers, "jetty-proxy", false, "jetty", null));
    lines.add(start(servers, "trustproxy-proxy", false, "trustproxy", null));
    Path out = Path.of(args[0]);
    Path tmp = out.resolveSibling(out.getFileName() + ".tmp");
    Files.write(tmp, lines);
    Files.move(tmp, out);
    PrintStream log = System.out;
    log.println("E2eServer ready: " + lines);
    Runtime.getRuntime().addShutdownHook(new Thread(() -> {
      for (Server s : servers) {
        try {
          s.stop();
        } catch (Exception e) {
          log.println("stopping " + s + ": " + e);
        }
      }
    }));
    servers.get(0).join();
  }

  private static String start(List<Server> servers, String name,
      boolean forwardedCustomizer, String proxy, Filter filter) throws Exception {
    Server server = new Server();
    HttpConfiguration config = new HttpConfiguration();
    config.setSendServerVersion(false);
    config.setSendDateHeader(false);
    if (forwardedCustomizer) {
      config.addCustomizer(new ForwardedRequestCustomizer());
    }
    HttpConnectionFactory http = new HttpConnectionFactory(config);
    ConnectionFactory[] factories;
    if ("jetty".equals(proxy)) {
      factories = new ConnectionFactory[] {new ProxyConnectionFactory(http.getProtocol()), http};
    } else if ("trustproxy".equals(proxy)) {
      ProxyProtocolConnectionFactory ours = new ProxyProtocolConnectionFactory(http.getProtocol());
      ours.setTrustedSources("loopback");
      factories = new ConnectionFactory[] {ours, http};
    } else {
      factories = new ConnectionFactory[] {http};
    }
    ServerConnector connector = new ServerConnector(server, factories);
    connector.setHost("127.0.0.1");
    connector.setPort(0);
    server.addConnector(connector);
    ServletContextHandler context = new ServletContextHandler();
    if (filter != null) {
      context.addFilter(new FilterHolder(filter), "/*", EnumSet.of(DispatcherType.REQUEST));
    }
    context.addServlet(Hello.class, "/");
    server.setHandler(context);
    server.start();
    servers.add(server);
    return name + " " + connector.getLocalPort();
  }
}

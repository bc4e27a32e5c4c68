package dev.trustproxy.integration.soak;

import dev.trustproxy.jetty.ProxyProtocolConnectionFactory;
import dev.trustproxy.servlet.TrustProxyFilter;
import jakarta.servlet.DispatcherType;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.EnumSet;
import java.util.concurrent.atomic.LongAdder;
import org.eclipse.jetty.ee10.servlet.FilterHolder;
import org.eclipse.jetty.ee10.servlet.ServletContextHandler;
import org.eclipse.jetty.ee10.servlet.ServletHolder;
import org.eclipse.jetty.server.HttpConfiguration;
import org.eclipse.jetty.server.HttpConnectionFactory;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.util.thread.QueuedThreadPool;

/**
 * The server under soak: Jetty 12 ee10 with the PROXY connection factory (trusting loopback,
 * so haproxy and the attack driver are both trusted PROXY peers) and the filter (trusting
 * loopback) in front of a small servlet that answers with the client address.
 *
 * <p>A second, plain connector serves {@code /stats}: the factory's counters and the number of
 * requests the application served, for the soak script to read before and after.
 *
 * <p>Usage: {@code java -cp CP dev.trustproxy.integration.soak.SoakServer HEADER_TIMEOUT_MS};
 * prints {@code proxyPort=N statsPort=M} on one line once started, then runs until killed.
 */
public final class SoakServer {

  private SoakServer() {}

  public static void main(String[] args) throws Exception {
    Duration headerTimeout = Duration.ofMillis(args.length > 0 ? Long.parseLong(args[0]) : 3000);
    LongAdder served = new LongAdder();

    QueuedThreadPool threads = new QueuedThreadPool(200);
    threads.setName("soak");
    Server server = new Server(threads);

    HttpConnectionFactory http = new HttpConnectionFactory(new HttpConfiguration());
    ProxyProtocolConnectionFactory proxy = new ProxyProtocolConnectionFactory(http.getProtocol());
    proxy.setTrustedSources("loopback");
    proxy.setHeaderTimeout(headerTimeout);
    ServerConnector proxied = new ServerConnector(server, proxy, http);
    proxied.setHost("127.0.0.1");
    proxied.setAcceptQueueSize(4096);
    server.addConnector(proxied);

    ServerConnector stats = new ServerConnector(server);
    stats.setHost("127.0.0.1");
    server.addConnector(stats);

    ServletContextHandler context = new ServletContextHandler("/");
    context.addFilter(new FilterHolder(TrustProxyFilter.trusting("loopback")), "/*",
        EnumSet.of(DispatcherType.REQUEST));
    context.addServlet(new ServletHolder(new HttpServlet() {
      @Override
      protected void service(HttpServletRequest request, HttpServletResponse response)
          throws IOException {
        if (request.getLocalPort() == stats.getLocalPort()) {
          write(response, "served=" + served.sum()
              + " acceptedV1=" + proxy.getAcceptedV1()
              + " acceptedV2=" + proxy.getAcceptedV2()
              + " rejectedTimeout=" + proxy.getRejectedTimeout()
              + " rejectedMalformed=" + proxy.getRejectedMalformed()
              + " rejectedTooLarge=" + proxy.getRejectedTooLarge()
              + " rejectedChecksum=" + proxy.getRejectedChecksum()
              + " rejectedUntrusted=" + proxy.getRejectedUntrusted() + "\n");
          return;
        }
        served.increment();
        write(response, "client=" + request.getRemoteAddr() + "\n");
      }
    }), "/*");
    server.setHandler(context);
    server.start();
    System.out.println("proxyPort=" + proxied.getLocalPort() + " statsPort=" + stats.getLocalPort());
    System.out.flush();
    server.join();
  }

  private static void write(HttpServletResponse response, String text) throws IOException {
    byte[] bytes = text.getBytes(StandardCharsets.US_ASCII);
    response.setContentType("text/plain");
    response.setContentLength(bytes.length);
    response.getOutputStream().write(bytes);
  }
}

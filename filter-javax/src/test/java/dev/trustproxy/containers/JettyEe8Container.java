package dev.trustproxy.containers;

import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import org.eclipse.jetty.ee8.webapp.WebAppContext;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;

/**
 * Embedded Jetty 12 with one ee8 (Servlet 4.0, {@code javax.servlet}) {@link WebAppContext}: its
 * web.xml and the web-fragments of its WEB-INF/lib, as a WAR deployed on Jetty's ee8 environment.
 */
final class JettyEe8Container implements Container {

  private Server server;

  @Override
  public int start(Path webapp, InetAddress address, Path work) throws Exception {
    server = new Server();
    ServerConnector connector = new ServerConnector(server, 1, 1);
    connector.setHost(address.getHostAddress());
    connector.setPort(0);
    server.addConnector(connector);
    WebAppContext context = new WebAppContext();
    context.setContextPath("/");
    context.setWar(webapp.toString());
    context.setTempDirectory(Files.createDirectories(work.resolve("tmp")).toFile());
    context.setThrowUnavailableOnStartupException(true);
    server.setHandler(context);
    server.start();
    if (!context.isAvailable()) {
      throw new IllegalStateException("the web application did not start: " + context);
    }
    return connector.getLocalPort();
  }

  @Override
  public void stop() throws Exception {
    if (server != null) {
      server.stop();
    }
  }
}

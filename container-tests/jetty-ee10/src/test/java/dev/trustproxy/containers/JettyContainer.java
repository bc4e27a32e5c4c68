package dev.trustproxy.containers;

import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.server.handler.ContextHandler;

/**
 * Embedded Jetty 12 with one {@code WebAppContext} of the environment this module names (ee10 or
 * ee11): created by class name and configured through the core {@link ContextHandler} API, which
 * both environments share, so that one source serves both modules.
 */
final class JettyContainer implements Container {

  /** {@code ee10} or {@code ee11}, from the module's surefire configuration. */
  static final String ENVIRONMENT = System.getProperty("trustproxy.jettyEnvironment", "ee10");

  private Server server;

  @Override
  public int start(Path webapp, InetAddress address, Path work) throws Exception {
    server = new Server();
    ServerConnector connector = new ServerConnector(server, 1, 1);
    connector.setHost(address.getHostAddress());
    connector.setPort(0);
    server.addConnector(connector);
    ContextHandler context = (ContextHandler) Class.forName(
        "org.eclipse.jetty." + ENVIRONMENT + ".webapp.WebAppContext")
        .getConstructor().newInstance();
    context.setContextPath("/");
    context.setBaseResourceAsPath(webapp);
    context.setTempDirectory(Files.createDirectories(work.resolve("tmp")).toFile());
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

package dev.trustproxy.tomcat;

import jakarta.servlet.Servlet;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.apache.catalina.Context;
import org.apache.catalina.Engine;
import org.apache.catalina.Host;
import org.apache.catalina.LifecycleException;
import org.apache.catalina.LifecycleState;
import org.apache.catalina.connector.Connector;
import org.apache.catalina.startup.Tomcat;

/**
 * An embedded Tomcat (whichever line is on the test classpath) with one HTTP connector on
 * 127.0.0.1, an ephemeral port, and a root context; the test adds valves and servlets before
 * {@link #start()}.
 */
final class EmbeddedTomcat implements AutoCloseable {

  private final Tomcat tomcat = new Tomcat();
  private final Connector connector = new Connector("HTTP/1.1");
  private final Context context;

  EmbeddedTomcat() {
    try {
      Path base = Files.createTempDirectory("trustproxy-tomcat");
      tomcat.setBaseDir(base.toString());
      connector.setPort(0);
      connector.setProperty("address", "127.0.0.1");
      // Where a CONFIDENTIAL constraint sends plain-http requests.
      connector.setRedirectPort(8443);
      tomcat.setConnector(connector);
      Path docBase = Files.createDirectories(base.resolve("root"));
      context = tomcat.addContext("", docBase.toString());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  Engine engine() {
    return tomcat.getEngine();
  }

  Host host() {
    return tomcat.getHost();
  }

  Context context() {
    return context;
  }

  Connector connector() {
    return connector;
  }

  /** Maps {@code servlet} at {@code pattern} in the root context. */
  EmbeddedTomcat servlet(String name, Servlet servlet, String pattern) {
    Tomcat.addServlet(context, name, servlet).setAsyncSupported(true);
    context.addServletMappingDecoded(pattern, name);
    return this;
  }

  EmbeddedTomcat start() throws LifecycleException {
    tomcat.start();
    if (connector.getState() != LifecycleState.STARTED) {
      throw new IllegalStateException("connector did not start: " + connector.getState());
    }
    return this;
  }

  int port() {
    return connector.getLocalPort();
  }

  @Override
  public void close() throws LifecycleException {
    try {
      tomcat.stop();
    } finally {
      tomcat.destroy();
    }
  }
}

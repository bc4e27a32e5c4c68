package dev.trustproxy.containers;

import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import org.apache.catalina.connector.Connector;
import org.apache.catalina.core.StandardContext;
import org.apache.catalina.startup.ContextConfig;
import org.apache.catalina.startup.Tomcat;
import org.apache.catalina.valves.AccessLogValve;
import org.apache.tomcat.util.scan.StandardJarScanner;

/**
 * Embedded Tomcat with one context parsed from its web.xml (fragments in WEB-INF/lib only: the
 * class path is not scanned, so only a test that puts the jar there gets the web-fragment), and
 * an access log that reads the request attributes, as {@code RemoteIpFilter} users configure it.
 */
final class TomcatContainer implements Container {

  /** {@code %a} client, {@code %h} host, {@code %v} server name, {@code %p} port, then the URI. */
  static final String PATTERN = "%a %h %v %p %U";

  private Tomcat tomcat;
  private Path accessLog;

  @Override
  public int start(Path webapp, InetAddress address, Path work) throws Exception {
    tomcat = new Tomcat();
    tomcat.setBaseDir(Files.createDirectories(work).toString());
    Connector connector = new Connector();
    connector.setPort(0);
    connector.setProperty("address", address.getHostAddress());
    tomcat.setConnector(connector);

    Path logs = Files.createDirectories(work.resolve("logs"));
    AccessLogValve log = new AccessLogValve();
    log.setDirectory(logs.toString());
    log.setPrefix("access");
    log.setSuffix(".log");
    log.setRotatable(false);
    log.setBuffered(false);
    log.setRequestAttributesEnabled(true);
    log.setPattern(PATTERN);
    tomcat.getHost().getPipeline().addValve(log);
    accessLog = logs.resolve("access.log");

    StandardContext context = new StandardContext();
    context.setName("");
    context.setPath("");
    context.setDocBase(webapp.toString());
    ContextConfig config = new ContextConfig();
    config.setDefaultWebXml(tomcat.noDefaultWebXmlPath());
    context.addLifecycleListener(config);
    StandardJarScanner scanner = new StandardJarScanner();
    scanner.setScanClassPath(false);
    context.setJarScanner(scanner);
    context.setParentClassLoader(TomcatContainer.class.getClassLoader());
    tomcat.getHost().addChild(context);
    tomcat.start();
    return connector.getLocalPort();
  }

  /** The access log file: written before the response's connection closes. */
  Path accessLog() {
    return accessLog;
  }

  @Override
  public void stop() throws Exception {
    if (tomcat != null) {
      tomcat.stop();
      tomcat.destroy();
    }
  }
}

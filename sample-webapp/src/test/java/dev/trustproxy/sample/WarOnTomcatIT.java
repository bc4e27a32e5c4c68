package dev.trustproxy.sample;

import java.nio.file.Files;
import java.nio.file.Path;
import org.apache.catalina.Context;
import org.apache.catalina.connector.Connector;
import org.apache.catalina.startup.Tomcat;
import org.apache.tomcat.util.scan.StandardJarScanner;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * target/trustproxy-sample.war deployed for real in embedded Tomcat 11. Runs in its own JVM
 * without Jetty's Servlet 6.0 API (Tomcat 11 carries 6.1): see the failsafe execution on-tomcat.
 */
@Tag("integration")
class WarOnTomcatIT {

  private static Tomcat tomcat;
  private static int port;

  @BeforeAll
  static void deploy() throws Exception {
    Path base = Files.createDirectories(Path.of("target", "war-tmp", "tomcat").toAbsolutePath());
    tomcat = new Tomcat();
    tomcat.setBaseDir(base.toString());
    tomcat.getHost().setAppBase(Files.createDirectories(base.resolve("webapps")).toString());
    Connector connector = new Connector();
    connector.setPort(0);
    connector.setProperty("address", "127.0.0.1");
    tomcat.setConnector(connector);
    // Only the WAR's web.xml: no default JSP servlet (Jasper is not on the classpath).
    tomcat.setAddDefaultWebXmlToWebapp(false);
    Context context = tomcat.addWebapp("", WarClients.war().toString());
    // Scan the WAR's WEB-INF/lib only, not this test JVM's class path.
    ((StandardJarScanner) context.getJarScanner()).setScanClassPath(false);
    tomcat.start();
    port = connector.getLocalPort();
  }

  @AfterAll
  static void stop() throws Exception {
    if (tomcat != null) {
      tomcat.stop();
      tomcat.destroy();
    }
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("dev.trustproxy.sample.WarClients#cases")
  void remoteAddrFollowsWebXmlTrust(String name, String xff, String ip, String ips)
      throws Exception {
    WarClients.assertServes(port, xff, ip, ips);
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("dev.trustproxy.sample.WarClients#dispatches")
  void everyDispatchSeesTheClient(String name, String path, int status) throws Exception {
    WarClients.assertDispatchServes(port, path, status);
  }
}

package dev.trustproxy.sample;

import java.nio.file.Files;
import java.nio.file.Path;
import org.eclipse.jetty.ee10.webapp.WebAppContext;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** target/trustproxy-sample.war deployed for real in embedded Jetty 12 ee10 (WebAppContext). */
@Tag("integration")
class WarOnJettyIT {

  private static Server server;
  private static int port;

  @BeforeAll
  static void deploy() throws Exception {
    server = new Server();
    ServerConnector connector = new ServerConnector(server);
    connector.setHost("127.0.0.1");
    server.addConnector(connector);
    WebAppContext webapp = new WebAppContext();
    webapp.setContextPath("/");
    webapp.setWar(WarClients.war().toString());
    // Unpack under target, not java.io.tmpdir, so a test run leaves nothing behind.
    Path temp = Files.createDirectories(Path.of("target", "war-tmp", "jetty"));
    webapp.setTempDirectory(temp.toFile());
    server.setHandler(webapp);
    server.start();
    port = connector.getLocalPort();
  }

  @AfterAll
  static void stop() throws Exception {
    if (server != null) {
      server.stop();
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

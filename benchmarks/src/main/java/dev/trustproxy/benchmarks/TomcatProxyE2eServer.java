package dev.trustproxy.benchmarks;

import dev.trustproxy.tomcat.TrustProxyHttp11NioProtocol;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.apache.catalina.Context;
import org.apache.catalina.connector.Connector;
import org.apache.catalina.startup.Tomcat;

/**
 * The Tomcat end-to-end contenders (scripts/bench/e2e-tomcat-proxy.sh): one embedded Tomcat on
 * 127.0.0.1 with two connectors on ephemeral ports in front of the same hello servlet, so both
 * share one JIT-compiled Tomcat:
 *
 * <ul>
 *   <li>{@code tomcat-plain}: Tomcat's own {@code Http11NioProtocol};
 *   <li>{@code tomcat-proxy}: {@code TrustProxyHttp11NioProtocol} trusting {@code 127.0.0.1}.
 * </ul>
 *
 * <p>Writes {@code name port} lines to the file named by the first argument once started, then
 * serves until killed.
 */
public final class TomcatProxyE2eServer {

  private TomcatProxyE2eServer() {}

  public static void main(String[] args) throws Exception {
    Path base = Files.createTempDirectory("tomcat-e2e");
    Tomcat tomcat = new Tomcat();
    tomcat.setBaseDir(base.toString());
    Connector plain = new Connector("org.apache.coyote.http11.Http11NioProtocol");
    Connector proxy = TrustProxyHttp11NioProtocol.connector(0, "127.0.0.1");
    for (Connector c : List.of(plain, proxy)) {
      c.setPort(0);
      c.setProperty("address", "127.0.0.1");
      c.setProperty("maxKeepAliveRequests", "-1");
      tomcat.getService().addConnector(c);
    }
    Context context = tomcat.addContext("", base.toString());
    Tomcat.addServlet(context, "hello", new E2eServer.Hello());
    context.addServletMappingDecoded("/*", "hello");
    tomcat.start();
    Path ports = Path.of(args[0]);
    Path tmp = Files.createTempFile(ports.toAbsolutePath().getParent(), "ports", ".tmp");
    Files.write(tmp, List.of("tomcat-plain " + plain.getLocalPort(),
        "tomcat-proxy " + proxy.getLocalPort()));
    Files.move(tmp, ports);
    tomcat.getServer().await();
  }
}

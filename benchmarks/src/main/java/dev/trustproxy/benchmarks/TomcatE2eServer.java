package dev.trustproxy.benchmarks;

import dev.trustproxy.tomcat.TrustProxyValve;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.apache.catalina.Context;
import org.apache.catalina.Valve;
import org.apache.catalina.connector.Connector;
import org.apache.catalina.startup.Tomcat;
import org.apache.catalina.valves.RemoteIpValve;

/**
 * The Tomcat end-to-end contenders in one JVM, each its own embedded Tomcat on 127.0.0.1 with an
 * ephemeral port, serving {@link E2eServer.Hello}: {@code tomcat-none} (no valve), {@code
 * tomcat-valve} ({@code TrustProxyValve} trusting {@code loopback, 10.0.0.0/8}) and {@code
 * tomcat-remoteip} ({@code RemoteIpValve} trusting the same, as a regular expression). Writes
 * {@code name port} lines to the file named by the first argument, then serves until killed.
 */
public final class TomcatE2eServer {

  private TomcatE2eServer() {}

  public static void main(String[] args) throws Exception {
    if (args.length != 1) {
      System.err.println("usage: TomcatE2eServer PORTS_FILE");
      System.exit(2);
    }
    List<Tomcat> servers = new ArrayList<>();
    List<String> lines = new ArrayList<>();
    lines.add(start(servers, "tomcat-none", null));
    TrustProxyValve ours = new TrustProxyValve();
    ours.setTrustProxy("loopback, 10.0.0.0/8");
    lines.add(start(servers, "tomcat-valve", ours));
    RemoteIpValve remoteIp = new RemoteIpValve();
    remoteIp.setInternalProxies("127\\.\\d{1,3}\\.\\d{1,3}\\.\\d{1,3}|10\\.\\d{1,3}\\.\\d{1,3}\\.\\d{1,3}");
    lines.add(start(servers, "tomcat-remoteip", remoteIp));
    Path out = Path.of(args[0]);
    Path tmp = out.resolveSibling(out.getFileName() + ".tmp");
    Files.write(tmp, lines);
    Files.move(tmp, out);
    System.out.println("TomcatE2eServer ready: " + lines);
    Runtime.getRuntime().addShutdownHook(new Thread(() -> {
      for (Tomcat t : servers) {
        try {
          t.stop();
        } catch (Exception e) {
          System.out.println("stopping: " + e);
        }
      }
    }));
    servers.get(0).getServer().await();
  }

  private static String start(List<Tomcat> servers, String name, Valve valve) throws Exception {
    Tomcat tomcat = new Tomcat();
    Path base = Files.createTempDirectory("e2e-" + name);
    tomcat.setBaseDir(base.toString());
    Connector connector = new Connector("HTTP/1.1");
    connector.setPort(0);
    connector.setProperty("address", "127.0.0.1");
    tomcat.setConnector(connector);
    if (valve != null) {
      tomcat.getEngine().getPipeline().addValve(valve);
    }
    Context context = tomcat.addContext("", Files.createDirectories(base.resolve("root")).toString());
    Tomcat.addServlet(context, "hello", new E2eServer.Hello());
    context.addServletMappingDecoded("/", "hello");
    tomcat.start();
    servers.add(tomcat);
    return name + " " + connector.getLocalPort();
  }
}

package dev.trustproxy.tomcat;

import dev.trustproxy.testsupport.ExternalProcess;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;

/**
 * A real Tomcat distribution (unpacked by the build into {@code target/tomcat-dist/}) started as
 * a separate JVM with its own {@code CATALINA_BASE}: {@code conf/} from the distribution but
 * {@code server.xml} from the template {@code standalone/server.xml} (the test fills in the
 * connector and the valves), the library jars in {@code lib/}, and the echo servlet deployed as
 * {@code webapps/ROOT.war}. The process is ended by {@link #close()}.
 *
 * <p>Other tests (a PROXY protocol connector, say) replace the connector with {@link
 * #connector(String)}; {@code @PORT@} in it is a free port on 127.0.0.1 picked before start.
 */
final class StandaloneTomcat implements AutoCloseable {

  /** The plain HTTP connector, on 127.0.0.1 only. */
  static final String HTTP_CONNECTOR = "<Connector address=\"127.0.0.1\" port=\"@PORT@\""
      + " protocol=\"HTTP/1.1\" redirectPort=\"8443\"/>";

  private final String line;
  private final Path home;
  private final Path base;
  private final List<Path> extraLib = new ArrayList<>();
  private String connector = HTTP_CONNECTOR;
  private String valves = "";
  private int port;
  private Process process;

  private StandaloneTomcat(String line, Path home, Path base) {
    this.line = line;
    this.home = home;
    this.base = base;
  }

  /**
   * A Tomcat of {@code line} ({@code 10} or {@code 11}) in a fresh base named after {@code name}.
   */
  static StandaloneTomcat of(String line, String name) throws IOException {
    Path home = Path.of(required("trustproxy.tomcatHome." + line));
    Path base = Path.of(required("trustproxy.itBase")).resolve(line + "-" + name);
    deleteTree(base);
    Files.createDirectories(base);
    return new StandaloneTomcat(line, home, base);
  }

  String line() {
    return line;
  }

  Path base() {
    return base;
  }

  /** The Connector element; {@code @PORT@} becomes the port picked at start. */
  StandaloneTomcat connector(String connectorXml) {
    this.connector = connectorXml;
    return this;
  }

  /** Valve elements placed first in the Engine. */
  StandaloneTomcat valves(String valvesXml) {
    this.valves = valvesXml;
    return this;
  }

  /** One more jar for {@code CATALINA_BASE/lib}. */
  StandaloneTomcat lib(Path jar) {
    extraLib.add(jar);
    return this;
  }

  int port() {
    return port;
  }

  /** Starts Tomcat and waits until it reports that it has started. */
  StandaloneTomcat start() throws IOException, InterruptedException {
    launch();
    awaitOutput("Server startup in");
    return this;
  }

  /** Starts Tomcat expecting it to fail: returns once the process has exited. */
  StandaloneTomcat startExpectingExit() throws IOException, InterruptedException {
    launch();
    if (!process.waitFor(120, TimeUnit.SECONDS)) {
      throw new IllegalStateException("Tomcat " + line + " is still running:\n" + output());
    }
    return this;
  }

  /** Everything Tomcat wrote to stdout and stderr so far. */
  String output() throws IOException {
    Path out = base.resolve("logs/console.out");
    return Files.exists(out) ? Files.readString(out, StandardCharsets.UTF_8) : "";
  }

  /**
   * The lines of {@code logs/NAME.log}, once it has at least {@code count}: Tomcat writes an
   * access log line after the response is sent.
   */
  List<String> accessLog(String name, int count) throws IOException, InterruptedException {
    Path log = base.resolve("logs/" + name + ".log");
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
    while (true) {
      List<String> lines = Files.exists(log) ? Files.readAllLines(log) : List.of();
      if (lines.size() >= count || System.nanoTime() > deadline) {
        return lines;
      }
      Thread.sleep(50);
    }
  }

  private void launch() throws IOException {
    port = ExternalProcess.freePort();
    for (String dir : List.of("conf", "lib", "logs", "temp", "webapps", "work")) {
      Files.createDirectories(base.resolve(dir));
    }
    try (Stream<Path> conf = Files.list(home.resolve("conf"))) {
      for (Path file : conf.filter(Files::isRegularFile).toList()) {
        Files.copy(file, base.resolve("conf").resolve(file.getFileName()),
            StandardCopyOption.REPLACE_EXISTING);
      }
    }
    String serverXml = resource("standalone/server.xml")
        .replace("@CONNECTOR@", connector.replace("@PORT@", String.valueOf(port)))
        .replace("@VALVES@", valves);
    Files.writeString(base.resolve("conf/server.xml"), serverXml);
    List<Path> jars = new ArrayList<>(extraLib);
    jars.add(Path.of(required("trustproxy.valveJar")));
    try (Stream<Path> lib = Files.list(Path.of(required("trustproxy.tomcatLib")))) {
      jars.addAll(lib.toList());
    }
    for (Path jar : jars) {
      Files.copy(jar, base.resolve("lib").resolve(jar.getFileName()),
          StandardCopyOption.REPLACE_EXISTING);
    }
    writeEchoWar(base.resolve("webapps/ROOT.war"));

    List<String> command = new ArrayList<>(List.of(
        Path.of(System.getProperty("java.home"), "bin", "java").toString(),
        "-cp", home.resolve("bin/bootstrap.jar") + java.io.File.pathSeparator
            + home.resolve("bin/tomcat-juli.jar"),
        "-Dcatalina.home=" + home,
        "-Dcatalina.base=" + base,
        "-Djava.io.tmpdir=" + base.resolve("temp"),
        "-Djava.util.logging.manager=org.apache.juli.ClassLoaderLogManager",
        "-Djava.util.logging.config.file=" + base.resolve("conf/logging.properties")));
    String hosts = System.getProperty("trustproxy.hostsFile");
    if (hosts != null) {
      command.add("-Djdk.net.hosts.file=" + hosts); // no real DNS in the Tomcat JVM either
    }
    command.addAll(List.of("org.apache.catalina.startup.Bootstrap", "start"));
    process = new ProcessBuilder(command)
        .directory(base.toFile())
        .redirectErrorStream(true)
        .redirectOutput(base.resolve("logs/console.out").toFile())
        .start();
  }

  private void awaitOutput(String text) throws IOException, InterruptedException {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
    while (System.nanoTime() < deadline) {
      if (output().contains(text)) {
        return;
      }
      if (!process.isAlive()) {
        throw new IllegalStateException("Tomcat " + line + " exited with "
            + process.exitValue() + ":\n" + output());
      }
      Thread.sleep(100);
    }
    throw new IllegalStateException("Tomcat " + line + " did not say '" + text + "':\n" + output());
  }

  @Override
  public void close() throws InterruptedException {
    if (process == null) {
      return;
    }
    process.destroy(); // SIGTERM: Tomcat's shutdown hook stops it cleanly
    if (!process.waitFor(60, TimeUnit.SECONDS)) {
      process.destroyForcibly().waitFor(30, TimeUnit.SECONDS);
    }
  }

  /** A WAR with the echo servlet (the test's own class file) and {@code standalone/web.xml}. */
  private static void writeEchoWar(Path war) throws IOException {
    try (OutputStream file = Files.newOutputStream(war);
        ZipOutputStream zip = new ZipOutputStream(file)) {
      zip.putNextEntry(new ZipEntry("WEB-INF/web.xml"));
      zip.write(resource("standalone/web.xml").getBytes(StandardCharsets.UTF_8));
      zip.closeEntry();
      String name = EchoServlet.class.getName().replace('.', '/') + ".class";
      try (InputStream in = EchoServlet.class.getClassLoader().getResourceAsStream(name)) {
        zip.putNextEntry(new ZipEntry("WEB-INF/classes/" + name));
        Objects.requireNonNull(in, name).transferTo(zip);
        zip.closeEntry();
      }
    }
  }

  private static String resource(String name) throws IOException {
    try (InputStream in = StandaloneTomcat.class.getClassLoader().getResourceAsStream(name)) {
      return new String(Objects.requireNonNull(in, name).readAllBytes(), StandardCharsets.UTF_8);
    }
  }

  private static String required(String property) {
    String value = System.getProperty(property);
    if (value == null) {
      throw new IllegalStateException("system property " + property + " is not set: run this"
          + " test through failsafe (./mvnw -pl tomcat -am verify)");
    }
    return value;
  }

  private static void deleteTree(Path dir) {
    if (!Files.exists(dir)) {
      return;
    }
    try (Stream<Path> paths = Files.walk(dir)) {
      for (Path p : paths.sorted(Comparator.reverseOrder()).toList()) {
        Files.delete(p);
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}

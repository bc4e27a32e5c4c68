package dev.trustproxy.distribution;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.jar.JarEntry;
import java.util.jar.JarOutputStream;
import java.util.stream.Stream;
import java.util.zip.ZipEntry;
import java.util.zip.ZipInputStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * The distribution as a user installs it: a real {@code jetty-home} (unpacked from Maven Central
 * by the build), a fresh {@code jetty.base} with our zip unpacked into it, {@code start.jar
 * --add-modules=http,trustproxy-proxy-protocol,trustproxy-customizer}, the documented {@code
 * jetty.trustproxy.*} properties set in the generated {@code start.d/*.ini} files, and Jetty
 * booted as a separate process on 127.0.0.1. Raw sockets then send PROXY and forwarded traffic.
 */
class JettyHomeIT {

  private static final Path HOME = Path.of(System.getProperty("trustproxy.jettyHome"));
  private static final Path ZIP = Path.of(System.getProperty("trustproxy.distributionZip"));
  private static final Path BASE = Path.of(System.getProperty("trustproxy.itBase"));
  private static final Path TRUSTED_HOPS = BASE.resolve("trusted-hops.txt");
  private static Process jetty;
  private static int port;

  @BeforeAll
  static void bootJettyHome() throws Exception {
    deleteRecursively(BASE);
    Files.createDirectories(BASE);
    unzip(ZIP, BASE);
    installEchoHandler();

    run("--add-modules=http,trustproxy-proxy-protocol,trustproxy-customizer,trustproxy-it-echo");
    // The user's edit: uncomment and set the documented properties.
    setProperty("trustproxy-proxy-protocol.ini", "jetty.trustproxy.proxy.trustedSources",
        "127.0.0.1");
    setProperty("trustproxy-proxy-protocol.ini", "jetty.trustproxy.proxy.headerTimeoutMillis",
        "3000");
    // The trust setting from a range file, read again every second (README D80-D83).
    Files.writeString(TRUSTED_HOPS, "10.0.0.0/8\n");
    setProperty("trustproxy-customizer.ini", "jetty.trustproxy.trustProxy",
        "file:" + TRUSTED_HOPS);
    setProperty("trustproxy-customizer.ini", "jetty.trustproxy.reloadInterval", "1");
    setProperty("trustproxy-customizer.ini", "jetty.trustproxy.trustedPeers", "10.0.0.0/8");

    port = freePort();
    ProcessBuilder pb = command("jetty.http.host=127.0.0.1", "jetty.http.port=" + port);
    pb.redirectErrorStream(true).redirectOutput(BASE.resolve("jetty.log").toFile());
    jetty = pb.start();
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(90);
    while (!log().contains("Started oejs.Server") && !log().contains("Started Server")) {
      if (!jetty.isAlive()) {
        throw new AssertionError("jetty-home exited with " + jetty.exitValue() + ":\n" + log());
      }
      if (System.nanoTime() > deadline) {
        throw new AssertionError("jetty-home did not start within 90 s:\n" + log());
      }
      Thread.sleep(200);
    }
  }

  @AfterAll
  static void stopJettyHome() throws Exception {
    if (jetty != null) {
      jetty.destroy();
      if (!jetty.waitFor(30, TimeUnit.SECONDS)) {
        jetty.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
      }
    }
  }

  @Test
  void addModulesWroteTheDocumentedIniTemplates() throws IOException {
    String proxy = Files.readString(BASE.resolve("start.d/trustproxy-proxy-protocol.ini"));
    String customizer = Files.readString(BASE.resolve("start.d/trustproxy-customizer.ini"));
    assertThat(proxy).contains("# jetty.trustproxy.proxy.untrustedPeers=CLOSE",
        "# jetty.trustproxy.proxy.sslTlvMarksSecure=false");
    assertThat(customizer).contains("# jetty.trustproxy.forwardedHeader=x-forwarded-for");
    assertThat(Files.list(BASE.resolve("lib/trustproxy")).map(p -> p.getFileName().toString()))
        .anyMatch(n -> n.startsWith("trustproxy-jetty-") && n.endsWith(".jar"))
        .anyMatch(n -> n.startsWith("trustproxy-proxy-protocol-") && n.endsWith(".jar"))
        .anyMatch(n -> n.startsWith("trustproxy-core-") && n.endsWith(".jar"));
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource(delimiter = '|', textBlock = """
      PROXY source is the client without forwarding headers         | PROXY TCP4 198.51.100.7 127.0.0.1 40000 80 |                                                         | remote=198.51.100.7 | scheme=http
      trusted proxy behind PROXY: X-Forwarded-For and -Proto apply | PROXY TCP4 10.0.0.5 127.0.0.1 40000 80     | X-Forwarded-For: 203.0.113.9; X-Forwarded-Proto: https | remote=203.0.113.9  | scheme=https
      untrusted PROXY source: its X-Forwarded-For is ignored        | PROXY TCP4 198.51.100.7 127.0.0.1 40000 80 | X-Forwarded-For: 203.0.113.9; X-Forwarded-Proto: https | remote=198.51.100.7 | headerIgnored=true
      IPv6 PROXY source                                             | PROXY TCP6 2001:db8::7 ::1 40000 80        |                                                         | remote=[2001:db8:0:0:0:0:0:7] | scheme=http
      """)
  void proxyAndForwardedTrafficIsAnsweredWithTheClient(String name, String proxyLine,
      String headers, String remote, String other) throws IOException {
    StringBuilder request = new StringBuilder(proxyLine).append("\r\n")
        .append("GET /who HTTP/1.1\r\nHost: app.example\r\n");
    if (headers != null) {
      for (String h : headers.split(";")) {
        request.append(h.strip()).append("\r\n");
      }
    }
    request.append("Connection: close\r\n\r\n");
    String response = exchange(request.toString());
    assertThat(response).startsWith("HTTP/1.1 200").contains(remote + "\n", other + "\n");
  }

  /**
   * The module makes the customizer a server bean, so it runs while Jetty runs and re-reads the
   * file: a hop added to the file is trusted within seconds, and trusted no more once removed.
   */
  @Test
  void aRangeFileOfTheTrustSettingIsReloadedWhileJettyRuns() throws Exception {
    String request = "PROXY TCP4 10.0.0.5 127.0.0.1 40000 80\r\nGET /who HTTP/1.1\r\n"
        + "Host: app.example\r\nX-Forwarded-For: 203.0.113.9, 192.0.2.44\r\n"
        + "Connection: close\r\n\r\n";
    assertThat(exchange(request)).contains("remote=192.0.2.44\n");
    try {
      Files.writeString(TRUSTED_HOPS, "10.0.0.0/8\n192.0.2.0/24\n");
      assertThat(awaitAnswer(request, "remote=203.0.113.9\n")).contains("remote=203.0.113.9\n");
    } finally {
      Files.writeString(TRUSTED_HOPS, "10.0.0.0/8\n");
    }
    assertThat(awaitAnswer(request, "remote=192.0.2.44\n")).contains("remote=192.0.2.44\n");
  }

  /** The response to {@code request} once it contains {@code expected}, or the last after 20 s. */
  private static String awaitAnswer(String request, String expected) throws Exception {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
    String response = exchange(request);
    while (!response.contains(expected) && System.nanoTime() < deadline) {
      Thread.sleep(200);
      response = exchange(request);
    }
    return response;
  }

  @Test
  void aTrustedSourceWithoutAPROXYHeaderIsClosed() throws IOException {
    String response = exchange("GET /who HTTP/1.1\r\nHost: app.example\r\nConnection: close\r\n\r\n");
    assertThat(response).doesNotContain("HTTP/1.1 200").doesNotContain("remote=");
  }

  @Test
  void withoutTrustedSourcesJettyRefusesToStartNamingTheProperty() throws Exception {
    // A property on the command line overrides start.d: the empty value a user gets by
    // uncommenting the line without filling it in.
    ProcessBuilder pb = command("jetty.http.host=127.0.0.1", "jetty.http.port=0",
        "jetty.trustproxy.proxy.trustedSources=").redirectErrorStream(true);
    Process p = pb.start();
    String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
    assertThat(p.exitValue()).as(output).isNotZero();
    assertThat(output).contains("IllegalArgumentException: trustedSources: empty item in ''");
  }

  // ------------------------------------------------------------------ helpers

  private static String exchange(String request) throws IOException {
    try (Socket socket = new Socket()) {
      socket.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 5000);
      socket.setSoTimeout(15_000);
      OutputStream out = socket.getOutputStream();
      ByteArrayOutputStream received = new ByteArrayOutputStream();
      try {
        out.write(request.getBytes(StandardCharsets.ISO_8859_1));
        out.flush();
        socket.getInputStream().transferTo(received);
      } catch (SocketException closedByServer) {
        // a rejected connection may be reset while we write or read
      }
      return received.toString(StandardCharsets.ISO_8859_1);
    }
  }

  /** A core-handler module serving {@link EchoHandler} from a jar built from the test classes. */
  private static void installEchoHandler() throws IOException {
    Path lib = Files.createDirectories(BASE.resolve("lib/trustproxy-it"));
    String resource = EchoHandler.class.getName().replace('.', '/') + ".class";
    try (JarOutputStream jar = new JarOutputStream(
        Files.newOutputStream(lib.resolve("trustproxy-it-echo.jar")));
        InputStream in = EchoHandler.class.getClassLoader().getResourceAsStream(resource)) {
      jar.putNextEntry(new JarEntry(resource));
      in.transferTo(jar);
      jar.closeEntry();
    }
    Files.writeString(BASE.resolve("modules/trustproxy-it-echo.mod"), """
        [description]
        Test only: answers every request with what it believes about the client.
        [depends]
        server
        trustproxy
        [lib]
        lib/trustproxy-it/*.jar
        [xml]
        etc/trustproxy-it-echo.xml
        """);
    Files.writeString(BASE.resolve("etc/trustproxy-it-echo.xml"), """
        <?xml version="1.0"?>
        <!DOCTYPE Configure PUBLIC "-//Jetty//Configure//EN" "https://jetty.org/configure_10_0.dtd">
        <Configure id="Contexts" class="org.eclipse.jetty.server.handler.ContextHandlerCollection">
          <Call name="addHandler">
            <Arg>
              <New class="org.eclipse.jetty.server.handler.ContextHandler">
                <Set name="contextPath">/</Set>
                <Set name="handler"><New class="dev.trustproxy.distribution.EchoHandler"/></Set>
              </New>
            </Arg>
          </Call>
        </Configure>
        """);
  }

  /** Uncomments (or appends) {@code name=value} in a generated start.d ini file. */
  private static void setProperty(String ini, String name, String value) throws IOException {
    Path file = BASE.resolve("start.d").resolve(ini);
    List<String> lines = new ArrayList<>(Files.readAllLines(file));
    boolean set = false;
    for (int i = 0; i < lines.size(); i++) {
      if (lines.get(i).matches("#\\s*" + java.util.regex.Pattern.quote(name) + "=.*")) {
        lines.set(i, name + "=" + value);
        set = true;
      }
    }
    if (!set) {
      throw new AssertionError(ini + " does not document " + name + ":\n" + String.join("\n", lines));
    }
    Files.write(file, lines);
  }

  private static void run(String... args) throws Exception {
    ProcessBuilder pb = command(args).redirectErrorStream(true);
    Process p = pb.start();
    String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(p.waitFor(120, TimeUnit.SECONDS)).isTrue();
    assertThat(p.exitValue()).as("start.jar %s:\n%s", List.of(args), output).isZero();
  }

  private static ProcessBuilder command(String... args) {
    List<String> command = new ArrayList<>(List.of(
        Path.of(System.getProperty("java.home"), "bin", "java").toString(),
        "-Djdk.net.hosts.file=" + System.getProperty("jdk.net.hosts.file", ""),
        "-jar", HOME.resolve("start.jar").toString(),
        "jetty.home=" + HOME, "jetty.base=" + BASE));
    command.addAll(List.of(args));
    return new ProcessBuilder(command).directory(BASE.toFile());
  }

  private static String log() throws IOException {
    Path log = BASE.resolve("jetty.log");
    return Files.exists(log) ? Files.readString(log, StandardCharsets.ISO_8859_1) : "";
  }

  private static int freePort() throws IOException {
    try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      return s.getLocalPort();
    }
  }

  private static void unzip(Path zip, Path into) throws IOException {
    try (ZipInputStream in = new ZipInputStream(Files.newInputStream(zip))) {
      for (ZipEntry e; (e = in.getNextEntry()) != null; ) {
        Path target = into.resolve(e.getName()).normalize();
        if (!target.startsWith(into)) {
          throw new IOException("zip entry outside the target: " + e.getName());
        }
        if (e.isDirectory()) {
          Files.createDirectories(target);
        } else {
          Files.createDirectories(target.getParent());
          Files.copy(in, target);
        }
      }
    }
  }

  private static void deleteRecursively(Path dir) throws IOException {
    if (!Files.exists(dir)) {
      return;
    }
    try (Stream<Path> paths = Files.walk(dir)) {
      for (Path p : paths.sorted(Comparator.reverseOrder()).toList()) {
        Files.delete(p);
      }
    }
  }
}

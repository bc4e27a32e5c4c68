package dev.trustproxy.spring.it;

import dev.trustproxy.testsupport.RawClient;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.springframework.boot.SpringApplication;
import org.springframework.context.ConfigurableApplicationContext;

/** Starts the test application for real on 127.0.0.1, on a free port, and talks to it. */
final class Apps {

  /** tomcat or jetty: which container this module's classpath brings. */
  static final String CONTAINER = System.getProperty("trustproxy.boot.container", "");

  private Apps() {}

  /**
   * The application with these extra {@code --name=value} arguments and, unless they say
   * otherwise, {@code server.forward-headers-strategy=none}, as the README tells users to set: on
   * a machine that Boot takes for a cloud platform (a CI runner on Kubernetes) Boot would turn on
   * its own header handling otherwise, and the starter refuses to start.
   */
  static ConfigurableApplicationContext start(String... args) {
    return start(new Class<?>[0], args);
  }

  /** With these configuration classes besides the test application. */
  static ConfigurableApplicationContext start(Class<?>[] sources, String... args) {
    List<String> all = new ArrayList<>(List.of("--server.address=127.0.0.1", "--server.port=0",
        "--spring.main.banner-mode=off", "--spring.jmx.enabled=false",
        "--logging.level.root=WARN"));
    if (List.of(args).stream().noneMatch(a -> a.startsWith("--server.forward-headers-strategy="))) {
      all.add("--server.forward-headers-strategy=none");
    }
    all.addAll(List.of(args));
    return run(sources, all);
  }

  /** Exactly these arguments besides the address and port: no forward-headers-strategy. */
  static ConfigurableApplicationContext startAsIs(String... args) {
    List<String> all = new ArrayList<>(List.of("--server.address=127.0.0.1", "--server.port=0",
        "--spring.main.banner-mode=off", "--spring.jmx.enabled=false"));
    all.addAll(List.of(args));
    return run(new Class<?>[0], all);
  }

  private static ConfigurableApplicationContext run(Class<?>[] sources, List<String> args) {
    Class<?>[] all = new Class<?>[sources.length + 1];
    all[0] = TestApplication.class;
    System.arraycopy(sources, 0, all, 1, sources.length);
    return new SpringApplication(all).run(args.toArray(String[]::new));
  }

  /** The arguments that write the container's access log, one line per request, to {@code dir}. */
  static String[] accessLog(Path dir) {
    return switch (CONTAINER) {
      case "tomcat" -> new String[] {"--server.tomcat.basedir=" + dir.resolve("tomcat"),
          "--server.tomcat.accesslog.enabled=true",
          "--server.tomcat.accesslog.directory=" + dir,
          "--server.tomcat.accesslog.prefix=access", "--server.tomcat.accesslog.suffix=.log",
          "--server.tomcat.accesslog.rotate=false", "--server.tomcat.accesslog.buffered=false",
          "--server.tomcat.accesslog.pattern=%a %r %s"};
      case "jetty" -> new String[] {"--server.jetty.accesslog.enabled=true",
          "--server.jetty.accesslog.filename=" + dir.resolve("access.log"),
          "--server.jetty.accesslog.custom-format=%{client}a %r %s"};
      default -> throw new IllegalStateException("trustproxy.boot.container='" + CONTAINER
          + "': expected tomcat or jetty");
    };
  }

  /**
   * The access log's lines once one contains {@code requestLine}: the container writes it after
   * the response, so it may lag the response by a moment.
   */
  static List<String> accessLogLines(Path dir, String requestLine) throws Exception {
    Path file = dir.resolve("access.log");
    for (int i = 0; i < 200; i++) {
      if (Files.exists(file)) {
        List<String> lines = Files.readAllLines(file, StandardCharsets.UTF_8);
        if (lines.stream().anyMatch(l -> l.contains(requestLine))) {
          return lines;
        }
      }
      Thread.sleep(50);
    }
    throw new AssertionError("no access log line with '" + requestLine + "' in " + file);
  }

  static int port(ConfigurableApplicationContext app) {
    return app.getEnvironment().getRequiredProperty("local.server.port", Integer.class);
  }

  /** A GET of {@code path} with these header lines; the whole response. */
  static RawClient.Outcome get(int port, String path, String... headerLines) throws IOException {
    return send(port, new byte[0], path, headerLines);
  }

  /** {@code prefix} (a PROXY header), then a GET of {@code path}; the whole response. */
  static RawClient.Outcome send(int port, byte[] prefix, String path, String... headerLines)
      throws IOException {
    StringBuilder request = new StringBuilder("GET " + path + " HTTP/1.1\r\n"
        + "Host: shop.example\r\n");
    for (String line : headerLines) {
      request.append(line).append("\r\n");
    }
    request.append("Connection: close\r\n\r\n");
    byte[] http = request.toString().getBytes(StandardCharsets.ISO_8859_1);
    byte[] all = new byte[prefix.length + http.length];
    System.arraycopy(prefix, 0, all, 0, prefix.length);
    System.arraycopy(http, 0, all, prefix.length, http.length);
    try (RawClient client = new RawClient(port)) {
      return client.send(all).readUntilClosed();
    }
  }
}

package dev.trustproxy.jetty.peers;

import static org.junit.jupiter.api.Assertions.fail;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Assumptions;

/**
 * Finds the peer programs, hands out ports and renders config templates.
 *
 * <p>A missing program fails the test: CI must prove that the real peers ran, so a silent skip
 * would hide exactly what these tests are for. Developers without the programs may pass
 * {@value #SKIP_PROPERTY}{@code =true} to skip them instead (reported as skipped, never passed).
 */
final class PeerPrograms {

  static final String SKIP_PROPERTY = "trustproxy.peers.skip";

  /** sbin folders are often missing from a non-root PATH, and haproxy/nginx live there. */
  private static final List<String> EXTRA_DIRS = List.of("/usr/sbin", "/usr/local/sbin", "/sbin");

  /** Where Debian's libnginx-mod-stream puts the module (see {@code dpkg -L libnginx-mod-stream}). */
  private static final List<String> NGINX_STREAM_MODULE = List.of(
      "/usr/lib/nginx/modules/ngx_stream_module.so",
      "/usr/lib64/nginx/modules/ngx_stream_module.so",
      "/usr/local/nginx/modules/ngx_stream_module.so");

  private static final Pattern PLACEHOLDER = Pattern.compile("\\$\\{([A-Z0-9_]+)}");

  private PeerPrograms() {}

  /** The absolute path of {@code program}, or a failure naming the Debian package to install. */
  static String require(String program, String debianPackage) {
    List<String> dirs = new ArrayList<>();
    String path = System.getenv("PATH");
    if (path != null) {
      dirs.addAll(List.of(path.split(java.io.File.pathSeparator)));
    }
    dirs.addAll(EXTRA_DIRS);
    for (String dir : dirs) {
      if (dir.isEmpty()) {
        continue;
      }
      Path candidate = Path.of(dir, program);
      if (Files.isRegularFile(candidate) && Files.isExecutable(candidate)) {
        return candidate.toString();
      }
    }
    return missing(program + " not installed (searched PATH and " + EXTRA_DIRS + ")",
        debianPackage);
  }

  /** The nginx stream module file, which Debian ships apart from nginx itself. */
  static String requireNginxStreamModule() {
    return NGINX_STREAM_MODULE.stream().filter(file -> Files.isRegularFile(Path.of(file)))
        .findFirst()
        .orElseGet(() -> missing("nginx stream module not found at any of " + NGINX_STREAM_MODULE,
            "libnginx-mod-stream"));
  }

  private static String missing(String what, String debianPackage) {
    return missing(what, debianPackage, Boolean.getBoolean(SKIP_PROPERTY));
  }

  /** Fails (or aborts the test when {@code skip}); never returns normally. */
  static String missing(String what, String debianPackage, boolean skip) {
    String message = what + ": .ci/run installs it (apt-get install " + debianPackage
        + "); on a developer machine install it or run with -D" + SKIP_PROPERTY + "=true";
    if (skip) {
      Assumptions.abort("skipped by -D" + SKIP_PROPERTY + "=true: " + message);
    }
    return fail(message);
  }

  /**
   * A port that was free on 127.0.0.1 a moment ago, for peers that need a concrete port in
   * their config. Jetty itself binds port 0 instead.
   */
  static int freePort() {
    try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      return socket.getLocalPort();
    } catch (IOException e) {
      throw new UncheckedIOException("no free port on 127.0.0.1", e);
    }
  }

  /** Reads {@code /peers/NAME} from the test resources and fills in every ${KEY}. */
  static String render(String resource, Map<String, ?> values) {
    String template;
    try (InputStream in = PeerPrograms.class.getResourceAsStream("/peers/" + resource)) {
      if (in == null) {
        throw new IllegalStateException("test resource /peers/" + resource + " is missing");
      }
      template = new String(in.readAllBytes(), StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    Matcher matcher = PLACEHOLDER.matcher(template);
    StringBuilder out = new StringBuilder();
    while (matcher.find()) {
      Object value = values.get(matcher.group(1));
      if (value == null) {
        throw new IllegalArgumentException("/peers/" + resource + " uses ${" + matcher.group(1)
            + "} but only " + values.keySet() + " were given");
      }
      matcher.appendReplacement(out, Matcher.quoteReplacement(value.toString()));
    }
    return matcher.appendTail(out).toString();
  }

  /** Writes a rendered template into dir and returns its path. */
  static Path writeConfig(Path dir, String resource, Map<String, ?> values) {
    Path file = dir.resolve(resource);
    try {
      return Files.writeString(file, render(resource, values));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /**
   * Closes each non-null resource in order, even when an earlier one fails, so one stuck peer
   * does not leave the others running; the first failure is thrown with the rest suppressed.
   */
  static void closeAll(AutoCloseable... resources) throws Exception {
    Exception first = null;
    for (AutoCloseable resource : resources) {
      if (resource == null) {
        continue;
      }
      try {
        resource.close();
      } catch (Exception e) {
        if (first == null) {
          first = e;
        } else {
          first.addSuppressed(e);
        }
      }
    }
    if (first != null) {
      throw first;
    }
  }
}

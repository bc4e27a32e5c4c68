package dev.trustproxy.jetty.peers;

import dev.trustproxy.testsupport.ExternalProcess;
import dev.trustproxy.testsupport.Peer;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Renders the peers' config templates and stops what a test started. Finding the programs, and
 * skipping or failing without them, is {@link dev.trustproxy.testsupport.Peer}'s job.
 */
final class PeerPrograms {

  private static final Pattern PLACEHOLDER = Pattern.compile("\\$\\{([A-Z0-9_]+)}");

  private PeerPrograms() {}

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
   * Starts Varnish in the foreground ({@code -F}) with its working folder in {@code work}, without
   * its jail ({@code -j none}: it runs as whoever runs the tests and can read their temp folder)
   * or management port ({@code -T none}: nothing listens but {@code listen}), and a small thread
   * pool; one {@code -a} per listen address ({@code 127.0.0.1:port}, {@code [::1]:port}).
   */
  static ExternalProcess startVarnish(Path work, Path vcl, List<String> listen) {
    List<String> command = new ArrayList<>(List.of(Peer.VARNISH.path(), "-F", "-j", "none",
        "-T", "none", "-n", work.resolve("varnish").toString(), "-f", vcl.toString(),
        "-s", "malloc,32m", "-p", "thread_pools=1", "-p", "thread_pool_min=5",
        "-p", "thread_pool_max=50"));
    listen.forEach(address -> command.addAll(List.of("-a", address)));
    return ExternalProcess.start("varnish", work, command);
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

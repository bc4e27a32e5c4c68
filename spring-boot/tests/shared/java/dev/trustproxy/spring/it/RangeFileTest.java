package dev.trustproxy.spring.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * A range file named in {@code trustproxy.trust-proxy} is read again every {@code
 * trustproxy.reload-interval} by whichever adapter the starter wired (valve, customizer or filter):
 * a hop added to the file is trusted while the application runs.
 */
class RangeFileTest {

  private static final String HOPS = "X-Forwarded-For: 203.0.113.9, 192.0.2.44";

  @Test
  void aHopAddedToTheFileIsTrustedWithinTheReloadInterval(@TempDir Path dir) throws Exception {
    Path file = dir.resolve("proxies.txt");
    Files.writeString(file, "127.0.0.0/8\n");
    try (ConfigurableApplicationContext app = Apps.start("--trustproxy.trust-proxy=file:" + file,
        "--trustproxy.reload-interval=1s")) {
      int port = Apps.port(app);
      assertThat(Apps.get(port, "/who", HOPS).echo()).containsEntry("remote", "192.0.2.44");
      Files.writeString(file, "127.0.0.0/8\n192.0.2.0/24\n");
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
      String remote = Apps.get(port, "/who", HOPS).echo().get("remote");
      while (!remote.equals("203.0.113.9") && System.nanoTime() < deadline) {
        Thread.sleep(200);
        remote = Apps.get(port, "/who", HOPS).echo().get("remote");
      }
      assertThat(remote).isEqualTo("203.0.113.9");
    }
  }
}

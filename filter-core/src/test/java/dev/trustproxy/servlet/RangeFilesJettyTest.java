package dev.trustproxy.servlet;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.trustproxy.RangeReloader;
import dev.trustproxy.testsupport.ChangingFiles;
import jakarta.servlet.DispatcherType;
import jakarta.servlet.ServletException;
import java.io.IOException;
import java.nio.file.Path;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import org.eclipse.jetty.ee10.servlet.FilterHolder;
import org.eclipse.jetty.ee10.servlet.ServletContextHandler;
import org.eclipse.jetty.ee10.servlet.ServletHolder;
import org.eclipse.jetty.server.Server;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code trust-proxy} and {@code trusted-peers} from files on a real Jetty: the list is re-read
 * while requests run, a bad update keeps the last good list and is counted, and the polling
 * thread ends with the filter (README D80, D82, D83).
 */
class RangeFilesJettyTest {

  @TempDir Path dir;

  private Path write(String content) throws IOException {
    return ChangingFiles.replace(dir, "trusted.txt", content);
  }

  private static long reloaderThreads() {
    return ChangingFiles.threads(RangeReloader.THREAD_PREFIX);
  }

  private static String remoteAddr(int port) throws IOException {
    return EmbeddedJetty.get(port, "/echo", List.<String[]>of(
        new String[] {"X-Forwarded-For", "203.0.113.7"})).echo().get("remoteAddr");
  }

  /** The answer once it is {@code expected}, or after a bounded wait (the files poll every 1 s). */
  private static String awaitRemoteAddr(int port, String expected) throws Exception {
    ChangingFiles.await(() -> expected.equals(remoteAddrOrError(port)));
    return remoteAddr(port);
  }

  private static String remoteAddrOrError(int port) {
    try {
      return remoteAddr(port);
    } catch (IOException e) {
      return e.toString();
    }
  }

  @Test
  void theTrustedListIsReloadedWhileServingAndABadUpdateIsCountedOnce() throws Exception {
    long threadsBefore = reloaderThreads();
    Path file = write("# the proxies\n127.0.0.1\n");
    ServletContextHandler context = new ServletContextHandler();
    FilterHolder holder = new FilterHolder(TrustProxyFilter.class);
    holder.setName("ranges");
    holder.setInitParameter("trust-proxy", "file:" + file);
    holder.setInitParameter("reload-interval", "1");
    holder.setInitParameter("jmx", "false");
    context.addFilter(holder, "/*", EnumSet.allOf(DispatcherType.class));
    context.addServlet(new ServletHolder(new EchoServlet()), "/echo");
    Server server = EmbeddedJetty.start(context);
    try {
      int port = EmbeddedJetty.port(server);
      TrustProxyFilter filter = (TrustProxyFilter) holder.getFilter();
      assertThat(reloaderThreads()).isEqualTo(threadsBefore + 1);
      assertThat(remoteAddr(port)).isEqualTo("203.0.113.7");
      assertThat(filter.statistics().getTrustProxy()).isEqualTo("file:" + file);

      write("192.0.2.0/24\n");
      assertThat(awaitRemoteAddr(port, "127.0.0.1")).isEqualTo("127.0.0.1");

      write("127.0.0.1\n127.0.0.300\n");
      ChangingFiles.await(() -> filter.statistics().getRangeReloadFailures() > 0);
      assertThat(filter.statistics().getRangeReloadFailures()).isEqualTo(1);
      assertThat(remoteAddr(port)).as("the last good list stays").isEqualTo("127.0.0.1");

      write("127.0.0.0/8\n");
      assertThat(awaitRemoteAddr(port, "203.0.113.7")).isEqualTo("203.0.113.7");
      assertThat(filter.statistics().getRangeReloadFailures()).isEqualTo(1);
    } finally {
      EmbeddedJetty.stop(server);
    }
    assertThat(reloaderThreads()).as("destroy stops the thread").isEqualTo(threadsBefore);
  }

  private static jakarta.servlet.http.HttpServletRequest xff(String peer) {
    return TestRequest.create(peer, false, List.<String[]>of(
        new String[] {"X-Forwarded-For", "203.0.113.7"}));
  }

  @Test
  void aTrustedPeersFileGatesTheHeader() throws Exception {
    Path file = write("192.0.2.1\n");
    TrustProxyFilter filter = FilterRuns.initialised(Map.of("trust-proxy", "true",
        "trusted-peers", "file:" + file));
    try {
      assertThat(FilterRuns.through(filter, xff("192.0.2.1"))
          .getRemoteAddr()).isEqualTo("203.0.113.7");
      assertThat(FilterRuns.through(filter, xff("192.0.2.2"))
          .getRemoteAddr()).isEqualTo("192.0.2.2");
      // The gate over JMX is the set in use now.
      assertThat(filter.statistics().getTrustedPeers()).isEqualTo("192.0.2.1/32");
    } finally {
      filter.destroy();
    }
  }

  @Test
  void aMissingFileStopsStartUpNamingTheInitParam() {
    String item = "file:" + dir.resolve("absent.txt");
    assertThatThrownBy(() -> FilterRuns.initialised(Map.of("trust-proxy", item)))
        .isInstanceOf(ServletException.class)
        .hasMessage("init-param trust-proxy: '" + item + "' does not exist: expected a file of"
            + " addresses and ranges");
  }

  @Test
  void aBadReloadIntervalStopsStartUpNamingTheInitParam() {
    assertThatThrownBy(() -> FilterRuns.initialised(Map.of("trust-proxy", "loopback",
        "reload-interval", "30s")))
        .isInstanceOf(ServletException.class)
        .hasMessage("init-param reload-interval: '30s' is not a reload interval: expected whole"
            + " seconds, 1 to 86400 (default 30)");
  }
}

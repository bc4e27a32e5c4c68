package dev.trustproxy.tomcat;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.trustproxy.RangeReloader;
import dev.trustproxy.testsupport.ChangingFiles;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Path;
import java.util.Set;
import javax.management.MBeanServer;
import javax.management.ObjectName;
import org.apache.catalina.LifecycleException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The valve's {@code trustProxy} from a file on a real Tomcat: reloaded while serving, a bad
 * update kept out and counted as the MBean attribute {@code rangeReloadFailures}, the thread
 * stopped with the valve (README D80, D82, D83).
 */
class TrustProxyValveRangeFilesTest {

  private static final String CLIENT = "X-Forwarded-For: 203.0.113.7";

  @TempDir Path dir;

  private Path write(String content) throws IOException {
    return ChangingFiles.replace(dir, "trusted.txt", content);
  }

  private static long reloaderThreads() {
    return ChangingFiles.threads(RangeReloader.THREAD_PREFIX);
  }

  private static String ip(EmbeddedTomcat tomcat) throws Exception {
    return RawHttp.get(tomcat.port(), "/", CLIENT).values().get("ip");
  }

  /** The answer once it is {@code expected}, or after a bounded wait (the files poll every 1 s). */
  private static String awaitIp(EmbeddedTomcat tomcat, String expected) throws Exception {
    ChangingFiles.await(() -> expected.equals(ipOrError(tomcat)));
    return ip(tomcat);
  }

  private static String ipOrError(EmbeddedTomcat tomcat) {
    try {
      return ip(tomcat);
    } catch (Exception e) {
      return e.toString();
    }
  }

  @Test
  void theTrustedListIsReloadedWhileServingAndABadUpdateIsCounted() throws Exception {
    long threadsBefore = reloaderThreads();
    Path file = write("127.0.0.1\n");
    TrustProxyValve valve = new TrustProxyValve();
    valve.setTrustProxy("file:" + file);
    valve.setReloadInterval("1");
    EmbeddedTomcat started = new EmbeddedTomcat().servlet("echo", new EchoServlet(), "/*");
    started.host().getPipeline().addValve(valve);
    try (EmbeddedTomcat tomcat = started.start()) {
      assertThat(reloaderThreads()).isEqualTo(threadsBefore + 1);
      assertThat(ip(tomcat)).isEqualTo("203.0.113.7");

      write("192.0.2.0/24\n");
      assertThat(awaitIp(tomcat, "127.0.0.1")).isEqualTo("127.0.0.1");

      write("not a range\n");
      ChangingFiles.await(() -> valve.getRangeReloadFailures() > 0);
      MBeanServer server = ManagementFactory.getPlatformMBeanServer();
      Set<ObjectName> names = server.queryNames(
          new ObjectName("*:type=Valve,host=localhost,name=TrustProxyValve"), null);
      assertThat(names).hasSize(1);
      ObjectName name = names.iterator().next();
      assertThat(server.getAttribute(name, "rangeReloadFailures")).isEqualTo(1L);
      assertThat(server.getAttribute(name, "reloadInterval")).isEqualTo("1");
      assertThat(ip(tomcat)).as("the last good list stays").isEqualTo("127.0.0.1");
    }
    assertThat(reloaderThreads()).as("stopInternal stops the thread").isEqualTo(threadsBefore);
  }

  @Test
  void aMalformedFileFailsTheStartNamingTheSettingAndTheLine() throws Exception {
    Path file = write("127.0.0.1\n127.0.0.1/33\n");
    TrustProxyValve valve = new TrustProxyValve();
    valve.setTrustProxy("file:" + file);
    EmbeddedTomcat tomcat = new EmbeddedTomcat().servlet("echo", new EchoServlet(), "/*");
    tomcat.host().getPipeline().addValve(valve);
    try {
      assertThatThrownBy(tomcat::start).isInstanceOf(LifecycleException.class)
          .hasStackTraceContaining("TrustProxyValve: trustProxy: 'file:" + file + "' line 2:"
              + " '127.0.0.1/33' has a prefix length that is too long: expected at most 32");
    } finally {
      closeQuietly(tomcat);
    }
  }

  @Test
  void aBadReloadIntervalFailsTheStart() throws Exception {
    TrustProxyValve valve = new TrustProxyValve();
    valve.setTrustProxy("loopback");
    valve.setReloadInterval("0");
    EmbeddedTomcat tomcat = new EmbeddedTomcat().servlet("echo", new EchoServlet(), "/*");
    tomcat.host().getPipeline().addValve(valve);
    try {
      assertThatThrownBy(tomcat::start).hasStackTraceContaining(
          "reloadInterval: '0' is not a reload interval: expected whole seconds, 1 to 86400");
    } finally {
      closeQuietly(tomcat);
    }
  }

  private static void closeQuietly(EmbeddedTomcat tomcat) {
    try {
      tomcat.close();
    } catch (LifecycleException ignored) {
      // a Tomcat that failed to start may refuse to stop
    }
  }
}

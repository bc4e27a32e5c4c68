package dev.trustproxy.jetty;

import static dev.trustproxy.proxyprotocol.Bytes.ascii;
import static dev.trustproxy.proxyprotocol.Bytes.concat;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.trustproxy.RangeReloader;
import dev.trustproxy.testsupport.ChangingFiles;
import dev.trustproxy.testsupport.RawClient;
import java.io.IOException;
import java.nio.file.Path;
import org.eclipse.jetty.server.HttpConfiguration;
import org.eclipse.jetty.server.HttpConnectionFactory;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The PROXY factory's {@code trustedSources} and the customizer's {@code trustProxy} from files
 * on a real Jetty: re-read while serving, a bad update kept out and counted, the polling thread
 * ended with the server (README D80, D82, D83).
 */
class RangeFilesJettyConnectorTest {

  private static final byte[] V1 = ascii("PROXY TCP4 192.168.0.1 192.168.0.11 56324 443\r\n");
  private static final byte[] GET =
      ascii("GET /hello HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n");
  private static final byte[] GET_XFF = ascii("GET /hello HTTP/1.1\r\nHost: x\r\n"
      + "X-Forwarded-For: 203.0.113.7\r\nConnection: close\r\n\r\n");

  @TempDir Path dir;

  private Path write(String content) throws IOException {
    return ChangingFiles.replace(dir, "trusted.txt", content);
  }

  private static long reloaderThreads() {
    return ChangingFiles.threads(RangeReloader.THREAD_PREFIX);
  }

  private static String exchange(int port, byte[] bytes) throws Exception {
    try (RawClient client = new RawClient(port)) {
      return client.sendIgnoringReset(bytes).readUntilClosed().response();
    }
  }

  private static Server server(ProxyProtocolConnectionFactory proxy, HttpConfiguration config) {
    Server server = new Server();
    HttpConnectionFactory http = new HttpConnectionFactory(config);
    ServerConnector connector = proxy == null
        ? new ServerConnector(server, 1, 1, http)
        : new ServerConnector(server, 1, 1, proxy, http);
    connector.setHost("127.0.0.1");
    connector.setPort(0);
    server.addConnector(connector);
    server.setHandler(new EchoHandler());
    return server;
  }

  private static int port(Server server) {
    return ((ServerConnector) server.getConnectors()[0]).getLocalPort();
  }

  @Test
  void theTrustedSourcesFileIsReloadedWhileServingAndABadUpdateIsCounted() throws Exception {
    long threadsBefore = reloaderThreads();
    Path file = write("127.0.0.1\n");
    ProxyProtocolConnectionFactory proxy = new ProxyProtocolConnectionFactory("http/1.1");
    proxy.setTrustedSources("file:" + file);
    proxy.setReloadInterval("1");
    Server server = server(proxy, new HttpConfiguration());
    server.start();
    try {
      int port = port(server);
      assertThat(reloaderThreads()).isEqualTo(threadsBefore + 1);
      assertThat(exchange(port, concat(V1, GET))).contains("remote=192.168.0.1:56324");

      write("192.0.2.0/24\n");
      ChangingFiles.await(() -> proxy.getTrustedSources().toString().equals("192.0.2.0/24"));
      assertThat(exchange(port, concat(V1, GET))).as("127.0.0.1 is no longer trusted").isEmpty();
      assertThat(proxy.getRejectedUntrusted()).isEqualTo(1);

      write("{\"prefixes\": [");
      ChangingFiles.await(() -> proxy.getRangeReloadFailures() > 0);
      assertThat(proxy.getRangeReloadFailures()).isEqualTo(1);
      assertThat(proxy.getTrustedSources()).hasToString("192.0.2.0/24");
    } finally {
      server.stop();
    }
    assertThat(reloaderThreads()).as("doStop ends the thread").isEqualTo(threadsBefore);
  }

  @Test
  void aCustomizerAddedAsABeanReloadsItsTrustFile() throws Exception {
    long threadsBefore = reloaderThreads();
    Path file = write("127.0.0.1\n");
    TrustProxyCustomizer customizer = new TrustProxyCustomizer();
    customizer.setTrustProxy("file:" + file);
    customizer.setReloadInterval("1");
    HttpConfiguration config = new HttpConfiguration();
    config.addCustomizer(customizer);
    Server server = server(null, config);
    server.addBean(customizer);
    server.start();
    try {
      int port = port(server);
      assertThat(exchange(port, GET_XFF)).contains("remote=203.0.113.7:0");
      write("192.0.2.0/24\n");
      assertThat(customizer.getTrustProxy()).isEqualTo("file:" + file);
      ChangingFiles.await(() -> exchange(port).contains("remote=127.0.0.1:"));
      assertThat(exchange(port, GET_XFF)).contains("remote=127.0.0.1:");
      write("127.0.0.1/40\n");
      ChangingFiles.await(() -> customizer.getRangeReloadFailures() > 0);
      assertThat(customizer.getRangeReloadFailures()).isEqualTo(1);
    } finally {
      server.stop();
    }
    assertThat(reloaderThreads()).isEqualTo(threadsBefore);
  }

  /** {@link #exchange} for a condition: an I/O failure is an answer that is not the client. */
  private static String exchange(int port) {
    try {
      return exchange(port, GET_XFF);
    } catch (Exception e) {
      return e.toString();
    }
  }

  @Test
  void aMissingTrustedSourcesFileIsRefusedWhenSet() {
    ProxyProtocolConnectionFactory proxy = new ProxyProtocolConnectionFactory("http/1.1");
    String item = "file:" + dir.resolve("absent.txt");
    assertThatThrownBy(() -> proxy.setTrustedSources(item))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("trustedSources: '" + item + "' does not exist: expected a file of addresses"
            + " and ranges");
  }
}

package dev.trustproxy.tomcat;

import static org.assertj.core.api.Assertions.assertThat;

import dev.trustproxy.RangeReloader;
import dev.trustproxy.testsupport.ChangingFiles;
import dev.trustproxy.testsupport.RawClient;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code proxyProtocolTrustedSources} from a file on a real Tomcat connector: re-read while
 * serving, a bad update kept out and counted, the polling thread ended with the connector
 * (README D80, D82, D83).
 */
class ProxyProtocolRangeFilesTest {

  private static final byte[] REQUEST = ("PROXY TCP4 192.168.0.1 192.168.0.11 56324 443\r\n"
      + "GET / HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n").getBytes(StandardCharsets.US_ASCII);

  @TempDir Path dir;

  private Path write(String content) throws IOException {
    return ChangingFiles.replace(dir, "trusted.txt", content);
  }

  private static long reloaderThreads() {
    return ChangingFiles.threads(RangeReloader.THREAD_PREFIX);
  }

  private static String exchange(ProxyProtocolTomcat tomcat) throws Exception {
    try (RawClient client = new RawClient(tomcat.port())) {
      return client.sendIgnoringReset(REQUEST).readUntilClosed().response();
    }
  }

  @Test
  void theTrustedSourcesFileIsReloadedWhileServingAndABadUpdateIsCounted() throws Exception {
    long threadsBefore = reloaderThreads();
    Path file = write("127.0.0.1\n");
    try (ProxyProtocolTomcat tomcat = ProxyProtocolTomcat.start("file:" + file,
        c -> ((TrustProxyHttp11NioProtocol) c.getProtocolHandler())
            .setProxyProtocolReloadInterval("1"))) {
      TrustProxyHttp11NioProtocol protocol = tomcat.protocol();
      assertThat(reloaderThreads()).isEqualTo(threadsBefore + 1);
      assertThat(exchange(tomcat)).startsWith("HTTP/1.1 200");

      write("192.0.2.0/24\n");
      ChangingFiles.await(() -> protocol.getProxyProtocolSettings().trustedSources()
          .toString().equals("192.0.2.0/24"));
      assertThat(exchange(tomcat)).as("127.0.0.1 is no longer trusted").isEmpty();
      assertThat(protocol.getProxyProtocolRejectedUntrusted()).isEqualTo(1);

      write("127.0.0.1\n::1/129\n");
      ChangingFiles.await(() -> protocol.getProxyProtocolRangeReloadFailures() > 0);
      assertThat(protocol.getProxyProtocolRangeReloadFailures()).isEqualTo(1);
      assertThat(protocol.getProxyProtocolSettings().trustedSources())
          .hasToString("192.0.2.0/24");
    }
    assertThat(reloaderThreads()).as("stop ends the thread").isEqualTo(threadsBefore);
  }
}

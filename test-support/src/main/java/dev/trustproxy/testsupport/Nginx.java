package dev.trustproxy.testsupport;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * nginx as the tests run it: in the foreground, with its prefix, pid file, temp folders and error
 * log ({@code error.log}) in the test's folder, so nothing is written to /var.
 */
public final class Nginx {

  private Nginx() {}

  /** Starts nginx with {@code config}; {@code -e} because nginx opens its error log first. */
  public static ExternalProcess start(Path work, Path config) {
    return ExternalProcess.start("nginx", work, List.of(Peer.NGINX.path(), "-p", work + "/",
        "-c", config.toString(), "-e", errorLogFile(work).toString(), "-g", "daemon off;"));
  }

  /**
   * Writes {@code nginx.conf} in {@code work}: one worker, the pid file, error log and temp
   * folders in {@code work}, no access log, and {@code http} (directives and {@code server}
   * blocks) inside {@code http { }}.
   */
  public static Path writeHttpConfig(Path work, String http) {
    String config = """
        worker_processes 1;
        pid %1$s/nginx.pid;
        error_log %2$s info;
        events { worker_connections 64; }
        http {
          access_log off;
          client_body_temp_path %1$s/client_body;
          proxy_temp_path %1$s/proxy;
          fastcgi_temp_path %1$s/fastcgi;
          uwsgi_temp_path %1$s/uwsgi;
          scgi_temp_path %1$s/scgi;
        %3$s
        }
        """.formatted(work, errorLogFile(work), http.indent(2).stripTrailing());
    try {
      return Files.writeString(work.resolve("nginx.conf"), config);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** What nginx wrote to its error log so far, for failure messages. */
  public static String errorLog(Path work) {
    return ExternalProcess.readQuietly(errorLogFile(work));
  }

  private static Path errorLogFile(Path work) {
    return work.resolve("error.log");
  }
}

package dev.trustproxy.tomcat;

import java.io.CharArrayWriter;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.apache.catalina.valves.AbstractAccessLogValve;

/**
 * Tomcat's access log machinery (patterns, {@code requestAttributesEnabled}, logging after the
 * request) with lines kept in memory instead of a file. Tomcat writes the line after the
 * response is sent, so {@link #next()} waits for it.
 */
final class CapturingAccessLog extends AbstractAccessLogValve {

  private final BlockingQueue<String> lines = new LinkedBlockingQueue<>();

  CapturingAccessLog(String pattern, boolean requestAttributesEnabled) {
    setPattern(pattern);
    setRequestAttributesEnabled(requestAttributesEnabled);
  }

  @Override
  protected void log(CharArrayWriter message) {
    lines.add(message.toString());
  }

  String next() throws InterruptedException {
    String line = lines.poll(30, TimeUnit.SECONDS);
    if (line == null) {
      throw new AssertionError("no access log line was written");
    }
    return line;
  }

  /**
   * The next line that contains {@code text}, skipping the others: for tests that share one
   * Tomcat, whose earlier requests' lines may still arrive (Tomcat logs after the response).
   */
  String nextContaining(String text) throws InterruptedException {
    while (true) {
      String line = next();
      if (line.contains(text)) {
        return line;
      }
    }
  }
}

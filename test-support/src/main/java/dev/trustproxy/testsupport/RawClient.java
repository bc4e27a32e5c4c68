package dev.trustproxy.testsupport;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Map;

/**
 * A TCP client on 127.0.0.1 that writes raw PROXY and HTTP bytes and reads what the server sent
 * until it closes: the one raw client of the Jetty and Tomcat connector tests. Test scaffolding.
 */
public final class RawClient implements AutoCloseable {

  /** What the server did: the bytes it sent, and whether it closed the connection. */
  public record Outcome(String response, boolean closed, long millis) {
    public boolean noResponse() {
      return response.isEmpty();
    }

    /** The {@code key=value} pairs of a 200 response's body ({@link RawClient#echoBody}). */
    public Map<String, String> echo() {
      if (!response.startsWith("HTTP/1.1 200")) {
        throw new AssertionError("not a 200 response: " + response);
      }
      return echoBody(response.substring(response.indexOf("\r\n\r\n") + 4));
    }
  }

  /** The {@code key=value} pairs of an echo servlet body, separated by white space. */
  public static Map<String, String> echoBody(String body) {
    Map<String, String> values = new HashMap<>();
    for (String pair : body.trim().split("\\s+")) {
      int eq = pair.indexOf('=');
      if (eq < 0) {
        throw new AssertionError("not an echo servlet body: " + body);
      }
      values.put(pair.substring(0, eq), pair.substring(eq + 1));
    }
    return values;
  }

  private final Socket socket;
  private final long openedNanos = System.nanoTime();

  public RawClient(int port) throws IOException {
    socket = new Socket(InetAddress.getLoopbackAddress(), port);
    socket.setTcpNoDelay(true);
    socket.setSoTimeout(15_000);
  }

  public int localPort() {
    return socket.getLocalPort();
  }

  public RawClient send(byte[] bytes) throws IOException {
    socket.getOutputStream().write(bytes);
    socket.getOutputStream().flush();
    return this;
  }

  /** Writes {@code [from, to)}, ignoring a reset: the server may close while we write. */
  public RawClient sendIgnoringReset(byte[] bytes, int from, int to) {
    try {
      socket.getOutputStream().write(bytes, from, to - from);
      socket.getOutputStream().flush();
    } catch (IOException closedByServer) {
      // expected in rejection tests
    }
    return this;
  }

  public RawClient sendIgnoringReset(byte[] bytes) {
    return sendIgnoringReset(bytes, 0, bytes.length);
  }

  /** Ends the stream towards the server (half-close), as a client with nothing more to say. */
  public void shutdownOutput() throws IOException {
    socket.shutdownOutput();
  }

  /** Reads until the server closes (or 15 s pass: then {@code closed} is false). */
  public Outcome readUntilClosed() throws IOException {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    InputStream in = socket.getInputStream();
    byte[] chunk = new byte[8192];
    boolean closed;
    try {
      while (true) {
        int n = in.read(chunk);
        if (n < 0) {
          closed = true;
          break;
        }
        out.write(chunk, 0, n);
      }
    } catch (SocketTimeoutException stillOpen) {
      closed = false;
    } catch (IOException reset) {
      closed = true;
    }
    return new Outcome(
        out.toString(StandardCharsets.ISO_8859_1),
        closed,
        (System.nanoTime() - openedNanos) / 1_000_000);
  }

  @Override
  public void close() throws IOException {
    socket.close();
  }
}

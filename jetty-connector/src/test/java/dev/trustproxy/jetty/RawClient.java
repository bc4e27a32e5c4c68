package dev.trustproxy.jetty;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;

/** A plain TCP client on 127.0.0.1 for raw PROXY bytes. */
final class RawClient implements AutoCloseable {

  /** What the server did: the bytes it sent, and whether it closed the connection. */
  record Outcome(String response, boolean closed, long millis) {
    boolean noResponse() {
      return response.isEmpty();
    }
  }

  private final Socket socket;
  private final long openedNanos = System.nanoTime();

  RawClient(int port) throws IOException {
    socket = new Socket(InetAddress.getLoopbackAddress(), port);
    socket.setTcpNoDelay(true);
    socket.setSoTimeout(15_000);
  }

  RawClient send(byte[] bytes) throws IOException {
    socket.getOutputStream().write(bytes);
    socket.getOutputStream().flush();
    return this;
  }

  /** Writes, ignoring a reset: the server may close while we are still writing. */
  RawClient sendIgnoringReset(byte[] bytes) {
    try {
      send(bytes);
    } catch (IOException closedByServer) {
      // expected in rejection tests
    }
    return this;
  }

  /** Reads until the server closes (or 15 s pass: then {@code closed} is false). */
  Outcome readUntilClosed() throws IOException {
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

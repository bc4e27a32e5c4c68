package dev.trustproxy.integration;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketException;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;

/**
 * A plain TCP client on 127.0.0.1 that writes exactly the bytes it is given (no HTTP library
 * would send a broken PROXY header) and reads back either HTTP responses or the server closing
 * the connection.
 */
final class RawConnection implements AutoCloseable {

  /** How long a read waits before the test calls the connection "still open". */
  static final int READ_TIMEOUT_MILLIS = 5000;

  private final Socket socket;
  private final InputStream in;
  private final OutputStream out;
  final long connectedNanos;

  RawConnection(int port) throws IOException {
    socket = new Socket();
    socket.setTcpNoDelay(true);
    socket.setSoTimeout(READ_TIMEOUT_MILLIS);
    socket.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 5000);
    connectedNanos = System.nanoTime();
    in = socket.getInputStream();
    out = socket.getOutputStream();
  }

  RawConnection write(byte[] bytes) throws IOException {
    out.write(bytes);
    out.flush();
    return this;
  }

  RawConnection write(String latin1) throws IOException {
    return write(latin1.getBytes(StandardCharsets.ISO_8859_1));
  }

  /** Writes one byte per {@code write} call, pausing so each lands in its own TCP segment. */
  RawConnection writeByteByByte(byte[] bytes, long pauseMillis) throws IOException {
    for (byte b : bytes) {
      out.write(b);
      out.flush();
      sleep(pauseMillis);
    }
    return this;
  }

  /**
   * Everything the server sends until it closes the connection; throws when it stays open for
   * {@link #READ_TIMEOUT_MILLIS}. A reset counts as closed (the server closed with our bytes
   * still unread).
   */
  Closed readUntilClosed() throws IOException {
    ByteArrayOutputStream received = new ByteArrayOutputStream();
    byte[] chunk = new byte[8192];
    try {
      int n;
      while ((n = in.read(chunk)) >= 0) {
        received.write(chunk, 0, n);
      }
    } catch (SocketTimeoutException stillOpen) {
      throw new AssertionError(
          "connection still open after " + READ_TIMEOUT_MILLIS + " ms; received so far: "
              + received.toString(StandardCharsets.ISO_8859_1));
    } catch (SocketException reset) {
      // "Connection reset": closed by the server while our bytes were unread.
    }
    long millis = (System.nanoTime() - connectedNanos) / 1_000_000;
    return new Closed(received.toString(StandardCharsets.ISO_8859_1), millis);
  }

  /** One HTTP/1.1 response with a Content-Length body; the connection stays usable. */
  Response readResponse() throws IOException {
    ByteArrayOutputStream head = new ByteArrayOutputStream();
    int matched = 0;
    while (matched < 4) {
      int b = in.read();
      if (b < 0) {
        throw new IOException("closed after " + head.size() + " bytes of a response head: "
            + head.toString(StandardCharsets.ISO_8859_1));
      }
      head.write(b);
      matched = (b == "\r\n\r\n".charAt(matched)) ? matched + 1 : (b == '\r' ? 1 : 0);
    }
    String headText = head.toString(StandardCharsets.ISO_8859_1);
    int length = 0;
    for (String line : headText.split("\r\n")) {
      if (line.regionMatches(true, 0, "Content-Length:", 0, 15)) {
        length = Integer.parseInt(line.substring(15).trim());
      }
    }
    byte[] body = in.readNBytes(length);
    return Response.of(headText + new String(body, StandardCharsets.UTF_8));
  }

  boolean isClosedByServer() throws IOException {
    try {
      return in.read() < 0;
    } catch (SocketException reset) {
      return true;
    }
  }

  @Override
  public void close() throws IOException {
    socket.close();
  }

  static void sleep(long millis) {
    try {
      Thread.sleep(millis);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  /** What arrived before the server closed, and when (milliseconds after connect). */
  record Closed(String received, long afterMillis) {
    Response response() {
      return Response.of(received);
    }
  }
}

package dev.trustproxy.tomcat;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * A plain HTTP/1.x client on 127.0.0.1 that sends the bytes it is given (any Host line, repeated
 * headers, bytes before the request) and reads the reply until the server closes.
 */
final class RawHttp {

  private RawHttp() {}

  /** A reply: status, header lines in order, and the body (name=value lines from the echo). */
  record Reply(int status, List<String[]> headers, String body) {

    /** The body's {@code name=value} lines. */
    Map<String, String> values() {
      Map<String, String> values = new LinkedHashMap<>();
      for (String line : body.split("\n")) {
        int eq = line.indexOf('=');
        if (eq > 0) {
          values.put(line.substring(0, eq), line.substring(eq + 1).stripTrailing());
        }
      }
      return values;
    }

    /** Every value of header {@code name} (any case). */
    List<String> header(String name) {
      List<String> values = new ArrayList<>();
      for (String[] h : headers) {
        if (h[0].equalsIgnoreCase(name)) {
          values.add(h[1]);
        }
      }
      return values;
    }
  }

  /** {@code GET path HTTP/1.1} with {@code Host: app.example} and the given header lines. */
  static Reply get(int port, String path, String... headerLines) throws IOException {
    StringBuilder request = new StringBuilder("GET ").append(path).append(" HTTP/1.1\r\n");
    boolean host = false;
    for (String line : headerLines) {
      host |= line.toLowerCase(Locale.ROOT).startsWith("host:");
      request.append(line).append("\r\n");
    }
    if (!host) {
      request.append("Host: app.example\r\n");
    }
    request.append("Connection: close\r\n\r\n");
    return exchange(port, request.toString().getBytes(StandardCharsets.ISO_8859_1));
  }

  /** Sends {@code bytes} on a new connection and reads the reply until the server closes. */
  static Reply exchange(int port, byte[] bytes) throws IOException {
    byte[] raw;
    try (Socket socket = new Socket(InetAddress.getLoopbackAddress(), port)) {
      socket.setSoTimeout(30_000);
      socket.getOutputStream().write(bytes);
      socket.getOutputStream().flush();
      ByteArrayOutputStream out = new ByteArrayOutputStream();
      InputStream in = socket.getInputStream();
      byte[] chunk = new byte[8192];
      for (int n; (n = in.read(chunk)) >= 0; ) {
        out.write(chunk, 0, n);
      }
      raw = out.toByteArray();
    }
    return parse(new String(raw, StandardCharsets.ISO_8859_1));
  }

  static Reply parse(String response) {
    int end = response.indexOf("\r\n\r\n");
    String head = end < 0 ? response : response.substring(0, end);
    String body = end < 0 ? "" : response.substring(end + 4);
    String[] lines = head.split("\r\n");
    int status = lines[0].length() >= 12 ? Integer.parseInt(lines[0].substring(9, 12)) : -1;
    List<String[]> headers = new ArrayList<>();
    for (int i = 1; i < lines.length; i++) {
      int colon = lines[i].indexOf(':');
      if (colon > 0) {
        headers.add(new String[] {lines[i].substring(0, colon), lines[i].substring(colon + 1).strip()});
      }
    }
    boolean chunked = headersSay(headers, "transfer-encoding", "chunked");
    return new Reply(status, headers, chunked ? dechunk(body) : body);
  }

  private static boolean headersSay(List<String[]> headers, String name, String value) {
    return headers.stream().anyMatch(h -> h[0].equalsIgnoreCase(name)
        && h[1].equalsIgnoreCase(value));
  }

  private static String dechunk(String body) {
    StringBuilder out = new StringBuilder();
    int at = 0;
    while (at < body.length()) {
      int eol = body.indexOf("\r\n", at);
      if (eol < 0) {
        break;
      }
      int size = Integer.parseInt(body.substring(at, eol).strip(), 16);
      if (size == 0) {
        break;
      }
      out.append(body, eol + 2, eol + 2 + size);
      at = eol + 2 + size + 2;
    }
    return out.toString();
  }
}

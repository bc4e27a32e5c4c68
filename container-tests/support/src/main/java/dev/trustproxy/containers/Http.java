package dev.trustproxy.containers;

import dev.trustproxy.servlet.RawHttp;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/** A raw HTTP/1.1 GET over a fresh socket, so that every header line is the test's own. */
public final class Http {

  private Http() {}

  /** A response: status, header lines and the body's {@code key=value} lines. */
  public record Response(int status, List<String> headers, String body) {

    /** The values of header {@code name} (any case), in order. */
    public List<String> header(String name) {
      List<String> values = new ArrayList<>();
      String prefix = name.toLowerCase(Locale.ROOT) + ":";
      for (String line : headers) {
        if (line.toLowerCase(Locale.ROOT).startsWith(prefix)) {
          values.add(line.substring(prefix.length()).strip());
        }
      }
      return values;
    }

    /** The echo servlet's lines as a map. */
    public Map<String, String> echo() {
      return RawHttp.echo(body);
    }
  }

  /** Sends {@code GET path} from {@code address} to {@code address:port} with these lines. */
  public static Response get(InetAddress address, int port, String path, String... headerLines)
      throws IOException {
    StringBuilder request = new StringBuilder("GET ").append(path).append(" HTTP/1.1\r\n")
        .append("Host: localhost\r\n");
    for (String line : headerLines) {
      request.append(line).append("\r\n");
    }
    request.append("Connection: close\r\n\r\n");
    try (Socket socket = new Socket()) {
      socket.setSoTimeout(30_000);
      socket.bind(new InetSocketAddress(address, 0));
      socket.connect(new InetSocketAddress(address, port), 30_000);
      socket.getOutputStream().write(request.toString().getBytes(StandardCharsets.ISO_8859_1));
      socket.getOutputStream().flush();
      String raw = new String(socket.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
      int split = raw.indexOf("\r\n\r\n");
      if (split < 0) {
        throw new IOException("no complete response head: " + raw);
      }
      List<String> lines = List.of(raw.substring(0, split).split("\r\n"));
      String body = raw.substring(split + 4);
      Response response = new Response(Integer.parseInt(lines.get(0).substring(9, 12)),
          lines.subList(1, lines.size()), body);
      if (response.header("Transfer-Encoding").contains("chunked")) {
        response = new Response(response.status(), response.headers(), RawHttp.dechunk(body));
      }
      return response;
    }
  }
}

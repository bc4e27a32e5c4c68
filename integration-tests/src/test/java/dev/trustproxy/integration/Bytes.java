package dev.trustproxy.integration;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.HexFormat;

/** Builds attack bytes from the attack catalogue's notation: text, hex and the v2 signature. */
final class Bytes {

  static final String SIG = "0D0A0D0A000D0A515549540A";
  /** The v2 address block of V2-01: 192.0.2.1:56324 -> 198.51.100.2:443. */
  static final String V2_TCP4_BLOCK = "C0000201 C6336402 DC04 01BB";

  private Bytes() {}

  static byte[] text(String latin1) {
    return latin1.getBytes(StandardCharsets.ISO_8859_1);
  }

  /** Hex digits with optional spaces. */
  static byte[] hex(String hex) {
    return HexFormat.of().parseHex(hex.replace(" ", ""));
  }

  static byte[] concat(byte[]... parts) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    for (byte[] p : parts) {
      out.writeBytes(p);
    }
    return out.toByteArray();
  }

  static byte[] repeat(int count, int value) {
    byte[] b = new byte[count];
    java.util.Arrays.fill(b, (byte) value);
    return b;
  }

  /** A request for {@code path} that asks the server to close the connection after answering. */
  static byte[] get(String path, String... headerLines) {
    StringBuilder sb = new StringBuilder("GET ").append(path).append(" HTTP/1.1\r\nHost: app.test\r\n");
    for (String line : headerLines) {
      sb.append(line).append("\r\n");
    }
    sb.append("Connection: close\r\n\r\n");
    return text(sb.toString());
  }

  /** The same request, kept alive. */
  static byte[] getKeepAlive(String path) {
    return text("GET " + path + " HTTP/1.1\r\nHost: app.test\r\n\r\n");
  }
}

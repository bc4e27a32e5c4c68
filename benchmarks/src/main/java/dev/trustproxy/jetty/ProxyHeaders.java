package dev.trustproxy.jetty;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.zip.CRC32C;

/**
 * The PROXY headers both parsers get, built by hand from the specification
 * ({@code haproxy/haproxy:doc/proxy-protocol.txt}): source 203.0.113.7:35646 (or 2001:db8::7),
 * destination 10.0.0.1:443 (or fd00::1). The TLV set is what haproxy sends with {@code
 * send-proxy-v2-ssl} and {@code proxy-v2-options authority,unique-id}: ALPN, authority, a 16-byte
 * unique id, and an SSL TLV with version and cipher sub-TLVs.
 */
public final class ProxyHeaders {

  private static final byte[] SIGNATURE = {
    0x0D, 0x0A, 0x0D, 0x0A, 0x00, 0x0D, 0x0A, 0x51, 0x55, 0x49, 0x54, 0x0A
  };

  /** The header names used as the benchmark parameter. */
  public static final String[] NAMES = {
    "v1-tcp4", "v1-tcp6", "v2-tcp4", "v2-tcp6", "v2-tcp4-tlvs", "v2-tcp4-tlvs-crc32c"
  };

  private ProxyHeaders() {}

  public static byte[] bytes(String name) {
    return switch (name) {
      case "v1-tcp4" -> ascii("PROXY TCP4 203.0.113.7 10.0.0.1 35646 443\r\n");
      case "v1-tcp6" -> ascii("PROXY TCP6 2001:db8::7 fd00::1 35646 443\r\n");
      case "v2-tcp4" -> v2(false, false, false);
      case "v2-tcp6" -> v2(true, false, false);
      case "v2-tcp4-tlvs" -> v2(false, true, false);
      case "v2-tcp4-tlvs-crc32c" -> v2(false, true, true);
      default -> throw new IllegalArgumentException(
          "header '" + name + "': expected one of " + String.join(", ", NAMES));
    };
  }

  /** The source address text every header carries. */
  public static String source(String name) {
    return name.contains("tcp6") ? "2001:db8::7" : "203.0.113.7";
  }

  private static byte[] ascii(String s) {
    return s.getBytes(StandardCharsets.US_ASCII);
  }

  private static byte[] v2(boolean ipv6, boolean tlvs, boolean crc) {
    ByteArrayOutputStream body = new ByteArrayOutputStream();
    if (ipv6) {
      body.writeBytes(new byte[] {0x20, 0x01, 0x0d, (byte) 0xb8, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 7});
      body.writeBytes(new byte[] {(byte) 0xfd, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1});
    } else {
      body.writeBytes(new byte[] {(byte) 203, 0, 113, 7});
      body.writeBytes(new byte[] {10, 0, 0, 1});
    }
    u16(body, 35646);
    u16(body, 443);
    int crcAt = -1;
    if (tlvs) {
      tlv(body, 0x01, ascii("h2"));
      tlv(body, 0x02, ascii("example.test"));
      tlv(body, 0x05, ascii("0123456789abcdef"));
      ByteArrayOutputStream ssl = new ByteArrayOutputStream();
      ssl.write(0x01); // client connected over TLS
      ssl.writeBytes(new byte[] {0, 0, 0, 0}); // verify: 0 = verified
      tlv(ssl, 0x21, ascii("TLSv1.3"));
      tlv(ssl, 0x23, ascii("TLS_AES_128_GCM_SHA256"));
      tlv(body, 0x20, ssl.toByteArray());
      if (crc) {
        crcAt = 16 + body.size() + 3;
        tlv(body, 0x03, new byte[4]);
      }
    }
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    out.writeBytes(SIGNATURE);
    out.write(0x21); // version 2, PROXY
    out.write(ipv6 ? 0x21 : 0x11); // TCP over IPv6 / IPv4
    u16(out, body.size());
    out.writeBytes(body.toByteArray());
    byte[] header = out.toByteArray();
    if (crcAt >= 0) {
      CRC32C c = new CRC32C();
      c.update(header);
      long v = c.getValue();
      header[crcAt] = (byte) (v >>> 24);
      header[crcAt + 1] = (byte) (v >>> 16);
      header[crcAt + 2] = (byte) (v >>> 8);
      header[crcAt + 3] = (byte) v;
    }
    return header;
  }

  private static void tlv(ByteArrayOutputStream out, int type, byte[] value) {
    out.write(type);
    u16(out, value.length);
    out.writeBytes(value);
  }

  private static void u16(ByteArrayOutputStream out, int v) {
    out.write(v >>> 8);
    out.write(v);
  }
}

package dev.trustproxy.proxyprotocol;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.zip.CRC32C;

/** PROXY test vectors written as hex, {@code SIG} and {@code 36x00} runs; shared via the test-jar. */
public final class Bytes {

  public static final String SIG = "0D 0A 0D 0A 00 0D 0A 51 55 49 54 0A";

  private Bytes() {}

  /** Parses "SIG 21 11 00 0C 12x00 ..." (tokens separated by spaces). */
  public static byte[] hex(String text) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    for (String token : text.replace("SIG", SIG).trim().split("\\s+")) {
      int x = token.indexOf('x');
      if (x > 0) {
        int count = Integer.parseInt(token.substring(0, x));
        int value = Integer.parseInt(token.substring(x + 1), 16);
        for (int i = 0; i < count; i++) {
          out.write(value);
        }
      } else {
        out.write(Integer.parseInt(token, 16));
      }
    }
    return out.toByteArray();
  }

  public static byte[] ascii(String text) {
    return text.getBytes(StandardCharsets.ISO_8859_1);
  }

  public static byte[] concat(byte[]... parts) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    for (byte[] p : parts) {
      out.writeBytes(p);
    }
    return out.toByteArray();
  }

  /**
   * A v2 PROXY header: {@code SIG 21 fam len} + body, where body is the address block and TLVs.
   */
  public static byte[] v2(int verCmd, int fam, byte[] body) {
    byte[] h = new byte[16 + body.length];
    System.arraycopy(hex(SIG), 0, h, 0, 12);
    h[12] = (byte) verCmd;
    h[13] = (byte) fam;
    h[14] = (byte) (body.length >>> 8);
    h[15] = (byte) body.length;
    System.arraycopy(body, 0, h, 16, body.length);
    return h;
  }

  public static byte[] tlv(int type, byte[] value) {
    byte[] t = new byte[3 + value.length];
    t[0] = (byte) type;
    t[1] = (byte) (value.length >>> 8);
    t[2] = (byte) value.length;
    System.arraycopy(value, 0, t, 3, value.length);
    return t;
  }

  /** Fills in the CRC32C TLV value (which must be present and zeroed) of a v2 header. */
  public static byte[] withCrc(byte[] header, int crcValueOffset) {
    CRC32C crc = new CRC32C();
    crc.update(header);
    long v = crc.getValue();
    byte[] h = header.clone();
    h[crcValueOffset] = (byte) (v >>> 24);
    h[crcValueOffset + 1] = (byte) (v >>> 16);
    h[crcValueOffset + 2] = (byte) (v >>> 8);
    h[crcValueOffset + 3] = (byte) v;
    return h;
  }
}

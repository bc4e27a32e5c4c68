package dev.trustproxy.proxyprotocol;

import dev.trustproxy.IpAddress;
import dev.trustproxy.proxyprotocol.ProxyHeader.Command;
import dev.trustproxy.proxyprotocol.ProxyHeader.Family;
import dev.trustproxy.proxyprotocol.ProxyHeader.Ssl;
import dev.trustproxy.proxyprotocol.ProxyHeader.Tlv;
import dev.trustproxy.proxyprotocol.ProxyHeader.Transport;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.zip.CRC32C;

/**
 * Parses a PROXY protocol header (v1 text or v2 binary) from the bytes received so far: the one
 * grammar of the PROXY protocol specification ({@code haproxy/haproxy:doc/proxy-protocol.txt})
 * for every container adapter.
 *
 * <p>Incremental use by an adapter (Jetty connection, Tomcat processor, ...): keep one buffer per
 * connection, append what the socket delivered, and call {@link #parse(ByteBuffer)} with the
 * window {@code [position, limit)} holding every byte received so far. The parser reads with
 * absolute gets and never moves the window, and it keeps no state between calls, so the same
 * instance serves every connection. The answer is one of:
 *
 * <ul>
 *   <li>{@link NeedMoreBytes}: a valid beginning; read more (up to {@link
 *       ProxyProtocolSettings#maxHeaderBytes()} in all) and call again with the longer window;
 *   <li>{@link Accepted}: a complete header; exactly {@link Accepted#consumed()} bytes at the
 *       window's start are the header, everything after them belongs to the next protocol;
 *   <li>{@link Rejected}: close the connection and count {@link Rejected#reason()} (see {@link
 *       ProxyProtocolCounters#rejected}).
 * </ul>
 *
 * <p>A header is rejected as soon as the bytes seen so far cannot start a valid one (wrong first
 * byte, a v2 length over the cap, 107 bytes without a v1 CRLF), so a peer can never make an
 * adapter buffer more than the cap. Rejection messages describe the problem with decoded field
 * values and offsets; they never contain the received bytes, so they are safe to log.
 *
 * <p>Get one from {@link ProxyProtocolSettings#parser()}. Immutable and thread-safe.
 */
public final class ProxyHeaderParser {

  /** Why a header was refused. */
  public enum Reason {
    /** Not a PROXY header, or one that breaks the grammar or structure. */
    MALFORMED,
    /** A v1 line without CRLF in 107 bytes, or a v2 header over the configured cap. */
    TOO_LARGE,
    /** The v2 CRC32C TLV does not match the header. */
    CHECKSUM,
    /** Well-formed but not served here: a disabled version, or a DGRAM transport. */
    UNSUPPORTED
  }

  /** The outcome of one {@link #parse} call. */
  public sealed interface Result permits NeedMoreBytes, Accepted, Rejected {}

  /** The bytes so far are a valid beginning; call again with more. */
  public enum NeedMoreBytes implements Result {
    INSTANCE
  }

  /** A complete valid header of exactly {@code consumed} bytes at the window's start. */
  public record Accepted(ProxyHeader header, int consumed) implements Result {}

  /** The bytes cannot be (the start of) a valid header. */
  public record Rejected(Reason reason, String message) implements Result {}

  /** The longest v1 line, CRLF included (spec §2.1). */
  static final int V1_MAX_LENGTH = 107;

  static final int V2_PREFIX_LENGTH = 16;
  static final int MAX_UNIQUE_ID_LENGTH = 128;

  private static final byte[] V1_PREFIX = "PROXY ".getBytes(StandardCharsets.US_ASCII);
  private static final byte[] V2_SIGNATURE = {
    0x0D, 0x0A, 0x0D, 0x0A, 0x00, 0x0D, 0x0A, 0x51, 0x55, 0x49, 0x54, 0x0A
  };

  private final boolean v1Enabled;
  private final boolean v2Enabled;
  private final int maxV2HeaderSize;
  private final boolean acceptIpv4InTcp6;

  /** Unchecked: {@link ProxyProtocolSettings.Builder} validates the values. */
  ProxyHeaderParser(
      boolean v1Enabled, boolean v2Enabled, int maxV2HeaderSize, boolean acceptIpv4InTcp6) {
    this.v1Enabled = v1Enabled;
    this.v2Enabled = v2Enabled;
    this.maxV2HeaderSize = maxV2HeaderSize;
    this.acceptIpv4InTcp6 = acceptIpv4InTcp6;
  }

  /** Both versions, the default 4096-byte v2 cap, IPv4 text in TCP6 rejected. */
  public static ProxyHeaderParser defaults() {
    return new ProxyHeaderParser(
        true, true, ProxyProtocolSettings.DEFAULT_MAX_V2_HEADER_SIZE, false);
  }

  /**
   * Parses the header at the start of {@code window[position, limit)} without consuming it.
   *
   * <p>Never throws on any input.
   */
  public Result parse(ByteBuffer window) {
    int start = window.position();
    int available = window.remaining();
    if (available == 0) {
      return NeedMoreBytes.INSTANCE;
    }
    byte first = window.get(start);
    if (first == V2_SIGNATURE[0]) {
      return v2Enabled
          ? parseV2(window, start, available)
          : rejected(Reason.UNSUPPORTED, "PROXY protocol v2 is disabled on this connector");
    }
    if (first == V1_PREFIX[0]) {
      return v1Enabled
          ? parseV1(window, start, available)
          : rejected(Reason.UNSUPPORTED, "PROXY protocol v1 is disabled on this connector");
    }
    return notAHeader(0);
  }

  /** True when {@code b} could start a PROXY header ('P' for v1, CR for v2). */
  public static boolean couldStartHeader(byte b) {
    return b == V1_PREFIX[0] || b == V2_SIGNATURE[0];
  }

  // ---------------------------------------------------------------- v1

  private Result parseV1(ByteBuffer w, int start, int available) {
    int scan = Math.min(available, V1_MAX_LENGTH);
    int crlf = -1;
    for (int i = 0; i < scan; i++) {
      byte b = w.get(start + i);
      if (i < V1_PREFIX.length) {
        if (b != V1_PREFIX[i]) {
          return notAHeader(i);
        }
        continue;
      }
      if (b == '\n') {
        return rejected(Reason.MALFORMED, "v1: line feed without carriage return at offset " + i);
      }
      if (b == '\r') {
        if (i + 2 > V1_MAX_LENGTH) {
          return rejected(
              Reason.TOO_LARGE, "v1: no CRLF in the first " + V1_MAX_LENGTH + " bytes");
        }
        if (i + 1 >= available) {
          return NeedMoreBytes.INSTANCE;
        }
        if (w.get(start + i + 1) != '\n') {
          return rejected(
              Reason.MALFORMED, "v1: carriage return not followed by line feed at offset " + i);
        }
        crlf = i;
        break;
      }
    }
    if (crlf < 0) {
      if (available >= V1_MAX_LENGTH) {
        return rejected(
            Reason.TOO_LARGE, "v1: no CRLF in the first " + V1_MAX_LENGTH + " bytes");
      }
      return NeedMoreBytes.INSTANCE;
    }
    // The line is [start, start + crlf); every byte in it is neither CR nor LF.
    byte[] bytes = new byte[crlf];
    for (int i = 0; i < crlf; i++) {
      bytes[i] = w.get(start + i);
    }
    return parseV1Line(bytes, crlf + 2);
  }

  private Result parseV1Line(byte[] line, int consumed) {
    String text = new String(line, StandardCharsets.ISO_8859_1);
    int pos = V1_PREFIX.length;
    int protoEnd = fieldEnd(text, pos);
    String proto = text.substring(pos, protoEnd);
    if (proto.equals("UNKNOWN")) {
      // Spec: the receiver must ignore anything after UNKNOWN up to the CRLF (the field already
      // ends at a space or at the CRLF).
      return new Accepted(
          new ProxyHeader(
              1, Command.PROXY, Family.UNSPEC, Transport.UNSPEC, null, null, List.of(), null),
          consumed);
    }
    Family family;
    if (proto.equals("TCP4")) {
      family = Family.INET;
    } else if (proto.equals("TCP6")) {
      family = Family.INET6;
    } else {
      return rejected(
          Reason.MALFORMED, "v1: protocol field is not TCP4, TCP6 or UNKNOWN (case-sensitive)");
    }
    int[] bounds = new int[8];
    pos = protoEnd;
    for (int f = 0; f < 4; f++) {
      if (pos >= text.length() || text.charAt(pos) != ' ') {
        return rejected(
            Reason.MALFORMED,
            "v1: expected 4 fields after " + proto + " separated by single spaces, found " + f);
      }
      pos++;
      int end = fieldEnd(text, pos);
      if (end == pos) {
        return rejected(Reason.MALFORMED, "v1: empty field (double space) at offset " + pos);
      }
      bounds[2 * f] = pos;
      bounds[2 * f + 1] = end;
      pos = end;
    }
    if (pos != text.length()) {
      return rejected(Reason.MALFORMED, "v1: more than 4 fields after " + proto);
    }
    IpAddress src = address(text, bounds[0], bounds[1], family);
    if (src == null) {
      return rejected(Reason.MALFORMED, addressProblem("source", family));
    }
    IpAddress dst = address(text, bounds[2], bounds[3], family);
    if (dst == null) {
      return rejected(Reason.MALFORMED, addressProblem("destination", family));
    }
    int srcPort = port(text, bounds[4], bounds[5]);
    if (srcPort < 0) {
      return rejected(Reason.MALFORMED, portProblem("source"));
    }
    int dstPort = port(text, bounds[6], bounds[7]);
    if (dstPort < 0) {
      return rejected(Reason.MALFORMED, portProblem("destination"));
    }
    return new Accepted(
        new ProxyHeader(
            1,
            Command.PROXY,
            family,
            Transport.STREAM,
            new InetSocketAddress(src.toInetAddress(), srcPort),
            new InetSocketAddress(dst.toInetAddress(), dstPort),
            List.of(),
            null),
        consumed);
  }

  private static int fieldEnd(String text, int from) {
    int i = from;
    while (i < text.length() && text.charAt(i) != ' ') {
      i++;
    }
    return i;
  }

  private IpAddress address(String text, int from, int to, Family family) {
    boolean ipv6Text = text.indexOf(':', from) >= 0 && text.indexOf(':', from) < to;
    if (family == Family.INET && ipv6Text) {
      return null;
    }
    if (family == Family.INET6 && !ipv6Text && !acceptIpv4InTcp6) {
      return null;
    }
    return IpAddress.tryParse(text, from, to);
  }

  private static String addressProblem(String which, Family family) {
    return family == Family.INET
        ? "v1: TCP4 " + which + " address is not a dotted quad (four decimal parts 0-255, no"
            + " leading zeros)"
        : "v1: TCP6 " + which + " address is not IPv6 text (RFC 4291, no brackets, no zone)";
  }

  private static String portProblem(String which) {
    return "v1: " + which + " port is not a decimal 0-65535 without leading zeros";
  }

  /** A decimal port 0..65535 without leading zeros, or -1. */
  private static int port(String text, int from, int to) {
    int length = to - from;
    if (length < 1 || length > 5 || (length > 1 && text.charAt(from) == '0')) {
      return -1;
    }
    int value = 0;
    for (int i = from; i < to; i++) {
      char c = text.charAt(i);
      if (c < '0' || c > '9') {
        return -1;
      }
      value = value * 10 + (c - '0');
    }
    return value <= 0xFFFF ? value : -1;
  }

  // ---------------------------------------------------------------- v2

  private Result parseV2(ByteBuffer w, int start, int available) {
    int signatureSeen = Math.min(available, V2_SIGNATURE.length);
    for (int i = 0; i < signatureSeen; i++) {
      if (w.get(start + i) != V2_SIGNATURE[i]) {
        return notAHeader(i);
      }
    }
    if (available < V2_PREFIX_LENGTH) {
      return NeedMoreBytes.INSTANCE;
    }
    int verCmd = w.get(start + 12) & 0xFF;
    int fam = w.get(start + 13) & 0xFF;
    int len = u16(w, start + 14);
    if ((verCmd >>> 4) != 2) {
      return rejected(Reason.MALFORMED, "v2: version " + (verCmd >>> 4) + ", expected 2");
    }
    int cmd = verCmd & 0x0F;
    if (cmd > 1) {
      return rejected(Reason.MALFORMED, "v2: command " + cmd + ", expected 0 (LOCAL) or 1 (PROXY)");
    }
    int addressLength = addressLength(fam);
    if (addressLength < 0) {
      return rejected(
          Reason.MALFORMED,
          String.format("v2: family/transport byte 0x%02X is not one of the seven defined", fam));
    }
    int total = V2_PREFIX_LENGTH + len;
    if (total > maxV2HeaderSize) {
      return rejected(
          Reason.TOO_LARGE,
          "v2: header of " + total + " bytes exceeds the cap of " + maxV2HeaderSize);
    }
    Family family = Family.values()[fam >>> 4];
    Transport transport = Transport.values()[fam & 0x0F];
    if (cmd == 1 && transport == Transport.DGRAM) {
      return rejected(Reason.UNSUPPORTED, "v2: DGRAM transport on a stream connection");
    }
    if (cmd == 1 && len < addressLength) {
      return rejected(
          Reason.MALFORMED,
          "v2: length " + len + " is shorter than the " + family + " address block of "
              + addressLength);
    }
    if (available < total) {
      return NeedMoreBytes.INSTANCE;
    }
    if (cmd == 0) {
      // LOCAL: use the real endpoints and skip the whole block, family and TLVs included.
      return new Accepted(
          new ProxyHeader(2, Command.LOCAL, family, transport, null, null, List.of(), null),
          total);
    }
    return parseV2Body(w, start, total, family, transport, addressLength);
  }

  /** The address block length of a defined family/transport byte, or -1 when undefined. */
  private static int addressLength(int fam) {
    return switch (fam) {
      case 0x00 -> 0;
      case 0x11, 0x12 -> 12;
      case 0x21, 0x22 -> 36;
      case 0x31, 0x32 -> 216;
      default -> -1;
    };
  }

  private Result parseV2Body(
      ByteBuffer w, int start, int total, Family family, Transport transport, int addressLength) {
    InetSocketAddress source = null;
    InetSocketAddress destination = null;
    int at = start + V2_PREFIX_LENGTH;
    if (family == Family.INET || family == Family.INET6) {
      int size = family == Family.INET ? 4 : 16;
      IpAddress src = IpAddress.ofBytes(bytes(w, at, size));
      IpAddress dst = IpAddress.ofBytes(bytes(w, at + size, size));
      int srcPort = u16(w, at + 2 * size);
      int dstPort = u16(w, at + 2 * size + 2);
      source = new InetSocketAddress(src.toInetAddress(), srcPort);
      destination = new InetSocketAddress(dst.toInetAddress(), dstPort);
    }
    // UNSPEC and UNIX: the real endpoints apply; the block is skipped.

    List<Tlv> tlvs = new ArrayList<>();
    Ssl ssl = null;
    int crcOffset = -1;
    int end = start + total;
    int p = at + addressLength;
    while (p < end) {
      if (end - p < 3) {
        return rejected(
            Reason.MALFORMED,
            "v2: " + (end - p) + " stray bytes after the last TLV at offset " + (p - start));
      }
      int type = w.get(p) & 0xFF;
      int length = u16(w, p + 1);
      int valueAt = p + 3;
      if (length > end - valueAt) {
        return rejected(
            Reason.MALFORMED,
            String.format(
                "v2: TLV 0x%02X at offset %d claims %d bytes, only %d left in the header",
                type, p - start, length, end - valueAt));
      }
      if (isSingleValued(type) && containsType(tlvs, type)) {
        return rejected(Reason.MALFORMED, String.format("v2: TLV 0x%02X appears twice", type));
      }
      byte[] value = bytes(w, valueAt, length);
      switch (type) {
        case ProxyHeader.TYPE_CRC32C -> {
          if (length != 4) {
            return rejected(
                Reason.MALFORMED, "v2: CRC32C TLV has length " + length + ", expected 4");
          }
          crcOffset = valueAt;
        }
        case ProxyHeader.TYPE_UNIQUE_ID -> {
          if (length > MAX_UNIQUE_ID_LENGTH) {
            return rejected(
                Reason.MALFORMED,
                "v2: UNIQUE_ID of " + length + " bytes exceeds " + MAX_UNIQUE_ID_LENGTH);
          }
        }
        case ProxyHeader.TYPE_SSL -> {
          Object parsed = parseSsl(value);
          if (parsed instanceof Rejected r) {
            return r;
          }
          ssl = (Ssl) parsed;
        }
        default -> {
          // Kept raw; typed accessors of ProxyHeader decode the vendor types lazily.
        }
      }
      tlvs.add(new Tlv(type, value));
      p = valueAt + length;
    }
    if (crcOffset >= 0) {
      long expected = ((long) u16(w, crcOffset) << 16) | u16(w, crcOffset + 2);
      long actual = crc32c(w, start, total, crcOffset);
      if (expected != actual) {
        return rejected(Reason.CHECKSUM, "v2: CRC32C does not match the header");
      }
    }
    return new Accepted(
        new ProxyHeader(2, Command.PROXY, family, transport, source, destination, tlvs, ssl),
        total);
  }

  /** Types whose typed accessor reads one value: a second copy would be ambiguous. */
  private static boolean isSingleValued(int type) {
    return switch (type) {
      case ProxyHeader.TYPE_ALPN,
          ProxyHeader.TYPE_AUTHORITY,
          ProxyHeader.TYPE_CRC32C,
          ProxyHeader.TYPE_UNIQUE_ID,
          ProxyHeader.TYPE_SSL,
          ProxyHeader.TYPE_NETNS,
          ProxyHeader.TYPE_GCP,
          ProxyHeader.TYPE_AWS,
          ProxyHeader.TYPE_AZURE -> true;
      default -> false;
    };
  }

  private static boolean containsType(List<Tlv> tlvs, int type) {
    for (Tlv tlv : tlvs) {
      if (tlv.type() == type) {
        return true;
      }
    }
    return false;
  }

  /** Parses the SSL TLV value: client, verify, then one flat level of sub-TLVs. */
  private static Object parseSsl(byte[] value) {
    if (value.length < 5) {
      return rejected(
          Reason.MALFORMED, "v2: SSL TLV of " + value.length + " bytes, expected at least 5");
    }
    int client = value[0] & 0xFF;
    long verify =
        ((value[1] & 0xFFL) << 24) | ((value[2] & 0xFFL) << 16) | ((value[3] & 0xFFL) << 8)
            | (value[4] & 0xFFL);
    List<Tlv> subs = new ArrayList<>();
    int p = 5;
    while (p < value.length) {
      if (value.length - p < 3) {
        return rejected(Reason.MALFORMED, "v2: stray bytes after the last SSL sub-TLV");
      }
      int type = value[p] & 0xFF;
      int length = ((value[p + 1] & 0xFF) << 8) | (value[p + 2] & 0xFF);
      int valueAt = p + 3;
      if (length > value.length - valueAt) {
        return rejected(
            Reason.MALFORMED,
            String.format(
                "v2: SSL sub-TLV 0x%02X claims %d bytes, only %d left in the SSL TLV",
                type, length, value.length - valueAt));
      }
      byte[] sub = new byte[length];
      System.arraycopy(value, valueAt, sub, 0, length);
      subs.add(new Tlv(type, sub));
      p = valueAt + length;
    }
    return new Ssl(client, verify, subs);
  }

  /** The checksum of {@code w[start, start + total)} with the 4 CRC bytes read as zeros. */
  private static long crc32c(ByteBuffer w, int start, int total, int crcOffset) {
    CRC32C crc = new CRC32C();
    // Three bulk updates (before the field, four zeros, after it): 13x faster than byte by byte.
    ByteBuffer d = w.duplicate();
    d.limit(crcOffset).position(start);
    crc.update(d);
    crc.update(FOUR_ZEROS, 0, 4);
    d.limit(start + total).position(crcOffset + 4);
    crc.update(d);
    return crc.getValue();
  }

  private static final byte[] FOUR_ZEROS = new byte[4];

  /** Big-endian, whatever the buffer's byte order. */
  private static int u16(ByteBuffer w, int at) {
    return ((w.get(at) & 0xFF) << 8) | (w.get(at + 1) & 0xFF);
  }

  private static byte[] bytes(ByteBuffer w, int at, int length) {
    byte[] out = new byte[length];
    for (int i = 0; i < length; i++) {
      out[i] = w.get(at + i);
    }
    return out;
  }

  private static Rejected notAHeader(int offset) {
    return rejected(
        Reason.MALFORMED,
        "not a PROXY protocol header (byte " + offset + " matches neither the v1 nor the v2"
            + " signature)");
  }

  private static Rejected rejected(Reason reason, String message) {
    return new Rejected(reason, message);
  }
}

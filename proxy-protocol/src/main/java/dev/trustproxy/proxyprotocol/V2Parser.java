package dev.trustproxy.proxyprotocol;

import dev.trustproxy.IpAddress;
import dev.trustproxy.IpAddresses;
import dev.trustproxy.proxyprotocol.ProxyHeader.Command;
import dev.trustproxy.proxyprotocol.ProxyHeader.Family;
import dev.trustproxy.proxyprotocol.ProxyHeader.Transport;
import dev.trustproxy.proxyprotocol.ProxyHeaderParser.Accepted;
import dev.trustproxy.proxyprotocol.ProxyHeaderParser.NeedMoreBytes;
import dev.trustproxy.proxyprotocol.ProxyHeaderParser.Reason;
import dev.trustproxy.proxyprotocol.ProxyHeaderParser.Rejected;
import dev.trustproxy.proxyprotocol.ProxyHeaderParser.Result;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Arrays;
import java.util.zip.CRC32C;

/**
 * The v2 binary header: 12-byte signature, version/command, family/transport, 16-bit length, the
 * address block, then TLVs filling the declared length exactly.
 *
 * <p>Each prefix byte is checked as soon as it arrives (a bad signature byte, version or command
 * nibble, or family byte is refused without waiting for the rest), the length against the cap as
 * soon as it is complete. The body is read only once all of it is there: addresses as numbers,
 * TLVs validated in place with their spans recorded, the TLV bytes copied once.
 */
final class V2Parser {

  static final int PREFIX_LENGTH = 16;
  static final int MAX_UNIQUE_ID_LENGTH = 128;

  private static final byte[] SIGNATURE = {
    0x0D, 0x0A, 0x0D, 0x0A, 0x00, 0x0D, 0x0A, 0x51, 0x55, 0x49, 0x54, 0x0A
  };
  private static final long SIGNATURE_HIGH = 0x0D0A0D0A000D0A51L;
  private static final int SIGNATURE_LOW = 0x5549540A;
  private static final byte[] FOUR_ZEROS = new byte[4];
  // values() copies its array on every call.
  private static final Family[] FAMILIES = Family.values();
  private static final Transport[] TRANSPORTS = Transport.values();

  private V2Parser() {}

  static Result parse(ByteBuffer w, int start, int available, int maxHeaderSize) {
    if (available >= SIGNATURE.length) {
      if (u64(w, start) != SIGNATURE_HIGH || u32(w, start + 8) != SIGNATURE_LOW) {
        return ProxyHeaderParser.notAHeader(firstMismatch(w, start, SIGNATURE.length));
      }
    } else {
      int mismatch = firstMismatch(w, start, available);
      return mismatch < available ? ProxyHeaderParser.notAHeader(mismatch) : NeedMoreBytes.INSTANCE;
    }
    if (available < 13) {
      return NeedMoreBytes.INSTANCE;
    }
    int verCmd = w.get(start + 12) & 0xFF;
    if ((verCmd >>> 4) != 2) {
      return malformed("v2: version " + (verCmd >>> 4) + ", expected 2");
    }
    int cmd = verCmd & 0x0F;
    if (cmd > 1) {
      return malformed("v2: command " + cmd + ", expected 0 (LOCAL) or 1 (PROXY)");
    }
    if (available < 14) {
      return NeedMoreBytes.INSTANCE;
    }
    int fam = w.get(start + 13) & 0xFF;
    int addressLength = addressLength(fam);
    if (addressLength < 0) {
      return malformed(
          String.format("v2: family/transport byte 0x%02X is not one of the seven defined", fam));
    }
    Family family = FAMILIES[fam >>> 4];
    Transport transport = TRANSPORTS[fam & 0x0F];
    boolean local = cmd == 0;
    if (!local && transport == Transport.DGRAM) {
      return new Rejected(Reason.UNSUPPORTED, "v2: DGRAM transport on a stream connection");
    }
    if (available < PREFIX_LENGTH) {
      return NeedMoreBytes.INSTANCE;
    }
    int len = u16(w, start + 14);
    int total = PREFIX_LENGTH + len;
    if (total > maxHeaderSize) {
      return new Rejected(
          Reason.TOO_LARGE, "v2: header of " + total + " bytes exceeds the cap of " + maxHeaderSize);
    }
    if (!local && len < addressLength) {
      return malformed(
          "v2: length " + len + " is shorter than the " + family + " address block of "
              + addressLength);
    }
    if (available < total) {
      return NeedMoreBytes.INSTANCE;
    }
    if (local || family == Family.UNSPEC) {
      // LOCAL, and PROXY over UNSPEC: the receiver ignores the address information and uses the
      // real endpoints; with no defined address length the whole block is skipped (README D27).
      Command command = local ? Command.LOCAL : Command.PROXY;
      return new Accepted(ProxyHeader.realEndpoints(2, command, family, transport), total);
    }
    return body(w, start, total, family, transport, addressLength);
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

  private static Result body(
      ByteBuffer w, int start, int total, Family family, Transport transport, int addressLength) {
    int at = start + PREFIX_LENGTH;
    IpAddress source = null;
    IpAddress destination = null;
    int sourcePort = -1;
    int destinationPort = -1;
    if (family == Family.INET) {
      source = IpAddresses.ofIpv4(u32(w, at));
      destination = IpAddresses.ofIpv4(u32(w, at + 4));
      sourcePort = u16(w, at + 8);
      destinationPort = u16(w, at + 10);
    } else if (family == Family.INET6) {
      source = IpAddresses.ofIpv6(u64(w, at), u64(w, at + 8));
      destination = IpAddresses.ofIpv6(u64(w, at + 16), u64(w, at + 24));
      sourcePort = u16(w, at + 32);
      destinationPort = u16(w, at + 34);
    }
    // UNIX: the real endpoints apply; the block is skipped, the TLVs after it are read.
    int tlvStart = at + addressLength;
    int end = start + total;
    if (tlvStart == end) {
      return new Accepted(ProxyHeader.proxied(2, family, transport, source, sourcePort,
          destination, destinationPort, TlvBlock.EMPTY), total);
    }
    Tlvs tlvs = new Tlvs(w, start, tlvStart, end);
    Rejected bad = tlvs.validate();
    if (bad != null) {
      return bad;
    }
    if (tlvs.crcAt >= 0) {
      long expected = u32(w, tlvs.crcAt) & 0xFFFFFFFFL;
      if (expected != crc32c(w, start, total, tlvs.crcAt)) {
        return new Rejected(Reason.CHECKSUM, "v2: CRC32C does not match the header");
      }
    }
    byte[] bytes = new byte[end - tlvStart];
    w.get(tlvStart, bytes);
    return new Accepted(ProxyHeader.proxied(2, family, transport, source, sourcePort, destination,
        destinationPort, new TlvBlock(bytes, tlvs.spans, tlvs.count)), total);
  }

  /** The TLV area: structure, limits, duplicates; records each value's span. */
  private static final class Tlvs {
    private final ByteBuffer w;
    private final int start;
    private final int from;
    private final int end;
    int[] spans = new int[8];
    int count;
    int crcAt = -1;
    /** One bit per typed TLV seen so far (see {@link #singleValuedBit}). */
    private int seen;

    Tlvs(ByteBuffer w, int start, int from, int end) {
      this.w = w;
      this.start = start;
      this.from = from;
      this.end = end;
    }

    /** Null when the area is valid, else why not. */
    Rejected validate() {
      return walk(from, end, false);
    }

    /**
     * One pass over the TLVs in {@code [p, end)}: each must fit, and its span is recorded. At the
     * top level ({@code sub} false) each value is checked too; inside the SSL TLV ({@code sub}
     * true) the sub-TLVs are only delimited, one level deep.
     */
    private Rejected walk(int p, int end, boolean sub) {
      while (p < end) {
        if (end - p < 3) {
          return malformed(sub
              ? "v2: stray bytes after the last SSL sub-TLV"
              : "v2: " + (end - p) + " stray bytes after the last TLV at offset " + (p - start));
        }
        int type = w.get(p) & 0xFF;
        int length = u16(w, p + 1);
        int valueAt = p + 3;
        if (length > end - valueAt) {
          return malformed(sub
              ? String.format("v2: SSL sub-TLV 0x%02X claims %d bytes, only %d left in the SSL TLV",
                  type, length, end - valueAt)
              : String.format(
                  "v2: TLV 0x%02X at offset %d claims %d bytes, only %d left in the header",
                  type, p - start, length, end - valueAt));
        }
        add(sub ? -(valueAt - from) - 1 : valueAt - from);
        Rejected bad = sub ? null : value(type, valueAt, length);
        if (bad != null) {
          return bad;
        }
        p = valueAt + length;
      }
      return null;
    }

    /** The rules for one top-level value: no second copy of a typed TLV, and the typed limits. */
    private Rejected value(int type, int valueAt, int length) {
      int bit = singleValuedBit(type);
      if (bit >= 0) {
        if ((seen & bit) != 0) {
          return malformed(String.format("v2: TLV 0x%02X appears twice", type));
        }
        seen |= bit;
      }
      return switch (type) {
        case ProxyHeader.TYPE_CRC32C -> crc(valueAt, length);
        case ProxyHeader.TYPE_UNIQUE_ID -> length > MAX_UNIQUE_ID_LENGTH
            ? malformed("v2: UNIQUE_ID of " + length + " bytes exceeds " + MAX_UNIQUE_ID_LENGTH)
            : null;
        case ProxyHeader.TYPE_SSL -> length < 5
            ? malformed("v2: SSL TLV of " + length + " bytes, expected at least 5")
            : walk(valueAt + 5, valueAt + length, true); // client, verify, then sub-TLVs
        default -> null; // kept raw; ProxyHeader decodes the vendor types when asked
      };
    }

    private Rejected crc(int valueAt, int length) {
      if (length != 4) {
        return malformed("v2: CRC32C TLV has length " + length + ", expected 4");
      }
      crcAt = valueAt;
      return null;
    }

    private void add(int span) {
      if (count == spans.length) {
        spans = Arrays.copyOf(spans, count * 2);
      }
      spans[count++] = span;
    }
  }

  /** A bit per type whose typed accessor reads one value (a second copy would be ambiguous). */
  private static int singleValuedBit(int type) {
    return switch (type) {
      case ProxyHeader.TYPE_ALPN -> 1;
      case ProxyHeader.TYPE_AUTHORITY -> 1 << 1;
      case ProxyHeader.TYPE_CRC32C -> 1 << 2;
      case ProxyHeader.TYPE_UNIQUE_ID -> 1 << 3;
      case ProxyHeader.TYPE_SSL -> 1 << 4;
      case ProxyHeader.TYPE_NETNS -> 1 << 5;
      case ProxyHeader.TYPE_GCP -> 1 << 6;
      case ProxyHeader.TYPE_AWS -> 1 << 7;
      case ProxyHeader.TYPE_AZURE -> 1 << 8;
      default -> -1;
    };
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

  /** The index of the first of {@code n} bytes that differs from the signature, or {@code n}. */
  private static int firstMismatch(ByteBuffer w, int start, int n) {
    for (int i = 0; i < n; i++) {
      if (w.get(start + i) != SIGNATURE[i]) {
        return i;
      }
    }
    return n;
  }

  // Big-endian reads, whatever the buffer's byte order.

  private static int u16(ByteBuffer w, int at) {
    return ((w.get(at) & 0xFF) << 8) | (w.get(at + 1) & 0xFF);
  }

  private static int u32(ByteBuffer w, int at) {
    int v = w.getInt(at);
    return w.order() == ByteOrder.BIG_ENDIAN ? v : Integer.reverseBytes(v);
  }

  private static long u64(ByteBuffer w, int at) {
    long v = w.getLong(at);
    return w.order() == ByteOrder.BIG_ENDIAN ? v : Long.reverseBytes(v);
  }

  private static Rejected malformed(String message) {
    return new Rejected(Reason.MALFORMED, message);
  }
}

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
import java.nio.charset.StandardCharsets;

/**
 * The v1 text line ({@code PROXY TCP4|TCP6|UNKNOWN SP src SP dst SP sport SP dport CRLF}), read
 * in one left-to-right pass over the window's bytes without copying them.
 *
 * <p>Every check depends only on the bytes up to the one being read, so a line is refused at the
 * first byte that no valid line can have there: a wrong byte of {@code "PROXY "}, a protocol
 * token that is no prefix of {@code TCP4}, {@code TCP6} or {@code UNKNOWN}, a character outside
 * its field's alphabet (digits and dots for IPv4, hex digits, colons and dots for IPv6, digits
 * for ports), a field longer than any valid one, a double space, a fifth field, a CR before the
 * fourth field, or an LF without CR. A complete field is parsed when its space or CR arrives
 * (addresses by {@link IpAddresses}, the library's one address
 * grammar, told the family the field must have), so a field that is no valid address or port is
 * refused then, not at the deadline.
 * More bytes never change a decision once made.
 */
final class V1Parser {

  /** The longest v1 line, CRLF included. */
  static final int MAX_LENGTH = 107;

  private static final byte[] PREFIX = {'P', 'R', 'O', 'X', 'Y', ' '};
  private static final int TCP4 = 1;
  private static final int TCP6 = 2;
  private static final int UNKNOWN = 4;
  private static final byte[][] TOKENS = {
    null, ascii("TCP4"), ascii("TCP6"), null, ascii("UNKNOWN")
  };
  private static final int LONGEST_TOKEN = 7;
  /** For each token index and byte, the tokens with that byte there: one lookup per byte. */
  private static final byte[] TOKENS_AT = new byte[LONGEST_TOKEN * 256];

  static {
    for (int token = TCP4; token <= UNKNOWN; token <<= 1) {
      byte[] text = TOKENS[token];
      for (int index = 0; text != null && index < text.length; index++) {
        TOKENS_AT[index * 256 + (text[index] & 0xFF)] |= (byte) token;
      }
    }
  }

  // Character classes of field bytes, so the common case is one table lookup and one test.
  private static final int DIGIT = 1;
  private static final int DOT = 2;
  private static final int COLON = 4;
  private static final int HEX_LETTER = 8;
  private static final int[] CLASSES = new int[256];

  static {
    for (int b = '0'; b <= '9'; b++) {
      CLASSES[b] = DIGIT;
    }
    for (int b = 'a'; b <= 'f'; b++) {
      CLASSES[b] = HEX_LETTER;
      CLASSES[b - 'a' + 'A'] = HEX_LETTER;
    }
    CLASSES['.'] = DOT;
    CLASSES[':'] = COLON;
  }
  /** The longest address texts: a dotted quad, and IPv6 with an embedded dotted quad. */
  private static final int MAX_IPV4_TEXT = 15;
  private static final int MAX_IPV6_TEXT = 45;
  private static final int MAX_PORT_TEXT = 5;
  /** The field index after {@code UNKNOWN}: everything up to the CRLF is ignored. */
  private static final int IGNORED = 4;

  private V1Parser() {}

  private static byte[] ascii(String text) {
    return text.getBytes(StandardCharsets.US_ASCII);
  }

  static Result parse(ByteBuffer w, int start, int available, boolean ipv4DestinationInTcp6) {
    int limit = Math.min(available, MAX_LENGTH);
    // Heap buffers (Jetty's connection uses one) are read in place; any other buffer is read
    // with one bulk copy of at most 107 bytes, so the loop below indexes an array either way.
    byte[] a;
    int base;
    if (w.hasArray()) {
      a = w.array();
      base = w.arrayOffset() + start;
    } else {
      a = new byte[limit];
      w.get(start, a);
      base = 0;
    }
    for (int i = 0; i < PREFIX.length; i++) {
      if (i >= limit) {
        return NeedMoreBytes.INSTANCE;
      }
      if (a[base + i] != PREFIX[i]) {
        return ProxyHeaderParser.notAHeader(i);
      }
    }
    Line line = new Line(a, base, limit, ipv4DestinationInTcp6);
    int candidates = TCP4 | TCP6 | UNKNOWN;
    int field = -1; // -1: the protocol token; 0..3: src, dst, sport, dport; IGNORED
    int fieldStart = PREFIX.length;
    int alphabet = 0; // the classes the current field may hold, 0 outside fields
    int fieldLimit = 0; // the first offset past the longest text the field may hold
    int seen = 0; // the classes the current field holds so far
    for (int i = PREFIX.length; i < limit; i++) {
      byte b = a[base + i];
      int c = CLASSES[b & 0xFF];
      if ((c & alphabet) != 0) {
        // The common case: one more character of an address or port.
        if (i >= fieldLimit) {
          return line.fieldProblem(field);
        }
        seen |= c;
        continue;
      }
      if (b == '\n') {
        return malformed("v1: line feed without carriage return at offset " + i);
      }
      if (b == '\r') {
        if (i + 2 > MAX_LENGTH) {
          return tooLong();
        }
        Rejected bad = line.end(field, fieldStart, i, candidates, seen);
        if (bad != null) {
          return bad;
        }
        if (i + 1 >= available) {
          return NeedMoreBytes.INSTANCE;
        }
        if (a[base + i + 1] != '\n') {
          return malformed("v1: carriage return not followed by line feed at offset " + i);
        }
        return new Accepted(line.header(), i + 2);
      }
      if (field == IGNORED) {
        continue;
      }
      if (b == ' ') {
        Rejected bad = line.separator(field, fieldStart, i, candidates, seen);
        if (bad != null) {
          return bad;
        }
        field = field < 0 && line.family == null ? IGNORED : field + 1;
        fieldStart = i + 1;
        alphabet = line.alphabet(field);
        fieldLimit = fieldStart + line.maxLength(field);
        seen = 0;
        continue;
      }
      if (field >= 0) {
        return line.fieldProblem(field); // a character outside the field's alphabet
      }
      candidates = narrow(candidates, i - PREFIX.length, b);
      if (candidates == 0) {
        return protocolProblem();
      }
    }
    return available >= MAX_LENGTH ? tooLong() : NeedMoreBytes.INSTANCE;
  }

  /** The tokens among {@code candidates} whose byte {@code index} is {@code b}. */
  private static int narrow(int candidates, int index, byte b) {
    return index < LONGEST_TOKEN ? candidates & TOKENS_AT[index * 256 + (b & 0xFF)] : 0;
  }

  /** The one token of exactly {@code length} bytes left among {@code candidates}, or 0. */
  private static int complete(int candidates, int length) {
    for (int token = TCP4; token <= UNKNOWN; token <<= 1) {
      if ((candidates & token) != 0 && TOKENS[token].length == length) {
        return token;
      }
    }
    return 0;
  }

  /**
   * What the line has shown so far (the family and each complete field, parsed), and the
   * line's bytes as ISO-8859-1 characters, so the address grammar reads them in place. Only
   * indices the scan has already seen are read.
   */
  private static final class Line implements CharSequence {
    private final byte[] a;
    private final int base;
    private final int seen;
    private final boolean ipv4DestinationInTcp6;
    private Family family;
    private IpAddress source;
    private IpAddress destination;
    private int sourcePort;
    private int destinationPort;

    Line(byte[] a, int base, int seen, boolean ipv4DestinationInTcp6) {
      this.a = a;
      this.base = base;
      this.seen = seen;
      this.ipv4DestinationInTcp6 = ipv4DestinationInTcp6;
    }

    /** A space at {@code at} ends the protocol token or field {@code field}. */
    Rejected separator(int field, int from, int at, int candidates, int seen) {
      if (field < 0) {
        return protocol(candidates, at - from);
      }
      if (at == from) {
        return malformed("v1: empty field (double space) at offset " + at);
      }
      if (field == 3) {
        return malformed("v1: more than 4 fields after " + token());
      }
      return field(field, from, at, (seen & COLON) != 0);
    }

    /** A CR at {@code at} ends the line. */
    Rejected end(int field, int from, int at, int candidates, int seen) {
      if (field == IGNORED) {
        return null;
      }
      if (field < 0) {
        Rejected bad = protocol(candidates, at - from);
        return bad != null || family == null
            ? bad
            : malformed("v1: expected 4 fields after " + token()
                + " separated by single spaces, found 0");
      }
      if (at == from) {
        return malformed("v1: empty field (double space) at offset " + at);
      }
      if (field < 3) {
        return malformed("v1: expected 4 fields after " + token()
            + " separated by single spaces, found " + (field + 1));
      }
      return field(field, from, at, (seen & COLON) != 0);
    }

    private Rejected protocol(int candidates, int length) {
      int token = length == 0 ? 0 : complete(candidates, length);
      if (token == 0) {
        return protocolProblem();
      }
      family = token == TCP4 ? Family.INET : token == TCP6 ? Family.INET6 : null;
      return null;
    }

    /** The character classes field {@code field} may hold (0 for IGNORED). */
    int alphabet(int field) {
      if (field == IGNORED) {
        return 0;
      }
      if (field >= 2) {
        return DIGIT;
      }
      return family == Family.INET ? DIGIT | DOT : DIGIT | DOT | COLON | HEX_LETTER;
    }

    /** The longest text field {@code field} may hold. */
    int maxLength(int field) {
      if (field >= 2) {
        return MAX_PORT_TEXT;
      }
      return family == Family.INET ? MAX_IPV4_TEXT : MAX_IPV6_TEXT;
    }

    Rejected fieldProblem(int field) {
      return field < 2
          ? malformed(addressProblem(field == 0 ? "source" : "destination", family))
          : malformed(portProblem(field == 2 ? "source" : "destination"));
    }

    private Rejected field(int field, int from, int to, boolean colon) {
      if (field >= 2) {
        int port = port(from, to);
        if (port < 0) {
          return malformed(portProblem(field == 2 ? "source" : "destination"));
        }
        if (field == 2) {
          sourcePort = port;
        } else {
          destinationPort = port;
        }
        return null;
      }
      // TCP4 fields cannot hold ':' (alphabet); a TCP6 source must be IPv6 text, and a TCP6
      // destination too unless IPv4 text is allowed there.
      IpAddress address;
      if (colon) {
        address = IpAddresses.tryParseIpv6(this, from, to);
      } else if (family == Family.INET || (field == 1 && ipv4DestinationInTcp6)) {
        address = IpAddresses.tryParseIpv4(this, from, to);
      } else {
        address = null;
      }
      if (address == null) {
        return malformed(addressProblem(field == 0 ? "source" : "destination", family));
      }
      if (field == 0) {
        source = address;
      } else {
        destination = address;
      }
      return null;
    }

    /** A decimal port 0..65535 without leading zeros (digits only, at most 5), or -1. */
    private int port(int from, int to) {
      if (to - from > 1 && a[base + from] == '0') {
        return -1;
      }
      int value = 0;
      for (int i = from; i < to; i++) {
        value = value * 10 + (a[base + i] - '0');
      }
      return value <= 0xFFFF ? value : -1;
    }

    private String token() {
      return family == Family.INET ? "TCP4" : "TCP6";
    }

    @Override
    public int length() {
      return seen;
    }

    @Override
    public char charAt(int index) {
      return (char) (a[base + index] & 0xFF);
    }

    @Override
    public CharSequence subSequence(int from, int to) {
      StringBuilder b = new StringBuilder(to - from);
      for (int i = from; i < to; i++) {
        b.append(charAt(i));
      }
      return b;
    }

    @Override
    public String toString() {
      return subSequence(0, seen).toString();
    }

    ProxyHeader header() {
      if (family == null) {
        return ProxyHeader.realEndpoints(1, Command.PROXY, Family.UNSPEC, Transport.UNSPEC);
      }
      return ProxyHeader.proxied(1, family, Transport.STREAM, source, sourcePort, destination,
          destinationPort, TlvBlock.EMPTY);
    }
  }

  private static Rejected protocolProblem() {
    return malformed("v1: protocol field is not TCP4, TCP6 or UNKNOWN (case-sensitive)");
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

  private static Rejected tooLong() {
    return new Rejected(Reason.TOO_LARGE, "v1: no CRLF in the first " + MAX_LENGTH + " bytes");
  }

  private static Rejected malformed(String message) {
    return new Rejected(Reason.MALFORMED, message);
  }
}

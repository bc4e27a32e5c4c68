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
 * fourth field, or an LF without CR. A complete field is parsed when its space or CR arrives, so
 * a field that is no valid address or port is refused then, not at the deadline. More bytes
 * never change a decision once made.
 *
 * <p>Each field is scanned once, in a loop that does nothing but class its bytes (and sum a
 * port's digits, so a port is parsed in that same scan); an address field's span is then handed
 * to {@link IpAddresses}, the library's one address grammar, which reads the buffer's bytes in
 * place, told the family the field must have. No {@code String}, copy or per-line object is
 * made for a heap buffer: an accepted line allocates its header, its two addresses and the
 * {@link Accepted}, plus a 16-byte view per IPv6 field where C2 does not inline the IPv6
 * grammar (it is too large), so that view escapes.
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

  private V1Parser() {}

  private static byte[] ascii(String text) {
    return text.getBytes(StandardCharsets.US_ASCII);
  }

  static Result parse(ByteBuffer w, int start, int available, boolean ipv4DestinationInTcp6) {
    int limit = Math.min(available, MAX_LENGTH);
    // Heap buffers (Jetty's connection uses one) are read in place; any other buffer is read
    // with one bulk copy of at most 107 bytes, so the loops below index an array either way.
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
    int end = base + limit; // offsets below are into a; messages give them relative to base
    for (int i = 0; i < PREFIX.length; i++) {
      if (i >= limit) {
        return NeedMoreBytes.INSTANCE;
      }
      if (a[base + i] != PREFIX[i]) {
        return ProxyHeaderParser.notAHeader(i);
      }
    }
    // The protocol token, narrowed with one table lookup per byte.
    int candidates = TCP4 | TCP6 | UNKNOWN;
    int i = base + PREFIX.length;
    byte b;
    while (true) {
      if (i >= end) {
        return endOfWindow(available);
      }
      b = a[i];
      if (b == ' ' || b == '\r' || b == '\n') {
        break;
      }
      candidates = narrow(candidates, i - base - PREFIX.length, b);
      if (candidates == 0) {
        return protocolProblem();
      }
      i++;
    }
    if (b == '\n') {
      return lineFeedWithoutCr(i - base);
    }
    if (b == '\r' && i - base + 2 > MAX_LENGTH) {
      return tooLong();
    }
    int length = i - base - PREFIX.length;
    int token = length == 0 ? 0 : complete(candidates, length);
    if (token == 0) {
      return protocolProblem();
    }
    if (token == UNKNOWN) {
      // Everything up to the CRLF is ignored.
      while (b != '\r') {
        if (++i >= end) {
          return endOfWindow(available);
        }
        b = a[i];
        if (b == '\n') {
          return lineFeedWithoutCr(i - base);
        }
      }
      if (i - base + 2 > MAX_LENGTH) {
        return tooLong();
      }
      return lineEnd(a, base, i, available,
          ProxyHeader.realEndpoints(1, Command.PROXY, Family.UNSPEC, Transport.UNSPEC));
    }
    boolean v4 = token == TCP4;
    if (b == '\r') {
      return malformed(
          "v1: expected 4 fields after " + name(v4) + " separated by single spaces, found 0");
    }
    // The four fields: each is scanned to the first byte outside its alphabet, then that byte
    // must end it (a space, or the CR after the fourth) and the field is parsed.
    int addressAlphabet = v4 ? DIGIT | DOT : DIGIT | DOT | COLON | HEX_LETTER;
    int addressLength = v4 ? MAX_IPV4_TEXT : MAX_IPV6_TEXT;
    IpAddress source = null;
    IpAddress destination = null;
    int sourcePort = 0;
    for (int field = 0; ; field++) {
      int from = ++i;
      int seen = 0;
      int port = 0;
      int fieldEnd;
      if (field < 2) {
        fieldEnd = Math.min(end, from + addressLength);
        while (i < fieldEnd) {
          int c = CLASSES[a[i] & 0xFF];
          if ((c & addressAlphabet) == 0) {
            break;
          }
          seen |= c;
          i++;
        }
      } else {
        fieldEnd = Math.min(end, from + MAX_PORT_TEXT);
        while (i < fieldEnd) {
          int digit = a[i] - '0';
          if (digit < 0 || digit > 9) {
            break;
          }
          port = port * 10 + digit;
          i++;
        }
      }
      if (i >= end) {
        return endOfWindow(available);
      }
      b = a[i];
      if ((CLASSES[b & 0xFF] & (field < 2 ? addressAlphabet : DIGIT)) != 0) {
        return fieldProblem(field, v4); // longer than any valid field
      }
      if (b == '\r') {
        if (i - base + 2 > MAX_LENGTH) {
          return tooLong();
        }
        if (i == from) {
          return emptyField(i - base);
        }
        if (field < 3) {
          return malformed("v1: expected 4 fields after " + name(v4)
              + " separated by single spaces, found " + (field + 1));
        }
      } else if (b == ' ') {
        if (i == from) {
          return emptyField(i - base);
        }
        if (field == 3) {
          return malformed("v1: more than 4 fields after " + name(v4));
        }
      } else if (b == '\n') {
        return lineFeedWithoutCr(i - base);
      } else {
        return fieldProblem(field, v4); // a character outside the field's alphabet
      }
      if (field >= 2) {
        // Digits only, at most 5 (the alphabet and length above); no leading zeros.
        if (port > 0xFFFF || (i - from > 1 && a[from] == '0')) {
          return fieldProblem(field, v4);
        }
        if (field == 2) {
          sourcePort = port;
          continue;
        }
        return lineEnd(a, base, i, available, ProxyHeader.proxied(1, v4 ? Family.INET
            : Family.INET6, Transport.STREAM, source, sourcePort, destination, port,
            TlvBlock.EMPTY));
      }
      // TCP4 fields cannot hold ':' (alphabet); a TCP6 source must be IPv6 text, and a TCP6
      // destination too unless IPv4 text is allowed there.
      IpAddress address;
      if ((seen & COLON) != 0) {
        address = IpAddresses.tryParseIpv6(a, from, i);
      } else if (v4 || (field == 1 && ipv4DestinationInTcp6)) {
        address = IpAddresses.tryParseIpv4(a, from, i);
      } else {
        address = null;
      }
      if (address == null) {
        return fieldProblem(field, v4);
      }
      if (field == 0) {
        source = address;
      } else {
        destination = address;
      }
    }
  }

  /** The CR at {@code a[cr]} ends a valid line: it must be followed by LF. */
  private static Result lineEnd(byte[] a, int base, int cr, int available, ProxyHeader header) {
    int at = cr - base;
    if (at + 1 >= available) {
      return NeedMoreBytes.INSTANCE;
    }
    if (a[cr + 1] != '\n') {
      return malformed("v1: carriage return not followed by line feed at offset " + at);
    }
    return new Accepted(header, at + 2);
  }

  /** Every byte of the window is a valid beginning. */
  private static Result endOfWindow(int available) {
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

  private static String name(boolean v4) {
    return v4 ? "TCP4" : "TCP6";
  }

  private static Rejected fieldProblem(int field, boolean v4) {
    return field < 2
        ? malformed(addressProblem(field == 0 ? "source" : "destination", v4))
        : malformed(portProblem(field == 2 ? "source" : "destination"));
  }

  private static Rejected emptyField(int at) {
    return malformed("v1: empty field (double space) at offset " + at);
  }

  private static Rejected lineFeedWithoutCr(int at) {
    return malformed("v1: line feed without carriage return at offset " + at);
  }

  private static Rejected protocolProblem() {
    return malformed("v1: protocol field is not TCP4, TCP6 or UNKNOWN (case-sensitive)");
  }

  private static String addressProblem(String which, boolean v4) {
    return v4
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

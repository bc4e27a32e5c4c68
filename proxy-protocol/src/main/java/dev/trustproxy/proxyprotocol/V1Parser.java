package dev.trustproxy.proxyprotocol;

import dev.trustproxy.IpAddress;
import dev.trustproxy.proxyprotocol.ProxyHeader.Command;
import dev.trustproxy.proxyprotocol.ProxyHeader.Family;
import dev.trustproxy.proxyprotocol.ProxyHeader.Transport;
import dev.trustproxy.proxyprotocol.ProxyHeaderParser.Accepted;
import dev.trustproxy.proxyprotocol.ProxyHeaderParser.NeedMoreBytes;
import dev.trustproxy.proxyprotocol.ProxyHeaderParser.Reason;
import dev.trustproxy.proxyprotocol.ProxyHeaderParser.Rejected;
import dev.trustproxy.proxyprotocol.ProxyHeaderParser.Result;
import java.nio.ByteBuffer;

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
 * (addresses by {@link IpAddress#tryParse(CharSequence, int, int)}, the library's one address
 * grammar), so a field that is no valid address or port is refused then, not at the deadline.
 * More bytes never change a decision once made.
 */
final class V1Parser {

  /** The longest v1 line, CRLF included. */
  static final int MAX_LENGTH = 107;

  private static final byte[] PREFIX = {'P', 'R', 'O', 'X', 'Y', ' '};
  private static final int TCP4 = 1;
  private static final int TCP6 = 2;
  private static final int UNKNOWN = 4;
  private static final String[] TOKENS = {null, "TCP4", "TCP6", null, "UNKNOWN"};
  /** The longest address texts: a dotted quad, and IPv6 with an embedded dotted quad. */
  private static final int MAX_IPV4_TEXT = 15;
  private static final int MAX_IPV6_TEXT = 45;
  private static final int MAX_PORT_TEXT = 5;
  /** The field index after {@code UNKNOWN}: everything up to the CRLF is ignored. */
  private static final int IGNORED = 4;

  private V1Parser() {}

  static Result parse(ByteBuffer w, int start, int available, boolean ipv4DestinationInTcp6) {
    int limit = Math.min(available, MAX_LENGTH);
    for (int i = 0; i < PREFIX.length; i++) {
      if (i >= limit) {
        return NeedMoreBytes.INSTANCE;
      }
      if (w.get(start + i) != PREFIX[i]) {
        return ProxyHeaderParser.notAHeader(i);
      }
    }
    Line line = new Line(w, start, limit, ipv4DestinationInTcp6);
    int candidates = TCP4 | TCP6 | UNKNOWN;
    int field = -1; // -1: the protocol token; 0..3: src, dst, sport, dport; IGNORED
    int fieldStart = PREFIX.length;
    boolean colon = false;
    for (int i = PREFIX.length; i < limit; i++) {
      byte b = w.get(start + i);
      if (b == '\n') {
        return malformed("v1: line feed without carriage return at offset " + i);
      }
      if (b == '\r') {
        if (i + 2 > MAX_LENGTH) {
          return tooLong();
        }
        Rejected bad = line.end(field, fieldStart, i, candidates, colon);
        if (bad != null) {
          return bad;
        }
        if (i + 1 >= available) {
          return NeedMoreBytes.INSTANCE;
        }
        if (w.get(start + i + 1) != '\n') {
          return malformed("v1: carriage return not followed by line feed at offset " + i);
        }
        return new Accepted(line.header(), i + 2);
      }
      if (field == IGNORED) {
        continue;
      }
      if (b == ' ') {
        Rejected bad = line.separator(field, fieldStart, i, candidates, colon);
        if (bad != null) {
          return bad;
        }
        field = field < 0 && line.family == null ? IGNORED : field + 1;
        fieldStart = i + 1;
        colon = false;
        continue;
      }
      if (field < 0) {
        candidates = narrow(candidates, i - PREFIX.length, b);
        if (candidates == 0) {
          return protocolProblem();
        }
        continue;
      }
      if (!line.inAlphabet(field, b, i - fieldStart)) {
        return field < 2
            ? malformed(addressProblem(field == 0 ? "source" : "destination", line.family))
            : malformed(portProblem(field == 2 ? "source" : "destination"));
      }
      colon |= b == ':';
    }
    return available >= MAX_LENGTH ? tooLong() : NeedMoreBytes.INSTANCE;
  }

  /** The tokens among {@code candidates} whose byte {@code index} is {@code b}. */
  private static int narrow(int candidates, int index, byte b) {
    int left = 0;
    for (int token = TCP4; token <= UNKNOWN; token <<= 1) {
      String text = TOKENS[token];
      if ((candidates & token) != 0 && index < text.length() && text.charAt(index) == b) {
        left |= token;
      }
    }
    return left;
  }

  /** The one token of exactly {@code length} bytes left among {@code candidates}, or 0. */
  private static int complete(int candidates, int length) {
    for (int token = TCP4; token <= UNKNOWN; token <<= 1) {
      if ((candidates & token) != 0 && TOKENS[token].length() == length) {
        return token;
      }
    }
    return 0;
  }

  /**
   * What the line has shown so far (the family and each complete field, parsed), and the
   * window's bytes from {@code start} as ISO-8859-1 characters, so the address grammar reads them
   * in place. Only indices the scan has already seen are read.
   */
  private static final class Line implements CharSequence {
    private final ByteBuffer w;
    private final int start;
    private final int seen;
    private final boolean ipv4DestinationInTcp6;
    private Family family;
    private IpAddress source;
    private IpAddress destination;
    private int sourcePort;
    private int destinationPort;

    Line(ByteBuffer w, int start, int seen, boolean ipv4DestinationInTcp6) {
      this.w = w;
      this.start = start;
      this.seen = seen;
      this.ipv4DestinationInTcp6 = ipv4DestinationInTcp6;
    }

    /** A space at {@code at} ends the protocol token or field {@code field}. */
    Rejected separator(int field, int from, int at, int candidates, boolean colon) {
      if (field < 0) {
        return protocol(candidates, at - from);
      }
      if (at == from) {
        return malformed("v1: empty field (double space) at offset " + at);
      }
      if (field == 3) {
        return malformed("v1: more than 4 fields after " + token());
      }
      return field(field, from, at, colon);
    }

    /** A CR at {@code at} ends the line. */
    Rejected end(int field, int from, int at, int candidates, boolean colon) {
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
      return field(field, from, at, colon);
    }

    private Rejected protocol(int candidates, int length) {
      int token = length == 0 ? 0 : complete(candidates, length);
      if (token == 0) {
        return protocolProblem();
      }
      family = token == TCP4 ? Family.INET : token == TCP6 ? Family.INET6 : null;
      return null;
    }

    boolean inAlphabet(int field, byte b, int index) {
      if (field >= 2) {
        return index < MAX_PORT_TEXT && b >= '0' && b <= '9';
      }
      boolean digitOrDot = (b >= '0' && b <= '9') || b == '.';
      if (family == Family.INET) {
        return index < MAX_IPV4_TEXT && digitOrDot;
      }
      return index < MAX_IPV6_TEXT
          && (digitOrDot || b == ':' || (b >= 'a' && b <= 'f') || (b >= 'A' && b <= 'F'));
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
      boolean allowed = family == Family.INET || colon || (field == 1 && ipv4DestinationInTcp6);
      IpAddress address = allowed ? IpAddress.tryParse(this, from, to) : null;
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
      if (to - from > 1 && w.get(start + from) == '0') {
        return -1;
      }
      int value = 0;
      for (int i = from; i < to; i++) {
        value = value * 10 + (w.get(start + i) - '0');
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
      return (char) (w.get(start + index) & 0xFF);
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

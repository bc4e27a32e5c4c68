package dev.trustproxy.proxyprotocol;

import java.nio.ByteBuffer;

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
 * <p>A header is rejected as soon as the bytes seen so far can no longer become a valid one: a
 * wrong signature byte, a bad v1 protocol token, character or field count, a bad v2 version,
 * command or family byte, a v2 length over the cap, 107 bytes without a v1 CRLF. So a peer can
 * never make an adapter buffer more than the cap, and a broken header is closed at once instead
 * of at the deadline; a decision, once made, never changes when more bytes arrive. Rejection
 * messages describe the problem with decoded field values and offsets; they never contain the
 * received bytes, so they are safe to log.
 *
 * <p>An accepted header keeps its addresses as {@link dev.trustproxy.IpAddress} values and its TLV
 * bytes in one copy; {@link ProxyHeader} builds socket addresses and TLV objects only when asked.
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

  /** The longest v1 line, CRLF included. */
  static final int V1_MAX_LENGTH = V1Parser.MAX_LENGTH;

  static final int V2_PREFIX_LENGTH = V2Parser.PREFIX_LENGTH;

  private final boolean v1Enabled;
  private final boolean v2Enabled;
  private final int maxV2HeaderSize;
  private final boolean ipv4DestinationInTcp6;

  /** Unchecked: {@link ProxyProtocolSettings.Builder} validates the values. */
  ProxyHeaderParser(
      boolean v1Enabled, boolean v2Enabled, int maxV2HeaderSize, boolean ipv4DestinationInTcp6) {
    this.v1Enabled = v1Enabled;
    this.v2Enabled = v2Enabled;
    this.maxV2HeaderSize = maxV2HeaderSize;
    this.ipv4DestinationInTcp6 = ipv4DestinationInTcp6;
  }

  /**
   * The parser of the default settings: both versions, the 4096-byte v2 cap, IPv4 text accepted
   * as the destination of a v1 {@code TCP6} line.
   */
  public static ProxyHeaderParser defaults() {
    return new ProxyHeaderParser(
        true, true, ProxyProtocolSettings.DEFAULT_MAX_V2_HEADER_SIZE, true);
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
    if (first == V2_FIRST) {
      return v2Enabled
          ? V2Parser.parse(window, start, available, maxV2HeaderSize)
          : new Rejected(Reason.UNSUPPORTED, "PROXY protocol v2 is disabled on this connector");
    }
    if (first == V1_FIRST) {
      return v1Enabled
          ? V1Parser.parse(window, start, available, ipv4DestinationInTcp6)
          : new Rejected(Reason.UNSUPPORTED, "PROXY protocol v1 is disabled on this connector");
    }
    return notAHeader(0);
  }

  private static final byte V1_FIRST = 'P';
  private static final byte V2_FIRST = 0x0D;

  /** True when {@code b} could start a PROXY header ('P' for v1, CR for v2). */
  public static boolean couldStartHeader(byte b) {
    return b == V1_FIRST || b == V2_FIRST;
  }

  static Rejected notAHeader(int offset) {
    return new Rejected(
        Reason.MALFORMED,
        "not a PROXY protocol header (byte " + offset + " matches neither the v1 nor the v2"
            + " signature)");
  }
}

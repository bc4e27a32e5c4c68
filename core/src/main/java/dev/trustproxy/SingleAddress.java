package dev.trustproxy;

/**
 * The value of a header that holds one client address, such as X-Real-IP or CF-Connecting-IP
 * (README D91): optional spaces or tabs around exactly one IPv4 or IPv6 literal, IPv6 also in
 * brackets; no port, no list, one field line. The address itself is read by {@link IpAddress}'s
 * one parser.
 */
final class SingleAddress {

  private SingleAddress() {}

  /** The resolution from a trusted peer's header: the address, or the peer and the reason. */
  static Resolution read(IpAddress peer, String headerName, String value, boolean severalLines) {
    if (severalLines) {
      return Resolution.rejected(peer, Resolution.Rejection.SEVERAL_FIELD_LINES);
    }
    long span = Entries.trim(value, 0, value.length());
    if (span == Entries.EMPTY) {
      return Resolution.rejected(peer, Resolution.Rejection.EMPTY);
    }
    int from = (int) (span >>> 32);
    int to = (int) span;
    int comma = value.indexOf(',', from);
    if (comma >= 0 && comma < to) {
      return Resolution.rejected(peer, Resolution.Rejection.LIST);
    }
    IpAddress address;
    if (value.charAt(from) == '[') {
      int close = value.indexOf(']', from);
      if (close < 0 || close >= to) {
        return Resolution.rejected(peer, Resolution.Rejection.NOT_AN_ADDRESS);
      }
      if (close + 1 < to) {
        return Resolution.rejected(peer, value.charAt(close + 1) == ':'
            ? Resolution.Rejection.PORT : Resolution.Rejection.NOT_AN_ADDRESS);
      }
      // Brackets hold IPv6 text only (RFC 3986 IP-literal), never a dotted quad.
      int colon = value.indexOf(':', from);
      address = colon > from && colon < close ? IpAddress.tryParse(value, from + 1, close) : null;
    } else {
      int colon = value.indexOf(':', from);
      if (colon >= 0 && colon < to && value.lastIndexOf(':', to - 1) == colon) {
        // One colon: a dotted quad with a port, which these headers never carry.
        return Resolution.rejected(peer, IpAddress.tryParse(value, from, colon) != null
            ? Resolution.Rejection.PORT : Resolution.Rejection.NOT_AN_ADDRESS);
      }
      address = IpAddress.tryParse(value, from, to);
    }
    if (address == null || address.isUnspecified()) {
      return Resolution.rejected(peer, Resolution.Rejection.NOT_AN_ADDRESS);
    }
    return Resolution.ofSingle(peer, address, headerName);
  }
}

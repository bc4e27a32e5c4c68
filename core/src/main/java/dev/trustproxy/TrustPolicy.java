package dev.trustproxy;

import java.util.Objects;

/**
 * Which hops of a request's path are trusted to report the hop before them: Express's {@code trust
 * proxy} setting, compiled once.
 *
 * <p>A hop is identified by its address and its index in the walk: the TCP peer is index 0, the
 * right-most X-Forwarded-For entry index 1, and so on leftwards. The text form, used everywhere a
 * person types the setting (web.xml, system properties, command lines), is parsed by {@link
 * #parse(String, String)}:
 *
 * <table>
 *   <caption>Text form</caption>
 *   <tr><td>absent, empty, {@code false}</td><td>trust nothing (the default)</td></tr>
 *   <tr><td>{@code true}</td><td>trust every hop (unsafe unless every path into the server goes
 *       through your proxies)</td></tr>
 *   <tr><td>{@code N} (decimal, 0..2147483647)</td><td>hop count: indexes below N are trusted;
 *       {@code 1} trusts the peer only. Unlike Express, the <em>string</em> "1" is a hop count,
 *       never the address 0.0.0.1</td></tr>
 *   <tr><td>a comma-separated list</td><td>addresses, ranges and presets, see {@link
 *       IpRangeSet}, and files of them ({@code file:/path}, reloaded when they change), see
 *       {@link RangeSource}</td></tr>
 * </table>
 *
 * <p>Immutable and safe to share between threads. A policy whose ranges come from files or are
 * swapped ({@link #ranges(RangeSource)}) is itself immutable: it applies its source's current set.
 */
public final class TrustPolicy {

  /** A custom trust decision, called per hop with its address and index (peer = 0). */
  @FunctionalInterface
  public interface HopPredicate {
    boolean isTrusted(IpAddress address, int index);
  }

  enum Kind {
    NONE,
    ALL,
    HOPS,
    RANGES,
    /** Ranges that can change: read from a {@link RangeSource} once per walk. */
    SOURCE,
    CUSTOM
  }

  private static final TrustPolicy NONE = new TrustPolicy(Kind.NONE, 0, null, null, null);
  private static final TrustPolicy ALL = new TrustPolicy(Kind.ALL, 0, null, null, null);

  private final Kind kind;
  private final int hops;
  private final IpRangeSet ranges;
  private final RangeSource source;
  private final HopPredicate custom;

  private TrustPolicy(Kind kind, int hops, IpRangeSet ranges, RangeSource source,
      HopPredicate custom) {
    this.kind = kind;
    this.hops = hops;
    this.ranges = ranges;
    this.source = source;
    this.custom = custom;
  }

  /** Trust nothing: the client is always the TCP peer. The default. */
  public static TrustPolicy none() {
    return NONE;
  }

  /**
   * Trust every hop: the client is the left-most X-Forwarded-For entry, which the client itself
   * wrote. Safe only when no request can reach the server except through your proxies.
   */
  public static TrustPolicy all() {
    return ALL;
  }

  /**
   * Trust the first {@code n} hops counted from the TCP peer ({@code 1} = the peer only).
   *
   * <p>A hop count cannot tell a proxy from a client that connected directly; pair it with a peer
   * gate ({@link ClientResolver#withTrustedPeers(IpRangeSet)}) when the server is reachable
   * without going through the proxy.
   *
   * @throws IllegalArgumentException when {@code n} is negative
   */
  public static TrustPolicy hops(int n) {
    if (n < 0) {
      throw new IllegalArgumentException("hop count " + n + ": expected 0 or more");
    }
    return n == 0 ? NONE : new TrustPolicy(Kind.HOPS, n, null, null, null);
  }

  /** Trust hops whose address is in {@code ranges}, whatever their index. */
  public static TrustPolicy ranges(IpRangeSet ranges) {
    Objects.requireNonNull(ranges, "ranges");
    return ranges.isEmpty() ? NONE : new TrustPolicy(Kind.RANGES, 0, ranges, null, null);
  }

  /**
   * Trust hops whose address is in the source's current set (README D82): a file list that is
   * reloaded, or a set the application swaps. Each walk reads the set once.
   */
  public static TrustPolicy ranges(RangeSource source) {
    Objects.requireNonNull(source, "source");
    return source.isDynamic()
        ? new TrustPolicy(Kind.SOURCE, 0, null, source, null)
        : ranges(source.current());
  }

  /** Trust what {@code predicate} says, called at most once per hop walked. */
  public static TrustPolicy custom(HopPredicate predicate) {
    return new TrustPolicy(Kind.CUSTOM, 0, null, null,
        Objects.requireNonNull(predicate, "predicate"));
  }

  /**
   * Parses the text form (see the class description).
   *
   * @param settingName where the text came from (an init-param, a flag, a property), named in
   *     error messages
   * @param text the setting; {@code null} means absent (trust nothing)
   * @throws IllegalArgumentException naming the setting, quoting the bad item and saying what was
   *     expected
   */
  public static TrustPolicy parse(String settingName, String text) {
    Objects.requireNonNull(settingName, "settingName");
    if (text == null) {
      return NONE;
    }
    String trimmed = IpRangeSet.trimSpacesAndTabs(text, 0, text.length());
    if (trimmed.isEmpty() || trimmed.equals("false")) {
      return NONE;
    }
    if (trimmed.equals("true")) {
      return ALL;
    }
    if (isDigits(trimmed)) {
      if (trimmed.length() > 1 && trimmed.charAt(0) == '0') {
        throw new IllegalArgumentException(settingName + ": '" + text + "' is a hop count with a"
            + " leading zero: expected a decimal integer 0..2147483647 without leading zeros");
      }
      long n = trimmed.length() > 10 ? Long.MAX_VALUE : Long.parseLong(trimmed);
      if (n > Integer.MAX_VALUE) {
        throw new IllegalArgumentException(settingName + ": '" + text + "' is a hop count out of"
            + " range: expected 0..2147483647");
      }
      return hops((int) n);
    }
    return ranges(RangeSource.parse(settingName, text));
  }

  /** Parses the text form; error messages name the setting {@code trust-proxy}. */
  public static TrustPolicy parse(String text) {
    return parse("trust-proxy", text);
  }

  /** Whether the hop at {@code index} (peer = 0) with this address is trusted. */
  public boolean isTrusted(IpAddress address, int index) {
    if (kind == Kind.SOURCE) {
      return current().isTrusted(address, index);
    }
    return address.isIpv4()
        ? trusts(true, 0, address.ipv4Bits(), index)
        : trusts(false, address.high(), address.low(), index);
  }

  /**
   * The one trust decision, on the address's bits: an IPv4 hop as {@code (int) low}, an IPv6 hop
   * as its 128 bits, so the walk matches entries without creating addresses (README D72). Only a
   * custom predicate gets an {@link IpAddress}.
   */
  boolean trusts(boolean isV4, long high, long low, int index) {
    return switch (kind) {
      case NONE -> false;
      case ALL -> true;
      case HOPS -> index < hops;
      case RANGES -> isV4 ? ranges.containsIpv4((int) low) : ranges.containsIpv6(high, low);
      case SOURCE -> current().trusts(isV4, high, low, index);
      case CUSTOM -> custom.isTrusted(
          isV4 ? IpAddress.ipv4((int) low) : IpAddress.ipv6(high, low), index);
    };
  }

  /**
   * The policy to apply to one walk: for ranges from a {@link RangeSource}, a policy of its
   * current set (one volatile read); otherwise this policy.
   */
  TrustPolicy current() {
    return kind == Kind.SOURCE ? source.snapshot().policy : this;
  }

  /** The source of a policy made by {@link #ranges(RangeSource)} that can change, else null. */
  RangeSource source() {
    return source;
  }

  /** True for {@link #all()}: the setting that believes the client-written left-most entry. */
  public boolean trustsEverything() {
    return kind == Kind.ALL;
  }

  /** True for {@link #none()}. */
  public boolean trustsNothing() {
    return kind == Kind.NONE;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof TrustPolicy other
        && other.kind == kind
        && other.hops == hops
        && Objects.equals(other.ranges, ranges)
        && Objects.equals(other.source, source)
        && Objects.equals(other.custom, custom);
  }

  @Override
  public int hashCode() {
    return Objects.hash(kind, hops, ranges, source, custom);
  }

  /** The text form ({@code false}, {@code true}, {@code N} or the range list); custom: {@code custom}. */
  @Override
  public String toString() {
    return switch (kind) {
      case NONE -> "false";
      case ALL -> "true";
      case HOPS -> Integer.toString(hops);
      case RANGES -> ranges.toString();
      case SOURCE -> source.toString();
      case CUSTOM -> "custom(" + custom + ")";
    };
  }

  private static boolean isDigits(String s) {
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      if (c < '0' || c > '9') {
        return false;
      }
    }
    return true;
  }
}

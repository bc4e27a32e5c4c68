package dev.trustproxy;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.function.Consumer;

/**
 * A compiled list of {@link IpRange}s, matched without allocation in time that hardly grows
 * with the number of ranges (sorted merged intervals, README D81).
 *
 * <p>The text form is the one Express users know: a comma-separated list whose items (trimmed of
 * spaces and tabs) are addresses, {@code addr/prefix}, IPv4 {@code addr/netmask}, or one of the
 * presets (case-sensitive, as in Express):
 *
 * <ul>
 *   <li>{@code loopback}: 127.0.0.0/8, ::1/128
 *   <li>{@code linklocal}: 169.254.0.0/16, fe80::/10
 *   <li>{@code uniquelocal}: 10.0.0.0/8, 172.16.0.0/12, 192.168.0.0/16, fc00::/7
 * </ul>
 *
 * <p>A setting that may also name files ({@code file:/path}) is read by {@link RangeSource#parse};
 * this class, a fixed list, refuses such items.
 *
 * <p>Immutable and safe to share between threads.
 */
public final class IpRangeSet {

  private static final String[][] PRESETS = {
    {"loopback", "127.0.0.0/8", "::1/128"},
    {"linklocal", "169.254.0.0/16", "fe80::/10"},
    {"uniquelocal", "10.0.0.0/8", "172.16.0.0/12", "192.168.0.0/16", "fc00::/7"},
  };

  private static final IpRangeSet EMPTY = new IpRangeSet(List.of());

  private final List<IpRange> ranges;
  private final RangeTable v4;
  private final RangeTable v6;

  private IpRangeSet(List<IpRange> ranges) {
    this.ranges = Collections.unmodifiableList(new ArrayList<>(ranges));
    v4 = RangeTable.of(ranges, true);
    v6 = RangeTable.of(ranges, false);
  }

  /** The set of no addresses. */
  public static IpRangeSet empty() {
    return EMPTY;
  }

  /** The given ranges, duplicates removed, in order. */
  public static IpRangeSet of(List<IpRange> ranges) {
    Set<IpRange> unique = new LinkedHashSet<>(ranges);
    return unique.isEmpty() ? EMPTY : new IpRangeSet(List.copyOf(unique));
  }

  /** The given ranges, duplicates removed, in order. */
  public static IpRangeSet of(IpRange... ranges) {
    return of(Arrays.asList(ranges));
  }

  /**
   * Parses the text form (see the class description).
   *
   * @param settingName the name of the setting the text came from, used in error messages
   * @throws IllegalArgumentException naming the setting, quoting the bad item and saying what was
   *     expected: for an empty list, an empty item, an unknown word, or a bad address or range
   */
  public static IpRangeSet parse(String settingName, String text) {
    return parse(settingName, text, null);
  }

  /**
   * The one reader of the list syntax. Items that start with {@code file:} go to {@code files}
   * (README D80), and may then be the only items: the result is empty. Without {@code files} such
   * an item is refused.
   */
  static IpRangeSet parse(String settingName, String text, Consumer<String> files) {
    List<IpRange> ranges = new ArrayList<>();
    int start = 0;
    while (true) {
      int comma = text.indexOf(',', start);
      int end = comma < 0 ? text.length() : comma;
      String item = trimSpacesAndTabs(text, start, end);
      if (item.isEmpty()) {
        throw new IllegalArgumentException(
            settingName + ": empty item in '" + text + "': expected a comma-separated list of"
                + " addresses, ranges or presets (loopback, linklocal, uniquelocal)");
      }
      String[] preset = preset(item);
      if (RangeFile.isFileItem(item)) {
        if (files == null) {
          throw new IllegalArgumentException(settingName + ": '" + item + "' names a file,"
              + " which this setting does not read: expected addresses, ranges or presets");
        }
        files.accept(item);
      } else if (preset != null) {
        for (int k = 1; k < preset.length; k++) {
          ranges.add(IpRange.parse(preset[k]));
        }
      } else {
        IpRange.Parsed parsed = IpRange.parseOrReason(item, true);
        if (parsed.range() == null) {
          throw new IllegalArgumentException(settingName + ": " + parsed.reason());
        }
        ranges.add(parsed.range());
      }
      if (comma < 0) {
        return of(ranges);
      }
      start = comma + 1;
    }
  }

  /** Parses the text form; errors name the setting {@code "ranges"}. */
  public static IpRangeSet parse(String text) {
    return parse("ranges", text);
  }

  public boolean contains(IpAddress address) {
    return address.isIpv4()
        ? containsIpv4(address.ipv4Bits())
        : containsIpv6(address.high(), address.low());
  }

  boolean containsIpv4(int address) {
    return v4.containsIpv4(address);
  }

  boolean containsIpv6(long high, long low) {
    return v6.containsIpv6(high, low);
  }

  /** The ranges, presets expanded, in order. */
  public List<IpRange> ranges() {
    return ranges;
  }

  public boolean isEmpty() {
    return ranges.isEmpty();
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof IpRangeSet other && other.ranges.equals(ranges);
  }

  @Override
  public int hashCode() {
    return ranges.hashCode();
  }

  /** The ranges joined with {@code ", "}; for a non-empty set, parses back to an equal set. */
  @Override
  public String toString() {
    StringBuilder sb = new StringBuilder();
    for (IpRange r : ranges) {
      if (sb.length() > 0) {
        sb.append(", ");
      }
      sb.append(r);
    }
    return sb.toString();
  }

  private static String[] preset(String item) {
    for (String[] p : PRESETS) {
      if (p[0].equals(item)) {
        return p;
      }
    }
    return null;
  }

  static String trimSpacesAndTabs(String s, int from, int to) {
    long span = Entries.trim(s, from, to);
    return span == Entries.EMPTY ? "" : s.substring((int) (span >>> 32), (int) span);
  }
}

package dev.trustproxy;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Where a range setting's current {@link IpRangeSet} comes from, for lists that change while the
 * server runs: the published ranges of a CDN or cloud load balancer (README D80, D82).
 *
 * <ul>
 *   <li>{@link #fixed}: one set, for ever (what a plain list is);
 *   <li>{@link #swappable}: a set the application replaces with {@link #set} (it fetches the
 *       list itself);
 *   <li>{@link #parse}: a setting whose items may name files, {@code file:/path} with an optional
 *       {@code #member=value} filter for JSON lists. The files are read now (a missing, empty or
 *       bad file fails here); {@link #reload()} reads them again, and a {@link RangeReloader}
 *       calls it on a schedule.
 * </ul>
 *
 * <p>The set in use is one immutable {@link IpRangeSet} published through one volatile field: a
 * walk reads it once and sees either the old set or the new one, never a mix and never an empty
 * or half-built set. A reload that fails keeps the last good set, logs one ERROR per failing
 * version of the file (not per poll, not per request) and is counted by the caller.
 *
 * <p>Safe for concurrent use; {@link #reload()} and {@link #set} are serialized.
 */
public final class RangeSource {

  private static final Logger LOG = LoggerFactory.getLogger(RangeSource.class);

  /** The set in use and the trust policy that applies it, published together. */
  static final class Snapshot {
    final IpRangeSet set;
    final TrustPolicy policy;

    Snapshot(IpRangeSet set) {
      this.set = set;
      this.policy = TrustPolicy.ranges(set);
    }
  }

  private final String settingName;
  private final String text;
  private final boolean swappable;
  /** The items that are not files. */
  private final IpRangeSet fixedPart;
  private final List<RangeFile> files;
  // Per file, guarded by this: its last good set, and the bytes or read error last seen.
  private final IpRangeSet[] fileSets;
  private final byte[][] lastBytes;
  private final String[] lastReadError;
  private volatile Snapshot current;

  private RangeSource(String settingName, String text, boolean swappable, IpRangeSet fixedPart,
      List<RangeFile> files) {
    this.settingName = settingName;
    this.text = text;
    this.swappable = swappable;
    this.fixedPart = fixedPart;
    this.files = List.copyOf(files);
    this.fileSets = new IpRangeSet[files.size()];
    this.lastBytes = new byte[files.size()][];
    this.lastReadError = new String[files.size()];
    for (int i = 0; i < fileSets.length; i++) {
      RangeFile file = this.files.get(i);
      lastBytes[i] = file.read();
      fileSets[i] = file.parse(lastBytes[i]);
    }
    this.current = new Snapshot(union());
  }

  /** A source that always holds {@code ranges}. */
  public static RangeSource fixed(IpRangeSet ranges) {
    Objects.requireNonNull(ranges, "ranges");
    return new RangeSource("ranges", null, false, ranges, List.of());
  }

  /**
   * A source the application swaps with {@link #set}, for lists it fetches itself.
   *
   * @throws IllegalArgumentException when {@code initial} is empty
   */
  public static RangeSource swappable(IpRangeSet initial) {
    return new RangeSource("ranges", null, true, nonEmpty(initial), List.of());
  }

  /**
   * Parses a range setting whose items may name files (see the class description and {@link
   * IpRangeSet} for the other items), reading each file now.
   *
   * @param settingName named in error and log messages
   * @throws IllegalArgumentException naming the setting, quoting the bad item (and for a file its
   *     line) and saying what was expected: for any bad item, and a file that is missing, empty,
   *     not UTF-8 or malformed, or whose filter matches nothing
   */
  public static RangeSource parse(String settingName, String text) {
    Objects.requireNonNull(settingName, "settingName");
    List<RangeFile> files = new ArrayList<>();
    IpRangeSet fixedPart = IpRangeSet.parse(settingName, text,
        item -> files.add(RangeFile.of(settingName, item)));
    return new RangeSource(settingName, files.isEmpty() ? null : text, false, fixedPart, files);
  }

  /** The set in use now: read it once per decision that must be consistent. */
  public IpRangeSet current() {
    return current.set;
  }

  Snapshot snapshot() {
    return current;
  }

  /** Whether the set can change: the source reads files, or is {@link #swappable}. */
  public boolean isDynamic() {
    return swappable || !files.isEmpty();
  }

  /** Whether {@link #reload()} has files to read. */
  public boolean readsFiles() {
    return !files.isEmpty();
  }

  /**
   * Replaces the set of a {@link #swappable} source; requests that start after this see it.
   *
   * @throws IllegalArgumentException when {@code ranges} is empty
   * @throws IllegalStateException when this source is not swappable
   */
  public synchronized void set(IpRangeSet ranges) {
    if (!swappable) {
      throw new IllegalStateException(this + " is not swappable: only a source made by"
          + " RangeSource.swappable can be set; a file source follows its files");
    }
    current = new Snapshot(nonEmpty(ranges));
  }

  /**
   * Reads every file again and, when one changed and still parses, publishes the new set. A file
   * that changed into something bad (missing, empty, malformed) keeps its last good ranges and is
   * logged at ERROR once per bad version.
   *
   * @return how many files failed in this call (0 when nothing changed)
   */
  public synchronized int reload() {
    int failures = 0;
    boolean changed = false;
    for (int i = 0; i < fileSets.length; i++) {
      RangeFile file = files.get(i);
      byte[] bytes;
      try {
        bytes = file.read();
      } catch (IllegalArgumentException e) {
        if (!e.getMessage().equals(lastReadError[i])) {
          lastReadError[i] = e.getMessage();
          failures++;
          logFailure(i, e);
        }
        continue;
      }
      lastReadError[i] = null;
      if (Arrays.equals(bytes, lastBytes[i])) {
        continue;
      }
      lastBytes[i] = bytes;
      try {
        fileSets[i] = file.parse(bytes);
        changed = true;
      } catch (IllegalArgumentException e) {
        failures++;
        logFailure(i, e);
      }
    }
    if (changed) {
      IpRangeSet next = union();
      current = new Snapshot(next);
      LOG.info("{}: reloaded {}: {} ranges now", settingName, filesText(), next.ranges().size());
    }
    return failures;
  }

  private void logFailure(int i, IllegalArgumentException e) {
    LOG.error("{}: reload of {} failed, keeping its last good {} ranges: {}", settingName,
        files.get(i).item(), fileSets[i].ranges().size(), e.getMessage());
  }

  private IpRangeSet union() {
    if (files.isEmpty()) {
      return fixedPart;
    }
    List<IpRange> all = new ArrayList<>(fixedPart.ranges());
    for (IpRangeSet s : fileSets) {
      all.addAll(s.ranges());
    }
    return IpRangeSet.of(all);
  }

  private String filesText() {
    StringBuilder sb = new StringBuilder();
    for (RangeFile f : files) {
      sb.append(sb.length() == 0 ? "" : ", ").append(f.item());
    }
    return sb.toString();
  }

  private static IpRangeSet nonEmpty(IpRangeSet ranges) {
    Objects.requireNonNull(ranges, "ranges");
    if (ranges.isEmpty()) {
      throw new IllegalArgumentException("an empty range set: expected at least one range (a"
          + " swap to nothing would silently stop trusting every proxy)");
    }
    return ranges;
  }

  /**
   * The setting as written when it names files (so JMX shows the files), else the current set.
   */
  @Override
  public String toString() {
    return text != null ? IpRangeSet.trimSpacesAndTabs(text, 0, text.length())
        : current.set.toString();
  }
}

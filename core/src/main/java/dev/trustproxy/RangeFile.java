package dev.trustproxy;

import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * One {@code file:} item of a range setting (README D80): which file, which filter, and how its
 * bytes become ranges. The format is told by the content: a file whose first non-blank character
 * is <code>{</code> is a JSON list (AWS {@code ip-ranges.json}, Google {@code cloud.json}),
 * anything else one address or range per line with {@code #} comments (Cloudflare's {@code
 * ips-v4}, {@code ips-v6}).
 *
 * <p>Immutable; {@link #parse(byte[])} may run on any thread.
 */
final class RangeFile {

  static final String PREFIX = "file:";
  /** The largest file read: AWS's ip-ranges.json, the largest list, is under 2 MB. */
  static final int MAX_BYTES = 16 << 20;
  /** The members of a JSON prefix object that hold its range, by provider. */
  private static final List<String> PREFIX_MEMBERS =
      List.of("ip_prefix", "ipv6_prefix", "ipv4Prefix", "ipv6Prefix");
  /** The top-level arrays of prefix objects: AWS has both, Google only the first. */
  private static final List<String> PREFIX_ARRAYS = List.of("prefixes", "ipv6_prefixes");

  private final String setting;
  private final String item;
  private final Path path;
  private final Map<String, String> filter;

  private RangeFile(String setting, String item, Path path, Map<String, String> filter) {
    this.setting = setting;
    this.item = item;
    this.path = path;
    this.filter = filter;
  }

  static boolean isFileItem(String item) {
    return item.startsWith(PREFIX);
  }

  /**
   * Reads the item's syntax: {@code file:/absolute/path} and an optional filter {@code
   * #member=value&member=value} (JSON only).
   *
   * @throws IllegalArgumentException naming the setting, quoting the item, saying what was
   *     expected
   */
  static RangeFile of(String setting, String item) {
    String rest = item.substring(PREFIX.length());
    int hash = rest.indexOf('#');
    String pathText = hash < 0 ? rest : rest.substring(0, hash);
    Map<String, String> filter = new LinkedHashMap<>();
    if (hash >= 0) {
      for (String pair : rest.substring(hash + 1).split("&", -1)) {
        int eq = pair.indexOf('=');
        String name = eq < 0 ? "" : pair.substring(0, eq);
        if (eq <= 0 || eq == pair.length() - 1 || !isName(name)
            || filter.putIfAbsent(name, pair.substring(eq + 1)) != null) {
          throw new IllegalArgumentException(setting + ": '" + item + "' has a bad filter '"
              + pair + "': expected member=value pairs joined by '&', each member once, as in"
              + " file:/etc/trustproxy/ip-ranges.json#service=CLOUDFRONT_ORIGIN_FACING");
        }
      }
    }
    if (pathText.startsWith("//")) {
      throw new IllegalArgumentException(setting + ": '" + item + "' is a URL: expected"
          + " file: followed by an absolute path, like file:/etc/trustproxy/cloudflare.txt");
    }
    Path path;
    try {
      path = Path.of(pathText);
    } catch (RuntimeException e) {
      path = null;
    }
    if (path == null || pathText.isEmpty() || !path.isAbsolute()) {
      throw new IllegalArgumentException(setting + ": '" + item + "' does not name an absolute"
          + " path: expected file: followed by an absolute path, like"
          + " file:/etc/trustproxy/cloudflare.txt");
    }
    return new RangeFile(setting, item, path, Map.copyOf(filter));
  }

  /** The item as written, for messages and the setting's text form. */
  String item() {
    return item;
  }

  Path path() {
    return path;
  }

  /**
   * The file's bytes, or {@code null} when it does not exist.
   *
   * @throws IllegalArgumentException when it is not a regular file (a device such as {@code
   *     /dev/zero} would never end), is larger than {@value #MAX_BYTES} bytes, or cannot be read
   */
  byte[] read() {
    if (!Files.exists(path)) {
      return null;
    }
    if (!Files.isRegularFile(path)) {
      throw fail("is not a regular file: expected a file of addresses and ranges");
    }
    try (InputStream in = Files.newInputStream(path)) {
      byte[] bytes = in.readNBytes(MAX_BYTES + 1);
      if (bytes.length > MAX_BYTES) {
        throw fail("is larger than " + MAX_BYTES + " bytes: expected a list of addresses and"
            + " ranges (the largest published lists are a few MB)");
      }
      return bytes;
    } catch (NoSuchFileException e) {
      return null;
    } catch (IOException e) {
      throw fail("cannot be read (" + e + "): expected a readable file");
    }
  }

  /**
   * The ranges in {@code bytes} (from {@link #read()}, null for a missing file).
   *
   * @throws IllegalArgumentException naming the setting, quoting the item, giving the line and
   *     the bad text: for a missing or empty file, bad UTF-8, a bad line, malformed JSON
   */
  IpRangeSet parse(byte[] bytes) {
    if (bytes == null) {
      throw fail("does not exist: expected a file of addresses and ranges");
    }
    String text;
    try {
      text = StandardCharsets.UTF_8.newDecoder()
          .onMalformedInput(CodingErrorAction.REPORT)
          .onUnmappableCharacter(CodingErrorAction.REPORT)
          .decode(ByteBuffer.wrap(bytes)).toString();
    } catch (CharacterCodingException e) {
      throw fail("is not UTF-8 text: expected addresses and ranges in UTF-8");
    }
    if (!text.isEmpty() && text.charAt(0) == '\uFEFF') {
      text = text.substring(1);
    }
    List<IpRange> ranges = text.strip().startsWith("{") ? json(text) : lines(text);
    if (ranges.isEmpty()) {
      throw fail(filter.isEmpty()
          ? "holds no addresses or ranges: expected one address or range per line (# starts a"
            + " comment), or an AWS ip-ranges.json or Google cloud.json list"
          : "holds no ranges that match the filter " + filter + ": expected at least one");
    }
    return IpRangeSet.of(ranges);
  }

  private List<IpRange> lines(String text) {
    if (!filter.isEmpty()) {
      throw fail("is a list of lines, which has no members to filter on: expected no '#...'"
          + " filter, or a JSON list");
    }
    List<IpRange> ranges = new ArrayList<>();
    int lineNo = 0;
    int start = 0;
    while (start <= text.length()) {
      int nl = text.indexOf('\n', start);
      int end = nl < 0 ? text.length() : nl;
      lineNo++;
      // The comment is looked for in this line only: a search to the end of the text for every
      // line would make a large file quadratic.
      int contentEnd = start;
      while (contentEnd < end && text.charAt(contentEnd) != '#') {
        contentEnd++;
      }
      if (contentEnd == end && contentEnd > start && text.charAt(contentEnd - 1) == '\r') {
        contentEnd--;
      }
      String line = IpRangeSet.trimSpacesAndTabs(text, start, contentEnd);
      if (!line.isEmpty()) {
        ranges.add(range(line, lineNo));
      }
      if (nl < 0) {
        break;
      }
      start = nl + 1;
    }
    return ranges;
  }

  private List<IpRange> json(String text) {
    JsonReader.Value root;
    try {
      root = JsonReader.read(text);
    } catch (IllegalArgumentException e) {
      throw fail(e.getMessage());
    }
    if (!(root instanceof JsonReader.Obj obj)
        || !(obj.members().get("prefixes") instanceof JsonReader.Arr)) {
      throw fail("is JSON without a \"prefixes\" array: expected an AWS ip-ranges.json or a"
          + " Google cloud.json list");
    }
    List<IpRange> ranges = new ArrayList<>();
    Map<String, Boolean> filterSeen = new LinkedHashMap<>();
    for (String arrayName : PREFIX_ARRAYS) {
      JsonReader.Value array = obj.members().get(arrayName);
      if (array == null) {
        continue;
      }
      if (!(array instanceof JsonReader.Arr arr)) {
        throw fail("has a \"" + arrayName + "\" that is not an array: expected an array of"
            + " prefix objects");
      }
      for (JsonReader.Value element : arr.elements()) {
        prefix(element, arrayName, ranges, filterSeen);
      }
    }
    for (String name : filter.keySet()) {
      if (!filterSeen.containsKey(name)) {
        throw fail("has no prefix with a member \"" + name + "\" to filter on: expected a"
            + " member such as service, region or scope");
      }
    }
    return ranges;
  }

  private void prefix(JsonReader.Value element, String arrayName, List<IpRange> ranges,
      Map<String, Boolean> filterSeen) {
    if (!(element instanceof JsonReader.Obj o)) {
      throw fail("has an element of \"" + arrayName + "\" that is not an object: expected"
          + " objects with an ip_prefix, ipv6_prefix, ipv4Prefix or ipv6Prefix member");
    }
    JsonReader.Str prefix = null;
    for (String member : PREFIX_MEMBERS) {
      JsonReader.Value v = o.members().get(member);
      if (v == null) {
        continue;
      }
      if (!(v instanceof JsonReader.Str s) || prefix != null) {
        throw fail("line " + o.line() + ": a prefix object with a non-string or a second"
            + " prefix member: expected exactly one of " + PREFIX_MEMBERS + ", a string");
      }
      prefix = s;
    }
    if (prefix == null) {
      throw fail("line " + o.line() + ": a prefix object without a prefix: expected one of "
          + PREFIX_MEMBERS);
    }
    boolean matches = true;
    for (Map.Entry<String, String> f : filter.entrySet()) {
      JsonReader.Value v = o.members().get(f.getKey());
      if (v != null) {
        filterSeen.put(f.getKey(), Boolean.TRUE);
      }
      if (!(v instanceof JsonReader.Str s) || !s.value().equals(f.getValue())) {
        matches = false;
      }
    }
    // Every prefix is checked, also those the filter drops: a bad file is bad as a whole.
    IpRange range = range(prefix.value(), prefix.line());
    if (matches) {
      ranges.add(range);
    }
  }

  private IpRange range(String text, int lineNo) {
    IpRange.Parsed parsed = IpRange.parseOrReason(text, false);
    if (parsed.range() == null) {
      throw fail("line " + lineNo + ": " + parsed.reason());
    }
    return parsed.range();
  }

  private IllegalArgumentException fail(String what) {
    return new IllegalArgumentException(setting + ": '" + item + "' " + what);
  }

  private static boolean isName(String s) {
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      if (!(c == '_' || c == '-' || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z')
          || (c >= '0' && c <= '9'))) {
        return false;
      }
    }
    return !s.isEmpty();
  }
}

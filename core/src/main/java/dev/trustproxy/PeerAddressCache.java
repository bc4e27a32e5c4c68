package dev.trustproxy;

/**
 * Reads a container's text of the TCP peer ({@code getRemoteAddr()}) as an address, and
 * remembers the peers it was told are trusted, so that a request from one of your proxies costs
 * a string comparison instead of a parse (README D117).
 *
 * <p>Behind proxies almost every request comes from one of a few addresses, and parsing that same
 * text again was a sixth of a filter's time. Only trusted peers are remembered ({@link
 * #remember}): a client that connects directly, from as many addresses as it likes, never evicts
 * your proxies and never makes a request write to memory that other threads read. The cache has
 * 16 slots chosen by the text's last two characters and length; a collision costs a parse, as
 * without the cache. A remembered address stays correct whatever the trust setting becomes: the
 * cache holds what the text says, not whether it is trusted.
 *
 * <p>Safe for concurrent use without locks: a slot holds an immutable entry replaced whole, so a
 * race can lose an entry, never mix two (JLS 17.5: its fields are final).
 */
public final class PeerAddressCache {

  private static final int SLOTS = 16; // a power of two

  private final Entry[] slots = new Entry[SLOTS];

  private record Entry(String text, IpAddress address) {}

  /**
   * The peer text as an address: a plain literal, or one in brackets ({@code [::1]}, as Jetty
   * prints IPv6 peers) or with the kernel's zone ({@code fe80::1%eth0}), which are dropped.
   *
   * @param remoteAddr the container's text, or null
   * @return the address, or null when the text is not an IP literal (a Unix socket, say)
   */
  public IpAddress read(String remoteAddr) {
    if (remoteAddr == null || remoteAddr.isEmpty()) {
      return null;
    }
    Entry entry = slots[slot(remoteAddr)];
    if (entry != null && (entry.text == remoteAddr || entry.text.equals(remoteAddr))) {
      return entry.address;
    }
    return parse(remoteAddr);
  }

  /**
   * Remembers the peer of {@code resolution}, read from {@code remoteAddr}, when it was trusted
   * and is not remembered yet; otherwise does nothing.
   */
  public void remember(String remoteAddr, Resolution resolution) {
    if (!resolution.peerTrusted() || remoteAddr == null || remoteAddr.isEmpty()) {
      return;
    }
    int slot = slot(remoteAddr);
    Entry entry = slots[slot];
    // The identity test is the common case: read() returned this entry's address.
    if (entry == null || entry.address != resolution.peer() && !entry.text.equals(remoteAddr)) {
      slots[slot] = new Entry(remoteAddr, resolution.peer());
    }
  }

  private static int slot(String text) {
    int last = text.length() - 1;
    int before = last > 0 ? text.charAt(last - 1) : 0;
    return (text.charAt(last) + 31 * before + text.length()) & (SLOTS - 1);
  }

  /** {@link #read} without the cache: the one rule for a container's peer text. */
  static IpAddress parse(String remoteAddr) {
    // The plain literal first, read once: the grammar refuses '[', ']' and '%' at once, so text
    // with brackets or a zone fails here and is trimmed below, with the same answer (D116).
    IpAddress plain = IpAddress.tryParse(remoteAddr);
    if (plain != null) {
      return plain;
    }
    int from = 0;
    int to = remoteAddr.length();
    if (remoteAddr.charAt(0) == '[' && remoteAddr.charAt(to - 1) == ']') {
      from = 1;
      to--;
    }
    int zone = remoteAddr.indexOf('%', from);
    if (zone >= 0 && zone < to) {
      to = zone;
    }
    return from == 0 && to == remoteAddr.length() ? null : IpAddress.tryParse(remoteAddr, from, to);
  }
}

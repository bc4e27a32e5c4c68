package dev.trustproxy;

/**
 * Bytes read as ISO-8859-1 characters, in place, so the one address grammar of {@link IpAddress}
 * reads a protocol's byte buffer (a PROXY v1 line) without a {@code String} or a copy. Made per
 * call and used only during it, so the caller's array is never read later; C2 removes the object
 * where the grammar is inlined into the caller (the IPv4 grammar is small enough).
 */
final class Latin1View implements CharSequence {
  private final byte[] bytes;

  Latin1View(byte[] bytes) {
    this.bytes = bytes;
  }

  @Override
  public int length() {
    return bytes.length;
  }

  @Override
  public char charAt(int index) {
    return (char) (bytes[index] & 0xFF);
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
    return subSequence(0, bytes.length).toString();
  }
}

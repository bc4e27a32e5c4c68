package dev.trustproxy;

/**
 * Bytes read as ISO-8859-1 characters, in place, so the one address grammar of {@link IpAddress}
 * reads a protocol's byte buffer (a PROXY v1 line) without a {@code String} or a copy. Made per
 * call and never shared; C2 removes it when the grammar is inlined into the caller.
 */
final class AsciiView implements CharSequence {
  private final byte[] bytes;

  AsciiView(byte[] bytes) {
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

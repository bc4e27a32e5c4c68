package dev.trustproxy.proxyprotocol;

import dev.trustproxy.proxyprotocol.ProxyHeader.Ssl;
import dev.trustproxy.proxyprotocol.ProxyHeader.Tlv;
import java.util.ArrayList;
import java.util.List;

/**
 * The TLV bytes of one v2 header, copied once, with the spans the parser found while it validated
 * them: {@link Tlv} and {@link Ssl} objects are built from these spans only when a caller asks, so
 * a connection that never reads a TLV never pays for them.
 *
 * <p>A span is the offset of a value in {@link #bytes}; its type is the byte 3 before it and its
 * length the two bytes after the type. A top-level TLV's span is stored as is; the sub-TLVs of
 * the SSL TLV follow the SSL TLV's span, stored as {@code -(offset + 1)}. Immutable after the
 * parser hands it over.
 */
final class TlvBlock {

  static final TlvBlock EMPTY = new TlvBlock(new byte[0], new int[0], 0);

  private final byte[] bytes;
  private final int[] spans;
  private final int count;

  /** Takes ownership of both arrays. */
  TlvBlock(byte[] bytes, int[] spans, int count) {
    this.bytes = bytes;
    this.spans = spans;
    this.count = count;
  }

  boolean isEmpty() {
    return count == 0;
  }

  /** Every top-level TLV in header order. */
  List<Tlv> tlvs() {
    if (count == 0) {
      return List.of();
    }
    List<Tlv> list = new ArrayList<>(count);
    for (int i = 0; i < count; i++) {
      if (spans[i] >= 0) {
        list.add(tlvAt(spans[i]));
      }
    }
    return List.copyOf(list);
  }

  /** The SSL TLV with its sub-TLVs, or null when the header has none. */
  Ssl ssl() {
    for (int i = 0; i < count; i++) {
      int at = spans[i];
      if (at >= 0 && type(at) == ProxyHeader.TYPE_SSL) {
        List<Tlv> subs = new ArrayList<>();
        for (int j = i + 1; j < count && spans[j] < 0; j++) {
          subs.add(tlvAt(-spans[j] - 1));
        }
        int client = bytes[at] & 0xFF;
        long verify = ((bytes[at + 1] & 0xFFL) << 24) | ((bytes[at + 2] & 0xFFL) << 16)
            | ((bytes[at + 3] & 0xFFL) << 8) | (bytes[at + 4] & 0xFFL);
        return new Ssl(client, verify, subs);
      }
    }
    return null;
  }

  private Tlv tlvAt(int at) {
    byte[] value = new byte[length(at)];
    System.arraycopy(bytes, at, value, 0, value.length);
    return new Tlv(type(at), value);
  }

  private int type(int at) {
    return bytes[at - 3] & 0xFF;
  }

  private int length(int at) {
    return ((bytes[at - 2] & 0xFF) << 8) | (bytes[at - 1] & 0xFF);
  }

  /** Equal bytes are equal TLVs: the spans follow from the bytes. */
  @Override
  public boolean equals(Object o) {
    return o instanceof TlvBlock t && java.util.Arrays.equals(bytes, t.bytes);
  }

  @Override
  public int hashCode() {
    return java.util.Arrays.hashCode(bytes);
  }
}

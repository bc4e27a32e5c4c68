package dev.trustproxy.tomcat;

import java.nio.ByteBuffer;

/**
 * The bytes of a PROXY header received so far, owned by a pooled channel and reused by the
 * connections it serves. It starts at 1 KiB (typical headers take well under 536 bytes) and grows
 * only towards the largest acceptable header, so a peer cannot make it grow further.
 *
 * <p>Used only under the socket wrapper's lock; not thread-safe.
 */
final class HeaderBuffer {

  private static final int INITIAL_CAPACITY = 1024;

  private ByteBuffer bytes;

  /**
   * The buffer in write mode, bytes so far in {@code [0, position)}, with room for one read of at
   * most {@code maxChunk} bytes (so that what a read takes past the header always fits where it is
   * handed back); {@code null} when it is full at {@code maxBytes}.
   */
  ByteBuffer writable(int maxBytes, int maxChunk) {
    if (bytes == null) {
      bytes = ByteBuffer.allocate(Math.min(INITIAL_CAPACITY, maxBytes));
    }
    int position = bytes.position();
    if (position == bytes.capacity()) {
      if (bytes.capacity() >= maxBytes) {
        return null;
      }
      ByteBuffer larger = ByteBuffer.allocate(Math.min(maxBytes, bytes.capacity() * 2));
      bytes.flip();
      larger.put(bytes);
      bytes = larger;
    }
    bytes.limit(Math.min(bytes.capacity(), bytes.position() + Math.max(1, maxChunk)));
    return bytes;
  }

  /** Forgets the bytes for the next connection; a buffer grown past the start size is dropped. */
  void clear() {
    if (bytes != null && bytes.capacity() > INITIAL_CAPACITY) {
      bytes = null;
    } else if (bytes != null) {
      bytes.clear();
    }
  }
}

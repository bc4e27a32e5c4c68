package dev.trustproxy.tomcat;

import dev.trustproxy.IpAddress;
import dev.trustproxy.proxyprotocol.ProxyHeader;
import dev.trustproxy.proxyprotocol.ProxyHeaderParser;
import dev.trustproxy.proxyprotocol.ProxyHeaderParser.Accepted;
import dev.trustproxy.proxyprotocol.ProxyHeaderParser.Rejected;
import dev.trustproxy.proxyprotocol.ProxyHeaderParser.Result;
import dev.trustproxy.proxyprotocol.ProxyProtocolCounters;
import dev.trustproxy.proxyprotocol.ProxyProtocolSettings;
import java.io.IOException;
import java.net.SocketTimeoutException;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.nio.channels.SocketChannel;
import java.util.concurrent.atomic.AtomicIntegerFieldUpdater;
import java.util.function.Consumer;

/**
 * The PROXY phase of one connection from a trusted peer: reads from the socket until the shared
 * parser accepts or rejects, then records the outcome once.
 *
 * <p>It runs inside Tomcat's TLS-handshake step ({@code NioChannel.handshake}), so Tomcat calls it
 * on a worker thread holding the socket wrapper's lock, once per readable event, before any HTTP
 * or TLS byte is read. The bytes read past the header go back to Tomcat through a {@link HandBack}
 * (the plain read buffer, or the TLS engine's network buffer), so nothing is lost or read twice.
 *
 * <p>The deadline is absolute from accept. Tomcat's poller enforces it while the connection waits
 * for bytes ({@link ProxySocketWrapper} reports the accept time as its last read and the header
 * timeout as its read timeout); {@link #advance} enforces it when bytes keep trickling in.
 */
final class ProxyHandshake {

  /** Where the bytes after the header go. */
  interface HandBack {
    /** The most bytes {@link #handBack} can take in one call. */
    int capacity();

    /** Gives back the bytes that followed the header, in order. */
    void handBack(ByteBuffer rest);
  }

  private final ProxyProtocolSettings settings;
  private final ProxyProtocolCounters counters;
  private final IpAddress peer;
  private final long acceptedAtMillis;
  private final long timeoutMillis;
  private static final AtomicIntegerFieldUpdater<ProxyHandshake> FINISHED =
      AtomicIntegerFieldUpdater.newUpdater(ProxyHandshake.class, "finished");
  // 0 while the header is awaited. Reads run under the wrapper's lock, but a close may come from
  // the poller thread: whichever ends the phase first decides, once.
  private volatile int finished;

  ProxyHandshake(
      ProxyProtocolSettings settings,
      ProxyProtocolCounters counters,
      IpAddress peer,
      long acceptedAtMillis) {
    this.settings = settings;
    this.counters = counters;
    this.peer = peer;
    this.acceptedAtMillis = acceptedAtMillis;
    this.timeoutMillis = settings.headerTimeout().toMillis();
  }

  /** True until the header has been accepted, or the connection refused. */
  boolean pending() {
    return finished == 0;
  }

  private boolean finish() {
    return FINISHED.compareAndSet(this, 0, 1);
  }

  long acceptedAtMillis() {
    return acceptedAtMillis;
  }

  long timeoutMillis() {
    return timeoutMillis;
  }

  /**
   * Reads what has arrived and moves the phase on.
   *
   * @param buffer the channel's header buffer, holding the bytes received so far
   * @param onAccepted takes the header, once, before the bytes after it are handed back
   * @return {@code 0} when the phase is over and the connection goes on, {@link
   *     SelectionKey#OP_READ} to wait for more bytes, {@code -1} to close (already counted)
   */
  int advance(
      SocketChannel channel,
      HeaderBuffer buffer,
      HandBack handBack,
      Consumer<ProxyHeader> onAccepted)
      throws IOException {
    if (!pending()) {
      return 0;
    }
    while (true) {
      if (System.currentTimeMillis() - acceptedAtMillis >= timeoutMillis) {
        return timedOut();
      }
      ByteBuffer bytes = buffer.writable(settings.maxHeaderBytes(), handBack.capacity());
      if (bytes == null) {
        // Cannot happen: the parser rejects before the cap is reached. Fail closed anyway.
        return refuse(ProxyHeaderParser.Reason.TOO_LARGE, "header buffer full");
      }
      int read = channel.read(bytes);
      if (read < 0) {
        return refuse(ProxyHeaderParser.Reason.MALFORMED,
            "connection closed by the peer after " + bytes.position() + " bytes, before a"
                + " complete PROXY header");
      }
      if (read == 0) {
        return SelectionKey.OP_READ;
      }
      ByteBuffer window = bytes.duplicate().flip();
      if (settings.servesPlain(window.get(0))) {
        if (!finish()) {
          return -1;
        }
        counters.plainWithoutHeader();
        handBack.handBack(window);
        return 0;
      }
      Result result = settings.parser().parse(window);
      if (result instanceof Accepted accepted) {
        ProxyHeader header = accepted.header();
        if (!finish()) {
          return -1;
        }
        counters.accepted(header);
        onAccepted.accept(header);
        window.position(accepted.consumed());
        if (window.hasRemaining()) {
          handBack.handBack(window);
        }
        return 0;
      }
      if (result instanceof Rejected rejected) {
        return refuse(rejected.reason(), rejected.message());
      }
      // NeedMoreBytes: read again; the socket says when nothing more has arrived.
    }
  }

  /**
   * The connection is closing: if the header never came, say why once. Tomcat's poller closes a
   * waiting connection at the deadline with a {@link SocketTimeoutException}.
   */
  void closing(IOException error) {
    if (finish()) {
      if (error instanceof SocketTimeoutException) {
        counters.timedOut(peer, settings.headerTimeout());
      }
    }
  }

  private int timedOut() {
    if (finish()) {
      counters.timedOut(peer, settings.headerTimeout());
    }
    return -1;
  }

  private int refuse(ProxyHeaderParser.Reason reason, String message) {
    if (finish()) {
      counters.rejected(peer, reason, message);
    }
    return -1;
  }
}

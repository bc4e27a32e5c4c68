package dev.trustproxy.jetty;

import dev.trustproxy.IpAddress;
import dev.trustproxy.proxyprotocol.ProxyHeader;
import dev.trustproxy.proxyprotocol.ProxyHeaderParser;
import dev.trustproxy.proxyprotocol.ProxyHeaderParser.Accepted;
import dev.trustproxy.proxyprotocol.ProxyHeaderParser.NeedMoreBytes;
import dev.trustproxy.proxyprotocol.ProxyHeaderParser.Rejected;
import dev.trustproxy.proxyprotocol.ProxyHeaderParser.Result;
import dev.trustproxy.proxyprotocol.ProxyProtocolCounters;
import dev.trustproxy.proxyprotocol.ProxyProtocolSettings;
import java.net.SocketAddress;
import java.nio.ByteBuffer;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.eclipse.jetty.io.AbstractConnection;
import org.eclipse.jetty.io.Connection;
import org.eclipse.jetty.io.EndPoint;
import org.eclipse.jetty.server.ConnectionFactory;
import org.eclipse.jetty.server.Connector;
import org.eclipse.jetty.util.BufferUtil;
import org.eclipse.jetty.util.thread.Scheduler;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reads the PROXY header of one connection from a trusted peer, then hands the connection,
 * wrapped in a {@link ProxyHeaderEndPoint}, to the next protocol together with the bytes read
 * past the header.
 *
 * <p>The buffer starts at 1 KiB and grows only up to the largest acceptable header, so a peer
 * cannot make it grow further; the parser rejects as soon as the bytes cannot be a header. The
 * deadline task and the read path race to {@link #finished}; whichever wins decides the
 * connection's fate, once. Settings and counters are the listener's, fixed at its start.
 */
final class ProxyProtocolConnection extends AbstractConnection implements Connection.UpgradeFrom {

  private static final Logger LOG = LoggerFactory.getLogger(ProxyProtocolConnection.class);
  private static final int INITIAL_CAPACITY = 1024;

  private final ProxyProtocolSettings settings;
  private final ProxyProtocolCounters counters;
  private final Connector connector;
  private final ConnectionFactory next;
  private final IpAddress peer;
  private final int maxCapacity;
  private ByteBuffer buffer;
  private final AtomicBoolean finished = new AtomicBoolean();
  private volatile Scheduler.Task deadline;

  ProxyProtocolConnection(
      ProxyProtocolSettings settings,
      ProxyProtocolCounters counters,
      Connector connector,
      EndPoint endPoint,
      ConnectionFactory next,
      IpAddress peer) {
    super(endPoint, connector.getExecutor());
    this.settings = settings;
    this.counters = counters;
    this.connector = connector;
    this.next = next;
    this.peer = peer;
    this.maxCapacity = settings.maxHeaderBytes();
    // Typical headers fit in 536 bytes (spec); grow towards the cap only when a v2 header says so.
    this.buffer = BufferUtil.allocate(Math.min(INITIAL_CAPACITY, maxCapacity));
  }

  @Override
  public void onOpen() {
    super.onOpen();
    long created = getEndPoint().getCreatedTimeStamp();
    long remaining = created + settings.headerTimeout().toMillis() - System.currentTimeMillis();
    deadline =
        connector.getScheduler().schedule(this::onDeadline, Math.max(0, remaining), TimeUnit.MILLISECONDS);
    fillInterested();
  }

  @Override
  public void onClose(Throwable cause) {
    cancelDeadline();
    super.onClose(cause);
  }

  private void onDeadline() {
    if (finished.compareAndSet(false, true)) {
      counters.timedOut(peer, settings.headerTimeout());
      getEndPoint().close();
    }
  }

  private void cancelDeadline() {
    Scheduler.Task task = deadline;
    if (task != null) {
      task.cancel();
    }
  }

  @Override
  public void onFillable() {
    try {
      while (!finished.get()) {
        int filled = getEndPoint().fill(buffer);
        if (filled < 0) {
          reject(ProxyHeaderParser.Reason.MALFORMED,
              "connection closed by the peer after " + buffer.remaining() + " bytes, before a"
                  + " complete PROXY header");
          return;
        }
        if (filled == 0) {
          fillInterested();
          return;
        }
        if (settings.servesPlain(buffer.get(buffer.position()))) {
          if (finished.compareAndSet(false, true)) {
            cancelDeadline();
            counters.plainWithoutHeader();
            hand(getEndPoint());
          }
          return;
        }
        Result result = settings.parser().parse(buffer);
        if (result instanceof Accepted accepted) {
          accept(accepted);
          return;
        }
        if (result instanceof Rejected rejected) {
          reject(rejected.reason(), rejected.message());
          return;
        }
        assert result == NeedMoreBytes.INSTANCE;
        if (BufferUtil.space(buffer) == 0) {
          if (buffer.capacity() >= maxCapacity) {
            // Cannot happen: the parser rejects before the cap is reached. Fail closed anyway.
            reject(ProxyHeaderParser.Reason.TOO_LARGE, "header buffer full");
            return;
          }
          ByteBuffer larger =
              BufferUtil.allocate(Math.min(maxCapacity, buffer.capacity() * 2));
          BufferUtil.append(larger, buffer);
          buffer = larger;
        }
      }
    } catch (Throwable x) {
      finished.set(true);
      cancelDeadline();
      LOG.debug("Error reading the PROXY header from {}", peer, x);
      getEndPoint().close(x);
    }
  }

  private void accept(Accepted accepted) {
    if (!finished.compareAndSet(false, true)) {
      return;
    }
    cancelDeadline();
    ProxyHeader header = accepted.header();
    buffer.position(buffer.position() + accepted.consumed());
    counters.accepted(header);
    EndPoint endPoint = getEndPoint();
    SocketAddress remote =
        header.sourceAddress() != null ? header.sourceAddress() : endPoint.getRemoteSocketAddress();
    SocketAddress local =
        header.destinationAddress() != null
            ? header.destinationAddress()
            : endPoint.getLocalSocketAddress();
    EndPoint.SslSessionData ssl = null;
    if (settings.sslTlvMarksSecure()) {
      ssl =
          header
              .ssl()
              .filter(ProxyHeader.Ssl::clientSsl)
              .map(s -> EndPoint.SslSessionData.from(null, null, s.cipher().orElse(null), null))
              .orElse(null);
    }
    if (LOG.isDebugEnabled()) {
      LOG.debug("Accepted {} from {}", header, peer);
    }
    hand(new ProxyHeaderEndPoint(endPoint, local, remote, header, ssl));
  }

  private void hand(EndPoint endPoint) {
    Connection connection = next.newConnection(connector, endPoint);
    if (!(connection instanceof Connection.UpgradeTo) && buffer.hasRemaining()) {
      throw new IllegalStateException(
          next.getProtocol() + " cannot take the bytes that followed the PROXY header");
    }
    endPoint.upgrade(connection);
  }

  private void reject(ProxyHeaderParser.Reason reason, String message) {
    if (finished.compareAndSet(false, true)) {
      cancelDeadline();
      counters.rejected(peer, reason, message);
      getEndPoint().close();
    }
  }

  @Override
  public ByteBuffer onUpgradeFrom() {
    if (!buffer.hasRemaining()) {
      return null;
    }
    ByteBuffer rest = ByteBuffer.allocate(buffer.remaining());
    rest.put(buffer).flip();
    return rest;
  }
}

package dev.trustproxy.tomcat;

import dev.trustproxy.IpAddress;
import dev.trustproxy.proxyprotocol.ProxyProtocolCounters;
import dev.trustproxy.proxyprotocol.ProxyProtocolSettings;
import dev.trustproxy.proxyprotocol.ProxyProtocolSettings.Admission;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.nio.channels.SocketChannel;
import org.apache.tomcat.util.ExceptionUtils;
import org.apache.tomcat.util.collections.SynchronizedStack;
import org.apache.tomcat.util.net.NioChannel;
import org.apache.tomcat.util.net.NioEndpoint;
import org.apache.tomcat.util.net.SocketBufferHandler;

/**
 * Tomcat's NIO endpoint with the PROXY decision at accept. {@link #setSocketOptions} is the one
 * place where Tomcat turns an accepted socket into a channel and a wrapper; this override does
 * what Tomcat's does (the same calls, in the same order) with this module's channel and wrapper
 * types, after deciding from the TCP peer, before reading a byte, whether the connection must
 * send a header, is served plain, or is closed.
 */
final class ProxyProtocolNioEndpoint extends NioEndpoint {

  private volatile ProxyProtocolSettings settings;
  private volatile ProxyProtocolCounters counters;

  /** Called by the protocol before the endpoint is bound. */
  void configure(ProxyProtocolSettings settings, ProxyProtocolCounters counters) {
    this.settings = settings;
    this.counters = counters;
  }

  @Override
  protected boolean setSocketOptions(SocketChannel socket) {
    long acceptedAt = System.currentTimeMillis();
    ProxySocketWrapper socketWrapper = null;
    try {
      IpAddress peer = peer(socket);
      Admission admission = settings.admit(peer);
      if (admission == Admission.CLOSE) {
        counters.untrusted(peer != null ? peer.toString() : String.valueOf(socket.getRemoteAddress()));
        destroySocket(socket);
        return false;
      }
      ProxyHandshake handshake = null;
      if (admission == Admission.READ_HEADER) {
        handshake = new ProxyHandshake(settings, counters, peer, acceptedAt);
      } else {
        counters.plainUntrusted();
      }
      NioChannel channel = pooledChannel();
      socketWrapper = new ProxySocketWrapper(channel, this, handshake);
      channel.reset(socket, socketWrapper);
      connections.put(socket, socketWrapper);
      socket.configureBlocking(false);
      socketProperties.setProperties(socket.socket());
      socketWrapper.setReadTimeout(getConnectionTimeout());
      socketWrapper.setWriteTimeout(getConnectionTimeout());
      socketWrapper.setKeepAliveLeft(getMaxKeepAliveRequests());
      getPoller().register(socketWrapper);
      return true;
    } catch (Throwable t) {
      ExceptionUtils.handleThrowable(t);
      try {
        getLog().error("Error setting the options of an accepted PROXY protocol socket", t);
      } catch (Throwable tt) {
        ExceptionUtils.handleThrowable(tt);
      }
      if (socketWrapper == null) {
        destroySocket(socket);
      }
    }
    return false;
  }

  private NioChannel pooledChannel() {
    SynchronizedStack<NioChannel> pool = getNioChannels();
    NioChannel channel = pool != null ? pool.pop() : null;
    if (channel instanceof ProxyNioChannel || channel instanceof ProxySecureNioChannel) {
      return channel;
    }
    SocketBufferHandler buffers =
        new SocketBufferHandler(
            socketProperties.getAppReadBufSize(),
            socketProperties.getAppWriteBufSize(),
            socketProperties.getDirectBuffer());
    return isSSLEnabled() ? new ProxySecureNioChannel(buffers, this) : new ProxyNioChannel(buffers);
  }

  /** The TCP peer as an address, or {@code null} when the socket is not an IP socket. */
  private static IpAddress peer(SocketChannel socket) throws IOException {
    SocketAddress remote = socket.getRemoteAddress();
    if (remote instanceof InetSocketAddress inet && inet.getAddress() != null) {
      return IpAddress.of(inet.getAddress());
    }
    return null;
  }
}

package dev.trustproxy.tomcat;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import org.apache.tomcat.util.net.NioEndpoint.NioSocketWrapper;
import org.apache.tomcat.util.net.NioChannel;
import org.apache.tomcat.util.net.SocketBufferHandler;

/**
 * A cleartext channel whose "handshake" is the PROXY phase: Tomcat runs the handshake step before
 * it lets HTTP read a byte, and calls it again on every readable event until it reports done. The
 * bytes read past the header go back into the socket's read buffer, where HTTP reads first.
 */
final class ProxyNioChannel extends NioChannel implements ProxyHandshake.HandBack {

  private final HeaderBuffer headerBuffer = new HeaderBuffer();

  ProxyNioChannel(SocketBufferHandler bufHandler) {
    super(bufHandler);
  }

  @Override
  public void reset(SocketChannel channel, NioSocketWrapper socketWrapper) throws IOException {
    super.reset(channel, socketWrapper);
    headerBuffer.clear();
  }

  @Override
  public boolean isHandshakeComplete() {
    return !ProxySocketWrapper.awaitingHeader(socketWrapper);
  }

  @Override
  public int handshake(boolean read, boolean write) throws IOException {
    return ProxySocketWrapper.advance(socketWrapper, sc, headerBuffer, this);
  }

  @Override
  public int capacity() {
    return getBufHandler().getReadBuffer().capacity();
  }

  @Override
  public void handBack(ByteBuffer rest) {
    socketWrapper.unRead(rest);
  }
}

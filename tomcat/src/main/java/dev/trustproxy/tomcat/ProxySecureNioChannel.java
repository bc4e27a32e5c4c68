package dev.trustproxy.tomcat;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import org.apache.tomcat.util.net.NioEndpoint;
import org.apache.tomcat.util.net.NioEndpoint.NioSocketWrapper;
import org.apache.tomcat.util.net.SecureNioChannel;
import org.apache.tomcat.util.net.SocketBufferHandler;

/**
 * A TLS channel that runs the PROXY phase before the TLS handshake. The bytes read past the
 * header (the start of the ClientHello) go into the TLS engine's network input buffer, which the
 * handshake reads first, so the header is consumed exactly and the TLS bytes arrive whole.
 */
final class ProxySecureNioChannel extends SecureNioChannel implements ProxyHandshake.HandBack {

  private final HeaderBuffer headerBuffer = new HeaderBuffer();

  ProxySecureNioChannel(SocketBufferHandler bufHandler, NioEndpoint endpoint) {
    super(bufHandler, endpoint);
  }

  @Override
  public void reset(SocketChannel channel, NioSocketWrapper socketWrapper) throws IOException {
    super.reset(channel, socketWrapper);
    headerBuffer.clear();
  }

  @Override
  public boolean isHandshakeComplete() {
    return !ProxySocketWrapper.awaitingHeader(socketWrapper) && super.isHandshakeComplete();
  }

  @Override
  public int handshake(boolean read, boolean write) throws IOException {
    int proxy = ProxySocketWrapper.advance(socketWrapper, sc, headerBuffer, this);
    return proxy != 0 ? proxy : super.handshake(read, write);
  }

  /** {@code netInBuffer} is in write mode and empty until the TLS handshake starts. */
  @Override
  public int capacity() {
    return netInBuffer.remaining();
  }

  @Override
  public void handBack(ByteBuffer rest) {
    netInBuffer.put(rest);
  }
}

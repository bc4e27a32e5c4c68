package dev.trustproxy.jetty;

import io.netty.buffer.ByteBuf;
import io.netty.handler.codec.haproxy.HAProxyMessageDecoder;
import java.util.List;

/**
 * Netty's decoder with its {@code decode} step callable directly, without a channel pipeline.
 *
 * <p>The happy path of {@code decode} never touches the {@code ChannelHandlerContext} (only the
 * failure path closes it), so {@code null} is passed. One decoder is reused across operations:
 * after the first header its version and header extractor are set, and {@code decode} parses the
 * next header just the same. In a server Netty needs a new decoder per connection; reusing it
 * here leaves that allocation out of Netty's figures, in its favour.
 */
final class NettyDecoder extends HAProxyMessageDecoder {

  void decodeDirect(ByteBuf in, List<Object> out) throws Exception {
    decode(null, in, out);
  }
}

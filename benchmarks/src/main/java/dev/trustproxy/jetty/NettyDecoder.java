package dev.trustproxy.jetty;

import io.netty.buffer.ByteBuf;
import io.netty.handler.codec.haproxy.HAProxyMessageDecoder;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.util.List;

/**
 * Netty's decoder with its {@code decode} step callable directly, without a channel pipeline.
 *
 * <p>The success path of {@code decode} never touches the {@code ChannelHandlerContext} (only the
 * failure path closes it), so {@code null} is passed. A decoder decodes one header and then sets
 * its private {@code finished} flag; a server creates a new decoder per connection. Here one
 * decoder is reused and the flag is cleared before each header, which leaves the per-connection
 * decoder allocation out of Netty's figures, in its favour: only the parsing is compared.
 */
final class NettyDecoder extends HAProxyMessageDecoder {

  private static final VarHandle FINISHED;

  static {
    try {
      FINISHED = MethodHandles.privateLookupIn(HAProxyMessageDecoder.class, MethodHandles.lookup())
          .findVarHandle(HAProxyMessageDecoder.class, "finished", boolean.class);
    } catch (ReflectiveOperationException e) {
      throw new ExceptionInInitializerError(e);
    }
  }

  void decodeDirect(ByteBuf in, List<Object> out) throws Exception {
    FINISHED.set(this, false);
    decode(null, in, out);
  }
}

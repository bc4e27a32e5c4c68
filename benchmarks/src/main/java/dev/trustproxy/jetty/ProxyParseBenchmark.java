package dev.trustproxy.jetty;

import dev.trustproxy.IpAddress;
import dev.trustproxy.proxyprotocol.ProxyHeaderParser;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.handler.codec.haproxy.HAProxyMessage;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * PROXY header parsing on the same bytes: trustproxy's {@code ProxyHeaderParser} (the step the
 * connection factory runs once per connection) against Netty's {@code HAProxyMessageDecoder}
 * {@code decode} (see {@link NettyDecoder} for how it is called). Each returns the parsed source
 * address, which JMH consumes.
 *
 * <p>Not the same work: trustproxy verifies the CRC32C TLV, validates the SSL TLV and builds
 * {@code InetSocketAddress} values; Netty does not verify CRC32C and keeps addresses as strings.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Fork(value = 2, jvmArgsAppend = {"-Xms512m", "-Xmx512m"})
@Warmup(iterations = 4, time = 1)
@Measurement(iterations = 5, time = 1)
public class ProxyParseBenchmark {

  @Param({"v1-tcp4", "v1-tcp6", "v2-tcp4", "v2-tcp6", "v2-tcp4-tlvs", "v2-tcp4-tlvs-crc32c"})
  public String header;

  private ByteBuffer window;
  private ProxyHeaderParser parser;
  private ByteBuf nettyBuffer;
  private NettyDecoder netty;
  private final List<Object> out = new ArrayList<>(1);
  private int length;

  @Setup
  public void setUp() throws Exception {
    byte[] bytes = ProxyHeaders.bytes(header);
    length = bytes.length;
    window = ByteBuffer.wrap(bytes);
    parser = ProxyHeaderParser.defaults();
    nettyBuffer = Unpooled.wrappedBuffer(bytes);
    netty = new NettyDecoder();
    String expected = ProxyHeaders.source(header);
    // Canonical text on both sides: Netty writes IPv6 uncompressed, the JDK too.
    String ours = IpAddress.of(trustproxy().getAddress()).toString();
    String theirs = IpAddress.parse(netty()).toString();
    if (!expected.equals(ours) || !expected.equals(theirs)) {
      throw new IllegalStateException("parsers disagree on " + header + ": trustproxy " + ours
          + ", netty " + theirs + ", expected " + expected);
    }
  }

  @Benchmark
  public InetSocketAddress trustproxy() {
    ProxyHeaderParser.Result result = parser.parse(window);
    if (result instanceof ProxyHeaderParser.Accepted accepted) {
      return accepted.header().sourceAddress();
    }
    throw new IllegalStateException(header + " was not accepted: " + result);
  }

  @Benchmark
  public String netty() throws Exception {
    nettyBuffer.setIndex(0, length);
    netty.decodeDirect(nettyBuffer, out);
    HAProxyMessage message = (HAProxyMessage) out.get(0);
    out.clear();
    String source = message.sourceAddress();
    message.release();
    return source;
  }
}

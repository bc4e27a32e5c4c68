package dev.trustproxy.jetty;

import dev.trustproxy.IpAddress;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.nio.ByteBuffer;
import java.util.concurrent.TimeUnit;
import java.util.zip.CRC32C;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Two steps of {@code ProxyHeaderParser} measured as they are and as BENCHMARKS.md recommends
 * changing them (the main code is not changed here): the CRC32C check, and building the v2
 * addresses. The "current" methods copy the parser's code.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Fork(value = 2, jvmArgsAppend = {"-Xms512m", "-Xmx512m"})
@Warmup(iterations = 4, time = 1)
@Measurement(iterations = 5, time = 1)
public class WhatIfBenchmark {

  private static final byte[] ZEROS = new byte[4];

  private ByteBuffer crcHeader;
  private int crcTotal;
  private int crcOffset;
  private ByteBuffer v2Header;

  @Setup
  public void setUp() {
    byte[] bytes = ProxyHeaders.bytes("v2-tcp4-tlvs-crc32c");
    crcHeader = ByteBuffer.wrap(bytes);
    crcTotal = bytes.length;
    crcOffset = bytes.length - 4; // the CRC32C TLV is the last one
    if (crc32cPerByteCurrent() != crc32cBulkRecommended()) {
      throw new IllegalStateException("the two CRC32C computations disagree");
    }
    v2Header = ByteBuffer.wrap(ProxyHeaders.bytes("v2-tcp4"));
  }

  /** {@code ProxyHeaderParser.crc32c} as it is: one {@code update(int)} call per byte. */
  @Benchmark
  public long crc32cPerByteCurrent() {
    ByteBuffer w = crcHeader;
    int start = 0;
    CRC32C crc = new CRC32C();
    for (int i = start; i < start + crcTotal; i++) {
      boolean inCrcField = i >= crcOffset && i < crcOffset + 4;
      crc.update(inCrcField ? 0 : w.get(i));
    }
    return crc.getValue();
  }

  /**
   * Recommended: three bulk updates (before the field, four zeros, after it), which the JIT
   * intrinsifies; straight from the array for heap buffers (Jetty's are usually direct, which
   * takes the {@code duplicate()} branch and allocates one small view).
   */
  @Benchmark
  public long crc32cBulkRecommended() {
    ByteBuffer w = crcHeader;
    int start = 0;
    int end = start + crcTotal;
    CRC32C crc = new CRC32C();
    if (w.hasArray()) {
      byte[] a = w.array();
      int base = w.arrayOffset();
      crc.update(a, base + start, crcOffset - start);
      crc.update(ZEROS, 0, 4);
      crc.update(a, base + crcOffset + 4, end - crcOffset - 4);
    } else {
      ByteBuffer d = w.duplicate();
      d.limit(crcOffset).position(start);
      crc.update(d);
      crc.update(ZEROS, 0, 4);
      d.limit(end).position(crcOffset + 4);
      crc.update(d);
    }
    return crc.getValue();
  }

  /** {@code parseV2Body} as it is: bytes to {@code IpAddress} and back to bytes for the JDK. */
  @Benchmark
  public InetSocketAddress v2AddressesCurrent() {
    ByteBuffer w = v2Header;
    int at = 16;
    int size = 4;
    IpAddress src = IpAddress.ofBytes(bytes(w, at, size));
    IpAddress dst = IpAddress.ofBytes(bytes(w, at + size, size));
    InetSocketAddress source = new InetSocketAddress(src.toInetAddress(), u16(w, at + 2 * size));
    InetSocketAddress destination =
        new InetSocketAddress(dst.toInetAddress(), u16(w, at + 2 * size + 2));
    return destination.getPort() == 443 ? source : destination;
  }

  /**
   * Recommended: the copied bytes straight to {@code InetAddress.getByAddress}, which also turns
   * a 16-byte IPv4-mapped address into an {@code Inet4Address} (the same answer as the round
   * trip through {@code IpAddress}).
   */
  @Benchmark
  public InetSocketAddress v2AddressesRecommended() throws UnknownHostException {
    ByteBuffer w = v2Header;
    int at = 16;
    int size = 4;
    InetSocketAddress source = new InetSocketAddress(
        InetAddress.getByAddress(bytes(w, at, size)), u16(w, at + 2 * size));
    InetSocketAddress destination = new InetSocketAddress(
        InetAddress.getByAddress(bytes(w, at + size, size)), u16(w, at + 2 * size + 2));
    return destination.getPort() == 443 ? source : destination;
  }

  private static int u16(ByteBuffer w, int at) {
    return ((w.get(at) & 0xFF) << 8) | (w.get(at + 1) & 0xFF);
  }

  private static byte[] bytes(ByteBuffer w, int at, int length) {
    byte[] out = new byte[length];
    for (int i = 0; i < length; i++) {
      out[i] = w.get(at + i);
    }
    return out;
  }
}

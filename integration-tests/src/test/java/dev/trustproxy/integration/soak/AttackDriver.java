package dev.trustproxy.integration.soak;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Random;

/**
 * The attack half of the soak: for {@code DURATION_S} seconds, waves of {@code STALLED}
 * connections that each send a partial PROXY header and then stall, and {@code JUNK}
 * connections that each send random bytes, straight at the PROXY port (from loopback, a
 * trusted source, so each one costs the server a header parse and a deadline).
 *
 * <p>One thread, one selector: it watches every connection and records when the server closed
 * it. A stalled connection must be closed by the server within its header deadline plus one
 * second of its connect; a junk connection at once. Prints one summary line of {@code key=value}
 * pairs and exits with status 1 when any connection broke its deadline or stayed open.
 *
 * <p>Usage: {@code java -cp CP dev.trustproxy.integration.soak.AttackDriver PORT DURATION_S
 * HEADER_TIMEOUT_MS [STALLED] [JUNK]}; a new wave starts when the previous one is closed.
 */
public final class AttackDriver {

  private record Conn(SocketChannel channel, boolean stalled, long connectedNanos) {}

  private AttackDriver() {}

  public static void main(String[] args) throws Exception {
    int port = Integer.parseInt(args[0]);
    long durationNanos = Long.parseLong(args[1]) * 1_000_000_000L;
    long timeoutMillis = Long.parseLong(args[2]);
    int stalledPerWave = args.length > 3 ? Integer.parseInt(args[3]) : 1000;
    int junkPerWave = args.length > 4 ? Integer.parseInt(args[4]) : 1000;
    long allowedMillis = timeoutMillis + 1000;
    InetSocketAddress target = new InetSocketAddress(InetAddress.getLoopbackAddress(), port);
    Random random = new Random(42);

    long stalledOpened = 0, stalledClosedInTime = 0, stalledLate = 0, stalledOpen = 0;
    long junkOpened = 0, junkClosed = 0, junkOpen = 0, connectFailures = 0, waves = 0;
    long maxStalledMillis = 0, maxJunkMillis = 0;
    long start = System.nanoTime();
    try (Selector selector = Selector.open()) {
      while (System.nanoTime() - start < durationNanos) {
        waves++;
        List<Conn> wave = new ArrayList<>();
        int stalledInWave = 0;
        int junkInWave = 0;
        for (int i = 0; i < stalledPerWave + junkPerWave; i++) {
          // Interleaved, so stalled and junk connections arrive mixed.
          boolean stalled = junkInWave >= junkPerWave
              || (i % 2 == 0 && stalledInWave < stalledPerWave);
          if (stalled) {
            stalledInWave++;
          } else {
            junkInWave++;
          }
          SocketChannel ch;
          try {
            ch = SocketChannel.open(target);
          } catch (IOException e) {
            connectFailures++;
            continue;
          }
          long connected = System.nanoTime();
          ch.configureBlocking(false);
          byte[] payload = stalled ? "PROXY TCP4 192.0.2.1".getBytes(StandardCharsets.US_ASCII)
              : junk(random);
          try {
            ch.write(ByteBuffer.wrap(payload));
          } catch (IOException closedAlready) {
            // The server may have closed a junk connection before the write finished.
          }
          Conn c = new Conn(ch, stalled, connected);
          ch.register(selector, SelectionKey.OP_READ, c);
          wave.add(c);
          if (stalled) {
            stalledOpened++;
          } else {
            junkOpened++;
          }
        }
        // Wait for the server to close every connection of the wave (or give up after the
        // allowed time plus a margin, counting what is still open).
        long waveDeadline = System.nanoTime() + (allowedMillis + 3000) * 1_000_000L;
        int open = wave.size();
        ByteBuffer sink = ByteBuffer.allocate(4096);
        while (open > 0 && System.nanoTime() < waveDeadline) {
          selector.select(100);
          Iterator<SelectionKey> keys = selector.selectedKeys().iterator();
          while (keys.hasNext()) {
            SelectionKey key = keys.next();
            keys.remove();
            Conn c = (Conn) key.attachment();
            int n;
            try {
              sink.clear();
              n = c.channel().read(sink);
            } catch (IOException reset) {
              n = -1;
            }
            if (n < 0) {
              long millis = (System.nanoTime() - c.connectedNanos()) / 1_000_000;
              key.cancel();
              c.channel().close();
              open--;
              if (c.stalled()) {
                maxStalledMillis = Math.max(maxStalledMillis, millis);
                if (millis <= allowedMillis) {
                  stalledClosedInTime++;
                } else {
                  stalledLate++;
                }
              } else {
                maxJunkMillis = Math.max(maxJunkMillis, millis);
                junkClosed++;
              }
            }
          }
        }
        for (Conn c : wave) {
          if (c.channel().isOpen()) {
            if (c.stalled()) {
              stalledOpen++;
            } else {
              junkOpen++;
            }
            c.channel().close();
          }
        }
        selector.selectNow();
      }
    }
    System.out.printf(
        "waves=%d stalledOpened=%d stalledClosedWithinDeadlinePlus1s=%d stalledLate=%d"
            + " stalledNeverClosed=%d maxStalledCloseMillis=%d junkOpened=%d junkClosed=%d"
            + " junkNeverClosed=%d maxJunkCloseMillis=%d connectFailures=%d driverCpuMillis=%d%n",
        waves, stalledOpened, stalledClosedInTime, stalledLate, stalledOpen, maxStalledMillis,
        junkOpened, junkClosed, junkOpen, maxJunkMillis, connectFailures, cpuMillis());
    boolean ok = stalledLate == 0 && stalledOpen == 0 && junkOpen == 0 && connectFailures == 0
        && stalledClosedInTime == stalledOpened && junkClosed == junkOpened;
    System.exit(ok ? 0 : 1);
  }

  /** This JVM's CPU time so far (the driver competes with the server for the same cores). */
  private static long cpuMillis() {
    java.lang.management.OperatingSystemMXBean os =
        java.lang.management.ManagementFactory.getOperatingSystemMXBean();
    return os instanceof com.sun.management.OperatingSystemMXBean sun
        ? sun.getProcessCpuTime() / 1_000_000 : -1;
  }

  /** 64 random bytes whose first byte cannot start a PROXY header ('P' or CR). */
  private static byte[] junk(Random random) {
    byte[] b = new byte[64];
    random.nextBytes(b);
    while (b[0] == 'P' || b[0] == '\r') {
      b[0] = (byte) random.nextInt(256);
    }
    return b;
  }
}

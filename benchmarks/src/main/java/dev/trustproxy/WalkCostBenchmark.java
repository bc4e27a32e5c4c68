package dev.trustproxy;

import dev.trustproxy.benchmarks.Inputs;
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
 * Where the walk's time goes, on the 3-entry request of {@code ClientResolutionBenchmark} ({@code
 * client, proxy3, proxy2}, hop count 3): the walk, and each step it takes, measured alone on the
 * same header. #10 asks where the time goes when the filter misses 5× Tomcat's {@code
 * RemoteIpFilter}; these figures say which steps are left to make faster.
 *
 * <ul>
 *   <li>{@link #walk}: {@code ClientResolver.resolve}, as the filter calls it.
 *   <li>{@link #delimit}: finding the three entries from the right ({@code Entries.elementStart}
 *       and {@code Entries.value}), without parsing them.
 *   <li>{@link #parse}: the three entries parsed from their spans as the walk parses them (a
 *       dotted quad first, then IPv6), without finding them.
 *   <li>{@link #parseFamily}: the same with the family's parser alone, so {@code parse} minus
 *       this is what trying a dotted quad first costs an IPv6 entry.
 *   <li>{@link #readChars}: every character of the header read once: what any reader of this
 *       text pays at the least through {@code CharSequence.charAt}.
 *   <li>{@link #clientText}: the client's text the filter returns ({@code Resolution.clientText},
 *       a copy of the entry when it is canonical), from a walk done beforehand.
 * </ul>
 *
 * <p>In package {@code dev.trustproxy} because the steps are package-private.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Fork(value = 2, jvmArgsAppend = {"-Xms512m", "-Xmx512m"})
@Warmup(iterations = 4, time = 1)
@Measurement(iterations = 5, time = 1)
public class WalkCostBenchmark {

  @Param({"ipv4", "ipv6"})
  public String family;

  private CharSequence header;
  private IpAddress peer;
  private ClientResolver resolver;
  private Resolution resolution;
  private final IpAddress.Bits bits = new IpAddress.Bits();
  /** The three entries' spans, right to left, as {@code from << 32 | to}. */
  private final long[] spans = new long[3];
  private boolean ipv4;

  @Setup
  public void setUp() {
    Inputs.Scenario scenario = Inputs.scenario(3, family);
    header = scenario.xForwardedFor();
    peer = scenario.peer();
    resolver = Inputs.resolver("hops");
    ipv4 = family.equals("ipv4");
    resolution = resolver.resolve(peer, header);
    if (!resolution.clientText().equals(scenario.client())) {
      throw new IllegalStateException("the walk resolved '" + resolution.clientText()
          + "', expected '" + scenario.client() + "'");
    }
    int end = header.length();
    for (int k = 0; k < spans.length; k++) {
      int start = Entries.elementStart(header, end, false);
      spans[k] = Entries.value(header, start, end, false);
      end = start - 1;
    }
    if (delimit() != spans[0] + spans[1] + spans[2] || parse() != parseFamily()) {
      throw new IllegalStateException("the steps do not see the entries the walk sees");
    }
  }

  @Benchmark
  public Resolution walk() {
    return resolver.resolve(peer, header);
  }

  @Benchmark
  public long delimit() {
    long sum = 0;
    int end = header.length();
    for (int k = 0; k < 3; k++) {
      int start = Entries.elementStart(header, end, false);
      sum += Entries.value(header, start, end, false);
      end = start - 1;
    }
    return sum;
  }

  @Benchmark
  public long parse() {
    long sum = 0;
    for (long span : spans) {
      int from = (int) (span >>> 32);
      int to = (int) span;
      long v4 = Entries.ipv4(header, from, to);
      if (v4 >= 0) {
        sum += v4;
      } else if (Entries.ipv6(header, from, to, bits)) {
        sum += bits.high ^ bits.low;
      }
    }
    return sum;
  }

  @Benchmark
  public long parseFamily() {
    long sum = 0;
    for (long span : spans) {
      int from = (int) (span >>> 32);
      int to = (int) span;
      if (ipv4) {
        sum += Entries.ipv4(header, from, to);
      } else if (Entries.ipv6(header, from, to, bits)) {
        sum += bits.high ^ bits.low;
      }
    }
    return sum;
  }

  @Benchmark
  public int readChars() {
    int hash = 0;
    for (int i = 0; i < header.length(); i++) {
      hash = 31 * hash + header.charAt(i);
    }
    return hash;
  }

  @Benchmark
  public String clientText() {
    return resolution.clientText();
  }
}

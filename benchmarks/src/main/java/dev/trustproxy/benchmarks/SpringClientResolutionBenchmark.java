package dev.trustproxy.benchmarks;

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
import org.springframework.web.filter.ForwardedHeaderFilter;

/**
 * Spring's {@code ForwardedHeaderFilter} on the same requests as {@link
 * ClientResolutionBenchmark}. It has no trust setting (it believes the left-most X-Forwarded-For
 * entry from any peer), so it has no {@code trust} parameter: its figures stand for both rows.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Fork(value = 2, jvmArgsAppend = {"-Xms512m", "-Xmx512m"})
@Warmup(iterations = 4, time = 1)
@Measurement(iterations = 5, time = 1)
public class SpringClientResolutionBenchmark {

  @Param({"1", "3", "10", "10000"})
  public int entries;

  @Param({"ipv4", "ipv6"})
  public String family;

  private BenchRequest request;
  private final BenchResponse response = new BenchResponse();
  private final Sink sink = new Sink();
  private final ForwardedHeaderFilter spring = new ForwardedHeaderFilter();

  @Setup
  public void setUp() throws Exception {
    Inputs.Scenario scenario = Inputs.scenario(entries, family);
    request = scenario.request();
    spring.doFilter(request, response, sink);
    ClientResolutionBenchmark.expect("Spring ForwardedHeaderFilter", scenario.leftMost(),
        sink.take());
  }

  @Benchmark
  public String springForwardedHeaderFilter() throws Exception {
    spring.doFilter(request, response, sink);
    return sink.take();
  }
}

package dev.trustproxy.benchmarks;

import dev.trustproxy.ClientResolver;
import dev.trustproxy.Resolution;
import dev.trustproxy.servlet.TrustProxyFilter;
import jakarta.servlet.Filter;
import java.util.concurrent.TimeUnit;
import org.apache.catalina.filters.RemoteIpFilter;
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
 * Client resolution through each filter's {@code doFilter} on the same request, and the core walk
 * alone. Every contender gets the same {@link Inputs}; see there for how each trust setting maps.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Fork(value = 2, jvmArgsAppend = {"-Xms512m", "-Xmx512m"})
@Warmup(iterations = 4, time = 1)
@Measurement(iterations = 5, time = 1)
public class ClientResolutionBenchmark {

  @Param({"1", "3", "10", "10000"})
  public int entries;

  @Param({"ipv4", "ipv6"})
  public String family;

  @Param({"hops", "ranges"})
  public String trust;

  private Inputs.Scenario scenario;
  private BenchRequest request;
  private final BenchResponse response = new BenchResponse();
  private final Sink sink = new Sink();
  private TrustProxyFilter trustProxy;
  private RemoteIpFilter tomcat;
  private ContainerFloorFilter floor;
  private ClientResolver resolver;

  @Setup
  public void setUp() throws Exception {
    scenario = Inputs.scenario(entries, family);
    request = scenario.request();
    trustProxy = Inputs.trustProxyFilter(trust);
    tomcat = Inputs.tomcatFilter(trust);
    resolver = Inputs.resolver(trust);
    floor = new ContainerFloorFilter(scenario.client());
    // Every contender must give the right answer on these inputs, or its timing means nothing.
    expect("trustproxy filter", scenario.client(), run(trustProxy));
    expect("Tomcat RemoteIpFilter", scenario.client(), run(tomcat));
    expect("floor", scenario.client(), run(floor));
    expect("trustproxy walk", scenario.client(),
        resolver.resolve(scenario.peer(), scenario.xForwardedFor()).client().toString());
  }

  static void expect(String who, String expected, String actual) {
    if (!expected.equals(actual)) {
      throw new IllegalStateException(who + " resolved '" + actual + "', expected '" + expected
          + "': the benchmark inputs or configuration are wrong");
    }
  }

  private String run(Filter filter) throws Exception {
    filter.doFilter(request, response, sink);
    return sink.take();
  }

  @Benchmark
  public String trustproxyFilter() throws Exception {
    trustProxy.doFilter(request, response, sink);
    return sink.take();
  }

  @Benchmark
  public String tomcatRemoteIpFilter() throws Exception {
    tomcat.doFilter(request, response, sink);
    return sink.take();
  }

  /**
   * Not a contender: the container's share of any filter on this request (see
   * {@link ContainerFloorFilter}), so that the report can say how far the ratio can go.
   */
  @Benchmark
  public String containerFloor() throws Exception {
    return run(floor);
  }

  /** The walk alone: what {@code ClientResolver.resolve} allocates is its answer. */
  @Benchmark
  public Resolution trustproxyWalk() {
    return resolver.resolve(scenario.peer(), scenario.xForwardedFor());
  }
}

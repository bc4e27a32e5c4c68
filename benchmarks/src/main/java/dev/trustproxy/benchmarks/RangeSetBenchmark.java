package dev.trustproxy.benchmarks;

import dev.trustproxy.ClientResolver;
import dev.trustproxy.IpRangeSet;
import dev.trustproxy.RangeSource;
import dev.trustproxy.Resolution;
import dev.trustproxy.TrustPolicy;
import java.nio.file.Files;
import java.nio.file.Path;
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
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * The walk of {@link Inputs}' 3-entry request with 3 trusted ranges and with 10,000 (README D81):
 * {@code 10000} is the set built in code, {@code 10000-file} the same list read from a file
 * through a {@link RangeSource} (the configuration a user writes, with its volatile read).
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Fork(value = 2, jvmArgsAppend = {"-Xms512m", "-Xmx512m"})
@Warmup(iterations = 4, time = 1)
@Measurement(iterations = 5, time = 1)
public class RangeSetBenchmark {

  @Param({"3", "10000", "10000-file"})
  public String ranges;

  @Param({"ipv4", "ipv6"})
  public String family;

  private Inputs.Scenario scenario;
  private ClientResolver resolver;
  private Path file;

  @Setup
  public void setUp() throws Exception {
    scenario = Inputs.scenario(3, family);
    resolver = switch (ranges) {
      case "3" -> ClientResolver.of(TrustPolicy.parse("trust-proxy", Inputs.RANGES));
      case "10000" -> ClientResolver.of(TrustPolicy.ranges(IpRangeSet.of(
          RangeLists.ranges(10_000))));
      case "10000-file" -> {
        file = Files.createTempFile("trustproxy-ranges", ".txt");
        Files.writeString(file, RangeLists.file(RangeLists.ranges(10_000), "text"));
        yield ClientResolver.of(TrustPolicy.ranges(RangeSource.parse("trust-proxy",
            "file:" + file)));
      }
      default -> throw new IllegalArgumentException(
          "ranges '" + ranges + "': expected 3, 10000 or 10000-file");
    };
    ClientResolutionBenchmark.expect("walk with " + ranges + " ranges", scenario.client(),
        resolver.resolve(scenario.peer(), scenario.xForwardedFor()).client().toString());
  }

  @TearDown
  public void tearDown() throws Exception {
    if (file != null) {
      Files.deleteIfExists(file);
    }
  }

  @Benchmark
  public Resolution walk() {
    return resolver.resolve(scenario.peer(), scenario.xForwardedFor());
  }
}

package dev.trustproxy.benchmarks;

import dev.trustproxy.RangeSource;
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
 * Reading a 10,000-prefix file (README D81): {@code load} is what start-up and a reload of a
 * changed file do (read, decode, parse every line or JSON prefix, build the set and its table);
 * {@code pollUnchanged} is the poll every interval when the file did not change (read, compare).
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Fork(value = 2, jvmArgsAppend = {"-Xms512m", "-Xmx512m"})
@Warmup(iterations = 4, time = 1)
@Measurement(iterations = 5, time = 1)
public class RangeReloadBenchmark {

  @Param({"text", "aws"})
  public String format;

  private Path file;
  private String item;
  private RangeSource source;

  @Setup
  public void setUp() throws Exception {
    file = Files.createTempFile("trustproxy-ranges", format.equals("aws") ? ".json" : ".txt");
    Files.writeString(file, RangeLists.file(RangeLists.ranges(10_000), format));
    item = "file:" + file + (format.equals("aws") ? "#service=CLOUDFRONT_ORIGIN_FACING" : "");
    source = RangeSource.parse("trust-proxy", item);
    if (source.current().ranges().size() != 10_000) {
      throw new IllegalStateException("expected 10,000 ranges, got "
          + source.current().ranges().size());
    }
  }

  @TearDown
  public void tearDown() throws Exception {
    Files.deleteIfExists(file);
  }

  @Benchmark
  public RangeSource load() {
    return RangeSource.parse("trust-proxy", item);
  }

  @Benchmark
  public int pollUnchanged() {
    return source.reload();
  }
}

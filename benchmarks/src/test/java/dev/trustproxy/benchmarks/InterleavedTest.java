package dev.trustproxy.benchmarks;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The interleaved harness: every round times every contender once, in rotating order. */
class InterleavedTest {

  @Test
  void everyRoundTimesEveryContenderOnceInRotatingOrder(@TempDir Path dir) throws Throwable {
    Path csv = dir.resolve("out.csv");
    Interleaved.main(new String[] {csv.toString(), ClientResolutionBenchmark.class.getName(),
        "point", "entries=1,family=ipv4,trust=hops", "10", "3", "5", "tomcatRemoteIpFilter",
        "trustproxyFilter"});
    List<String[]> lines = Files.readAllLines(csv).stream().map(l -> l.split(",")).toList();
    assertThat(lines).hasSize(6);
    for (int i = 0; i < lines.size(); i++) {
      String[] line = lines.get(i);
      assertThat(line).hasSize(7);
      assertThat(line[0]).isEqualTo("point");
      assertThat(line[2]).as("the first method is the baseline").isEqualTo("tomcatRemoteIpFilter");
      assertThat(line[3]).isEqualTo(String.valueOf(i / 2 + 1));
      assertThat(Double.parseDouble(line[5])).as("operations per second").isPositive();
    }
    // Round r starts with method r mod 2: no contender always runs first.
    assertThat(lines.get(0)[1]).isEqualTo("trustproxyFilter");
    assertThat(lines.get(2)[1]).isEqualTo("tomcatRemoteIpFilter");
    assertThat(lines.get(4)[1]).isEqualTo("trustproxyFilter");
  }

  @Test
  void aMethodThatIsNotABenchmarkIsRefusedByName(@TempDir Path dir) {
    assertThatThrownBy(() -> Interleaved.main(new String[] {dir.resolve("out.csv").toString(),
        ClientResolutionBenchmark.class.getName(), "point", "entries=1,family=ipv4,trust=hops",
        "10", "1", "5", "tomcatRemoteIpFilter", "setUp"}))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("'setUp'");
  }

  @Test
  void aParamThatIsNotOneIsRefusedByName(@TempDir Path dir) {
    assertThatThrownBy(() -> Interleaved.main(new String[] {dir.resolve("out.csv").toString(),
        ClientResolutionBenchmark.class.getName(), "point", "entries=1,family=ipv4,trust=hops,x",
        "10", "1", "5", "trustproxyFilter", "containerFloor"}))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("'x'");
  }
}

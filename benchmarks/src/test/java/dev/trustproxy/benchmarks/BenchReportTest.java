package dev.trustproxy.benchmarks;

import static org.assertj.core.api.Assertions.assertThat;

import dev.trustproxy.testsupport.ExternalProcess;
import dev.trustproxy.testsupport.Peer;
import dev.trustproxy.testsupport.RealPeers;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The benchmark report's arithmetic (ratios, error bars, target verdicts) is tested by
 * {@code scripts/bench/report_test.py}; this runs it in the normal build, so a change to the
 * report or to the suite's targets cannot break it unnoticed.
 */
@RealPeers(Peer.PYTHON3)
class BenchReportTest {

  @Test
  void theReportsOwnTestsPass() {
    Path script = Path.of("..", "scripts", "bench", "report_test.py").toAbsolutePath().normalize();
    assertThat(script).exists();
    ExternalProcess.Result result = ExternalProcess.run(Duration.ofMinutes(2),
        List.of(Peer.PYTHON3.path(), script.toString()));
    assertThat(result.exitCode()).as("%s", result).isZero();
    // unittest prints its summary on stderr: "Ran N tests ... OK".
    assertThat(result.stderr()).containsPattern("Ran [1-9][0-9]* tests").contains("OK");
  }

  @Test
  void theSuiteListsEveryBenchmarkClassItRuns() throws Exception {
    ExternalProcess.Result result = ExternalProcess.run(Duration.ofMinutes(1),
        List.of(Peer.PYTHON3.path(),
            Path.of("..", "scripts", "bench", "suite.py").toAbsolutePath().normalize().toString(),
            "jmh")).requireSuccess();
    for (String name : result.stdout().strip().split("\\s+")) {
      assertThat(Files.exists(Path.of("target", "classes", name.replace('.', '/') + ".class")))
          .as("suite.py lists %s, which must be a class of this module", name).isTrue();
    }
  }
}

package dev.trustproxy.jetty.peers;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Map;
import org.junit.jupiter.api.Test;
import org.opentest4j.AssertionFailedError;
import org.opentest4j.TestAbortedException;

/** The plumbing the peer tests rely on: a missing peer must fail loudly, templates fill fully. */
class PeerProgramsTest {

  @Test
  void missingProgramFailsNamingCiRunAndThePackage() {
    assertThatThrownBy(() -> PeerPrograms.missing("haproxy not installed", "haproxy", false))
        .isInstanceOf(AssertionFailedError.class)
        .hasMessageContaining("haproxy not installed: .ci/run installs it")
        .hasMessageContaining("apt-get install haproxy");
  }

  @Test
  void missingProgramOnlyAbortsWhenTheDeveloperAskedToSkip() {
    assertThatThrownBy(() -> PeerPrograms.missing("nginx not installed", "nginx", true))
        .isInstanceOf(TestAbortedException.class)
        .hasMessageContaining("-D" + PeerPrograms.SKIP_PROPERTY + "=true");
  }

  @Test
  void programThatIsNowhereIsReportedMissing() {
    assertThatThrownBy(() -> PeerPrograms.require("trustproxy-no-such-program", "no-such-pkg"))
        .hasMessageContaining("trustproxy-no-such-program not installed")
        .hasMessageContaining("apt-get install no-such-pkg");
  }

  @Test
  void programOnThePathIsFoundByAbsolutePath() {
    assertThat(PeerPrograms.require("sh", "dash")).startsWith("/").endsWith("/sh");
  }

  @Test
  void templateGetsEveryPlaceholderFilled() {
    String config = PeerPrograms.render("nginx.conf", Map.of("STREAM_MODULE", "/m.so",
        "WORK_DIR", "/w", "READY_PORT", 1, "PROXY_PORT", 2, "JETTY_PORT", 3));

    assertThat(config).contains("load_module /m.so;", "pid /w/nginx.pid;",
        "listen 127.0.0.1:2;", "proxy_pass 127.0.0.1:3;").doesNotContain("${");
  }

  @Test
  void templatePlaceholderWithoutValueIsAnError() {
    assertThatThrownBy(() -> PeerPrograms.render("nginx.conf", Map.of("WORK_DIR", "/w")))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("${STREAM_MODULE}");
  }
}

package dev.trustproxy.jetty.peers;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Map;
import org.junit.jupiter.api.Test;

/** The peers' config templates: every placeholder is filled, or the render fails naming it. */
class PeerProgramsTest {

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

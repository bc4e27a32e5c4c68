package dev.trustproxy.benchmarks;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The valve benchmark measures what it claims: both valves give the client on every input, and
 * leave the Catalina request as it was, so every operation sees the same input.
 */
class TrustProxyValveBenchmarkTest {

  @ParameterizedTest(name = "{0}")
  @MethodSource("dev.trustproxy.benchmarks.BenchmarkInputsTest#clientInputs")
  void bothValvesResolveTheClientAndRestoreTheRequest(String name, int entries, String family,
      String trust) throws Exception {
    TrustProxyValveBenchmark b = new TrustProxyValveBenchmark();
    b.entries = entries;
    b.family = family;
    b.trust = trust;
    b.setUp();
    String client = family.equals("ipv4") ? "203.0.113.7" : "2001:db8::7";
    for (int i = 0; i < 3; i++) {
      assertThat(b.trustproxyValve()).isEqualTo(client);
      assertThat(b.tomcatRemoteIpValve()).isEqualTo(client);
      assertThat(b.containerFloor()).isEqualTo(client);
    }
  }
}

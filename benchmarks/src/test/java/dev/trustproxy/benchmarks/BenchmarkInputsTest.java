package dev.trustproxy.benchmarks;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.trustproxy.IpAddress;
import dev.trustproxy.jetty.ProxyHeaders;
import dev.trustproxy.jetty.ProxyParseBenchmark;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The benchmarks measure what they claim: every contender gives the expected answer on every
 * input, so a timing never comes from a misconfigured filter or a rejected header. Runs in the
 * normal build; the benchmarks themselves run only from {@code scripts/bench/run-all.sh}.
 */
class BenchmarkInputsTest {

  static Stream<Arguments> clientInputs() {
    List<Arguments> all = new ArrayList<>();
    for (String entries : new String[] {"1", "3", "10", "10000"}) {
      for (String family : new String[] {"ipv4", "ipv6"}) {
        for (String trust : new String[] {"hops", "ranges"}) {
          all.add(Arguments.of(entries + " " + family + " " + trust, Integer.parseInt(entries),
              family, trust));
        }
      }
    }
    return all.stream();
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("clientInputs")
  void everyClientContenderResolvesTheClientTheTrustPointsAt(String name, int entries,
      String family, String trust) throws Exception {
    ClientResolutionBenchmark b = new ClientResolutionBenchmark();
    b.entries = entries;
    b.family = family;
    b.trust = trust;
    b.setUp();
    String client = family.equals("ipv4") ? "203.0.113.7" : "2001:db8::7";
    assertThat(b.trustproxyFilter()).isEqualTo(client);
    assertThat(b.tomcatRemoteIpFilter()).isEqualTo(client);
    assertThat(b.trustproxyWalk().client()).hasToString(client);
    assertThat(b.containerFloor()).isEqualTo(client);
    // Repeated operations on the same request give the same answer (no state leaks between ops).
    assertThat(b.trustproxyFilter()).isEqualTo(client);
    assertThat(b.tomcatRemoteIpFilter()).isEqualTo(client);
    assertThat(b.containerFloor()).isEqualTo(client);
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("clientInputs")
  void springBelievesTheLeftMostEntry(String name, int entries, String family, String trust)
      throws Exception {
    SpringClientResolutionBenchmark b = new SpringClientResolutionBenchmark();
    b.entries = entries;
    b.family = family;
    b.setUp();
    String leftMost = Inputs.scenario(entries, family).leftMost();
    assertThat(b.springForwardedHeaderFilter()).isEqualTo(leftMost);
    assertThat(b.springForwardedHeaderFilter()).isEqualTo(leftMost);
  }

  @Test
  void theLongHeaderHasTenThousandEntriesEndingInTheThreeEntryChain() {
    String three = Inputs.scenario(3, "ipv4").xForwardedFor();
    String many = Inputs.scenario(10_000, "ipv4").xForwardedFor();
    assertThat(many.split(",")).hasSize(10_000);
    assertThat(many).endsWith(", " + three);
  }

  @Test
  void aWronglyConfiguredContenderFailsTheSetUp() {
    assertThatThrownBy(() -> ClientResolutionBenchmark.expect("x", "203.0.113.7", "10.0.0.2"))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("'10.0.0.2'");
  }

  static Stream<String> headers() {
    return Stream.of(ProxyHeaders.NAMES);
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("headers")
  void bothParsersReadTheSameSourceFromEveryHeader(String header) throws Exception {
    ProxyParseBenchmark b = new ProxyParseBenchmark();
    b.header = header;
    b.setUp();
    String expected = ProxyHeaders.source(header);
    assertThat(b.trustproxy()).hasToString(expected);
    assertThat(IpAddress.of(b.trustproxySocketAddress().getAddress())).hasToString(expected);
    assertThat(b.trustproxySocketAddress().getPort()).isEqualTo(35646);
    assertThat(IpAddress.parse(b.netty())).hasToString(expected);
    assertThat(IpAddress.parse(b.netty())).hasToString(expected);
  }
}

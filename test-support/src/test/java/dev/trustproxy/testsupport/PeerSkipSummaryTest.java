package dev.trustproxy.testsupport;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.platform.engine.discovery.DiscoverySelectors.selectClass;

import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ConditionEvaluationResult;
import org.junit.jupiter.api.extension.ExecutionCondition;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.platform.launcher.Launcher;
import org.junit.platform.launcher.core.LauncherConfig;
import org.junit.platform.launcher.core.LauncherDiscoveryRequestBuilder;
import org.junit.platform.launcher.core.LauncherFactory;
import org.junit.platform.launcher.listeners.SummaryGeneratingListener;

/**
 * The summary line, through a real JUnit launcher running fixture classes: it counts the test
 * methods a missing peer skipped (a class disabled before it starts, a {@code @BeforeAll} that
 * aborts) and says nothing about other skips. The nested classes are fixtures the launcher
 * runs, never tests of their own (Surefire skips nested classes).
 */
class PeerSkipSummaryTest {

  @Test
  void classDisabledForAMissingPeerCountsEachOfItsMethodsOnce() {
    List<String> lines = run(DisabledForMissingNginx.class);

    assertThat(lines).hasSize(1);
    assertThat(lines.get(0)).startsWith("trustproxy: skipped 3 real-peer tests: ")
        .contains("nginx").contains("install: apt-get install ")
        .endsWith("(CI=true or -Dtrustproxy.peers=required makes a missing peer fail the build)");
  }

  @Test
  void beforeAllAbortingForAMissingPeerCountsItsMethods() {
    List<String> lines = run(AbortsInBeforeAll.class);

    assertThat(lines).singleElement().asString()
        .startsWith("trustproxy: skipped 2 real-peer tests: ");
  }

  @Test
  void otherSkipsAndPassingTestsPrintNothing() {
    assertThat(run(DisabledForAnotherReason.class, Passes.class)).isEmpty();
  }

  @Test
  void lineNamesEveryMissingPeerAndItsPackageOnce() {
    assertThat(PeerSkipSummary.line(1, EnumSet.of(Peer.NGINX, Peer.NGINX_STREAM_MODULE, Peer.CURL)))
        .isEqualTo("trustproxy: skipped 1 real-peer test: nginx, nginx (stream module), curl not"
            + " found; install: apt-get install nginx libnginx-mod-stream curl (CI=true or"
            + " -Dtrustproxy.peers=required makes a missing peer fail the build)");
  }

  @Test
  void noLineWithoutSkippedTests() {
    assertThat(PeerSkipSummary.line(0, EnumSet.of(Peer.HAPROXY))).isNull();
  }

  private static List<String> run(Class<?>... classes) {
    List<String> lines = new ArrayList<>();
    Launcher launcher = LauncherFactory.create(LauncherConfig.builder()
        .enableTestExecutionListenerAutoRegistration(false).build());
    LauncherDiscoveryRequestBuilder request = LauncherDiscoveryRequestBuilder.request();
    for (Class<?> c : classes) {
      request.selectors(selectClass(c));
    }
    SummaryGeneratingListener summary = new SummaryGeneratingListener();
    launcher.execute(request.build(), new PeerSkipSummary(lines::add), summary);
    assertThat(summary.getSummary().getTotalFailureCount()).as("fixtures never fail").isZero();
    return lines;
  }

  /** Stands in for {@link RealPeersCondition} finding nginx missing, whatever is installed. */
  static final class NginxMissing implements ExecutionCondition {
    @Override
    public ConditionEvaluationResult evaluateExecutionCondition(ExtensionContext context) {
      return RealPeersCondition.evaluate(List.of(Peer.NGINX), PeerMode.SKIP);
    }
  }

  @ExtendWith(NginxMissing.class)
  static class DisabledForMissingNginx {
    @Test
    void one() {}

    @Test
    void two() {}

    @ParameterizedTest
    @ValueSource(ints = {1, 2, 3})
    void parameterized(int i) {}
  }

  static class AbortsInBeforeAll {
    @BeforeAll
    static void start() {
      PeerMode.SKIP.missing(List.of(Peer.HAPROXY));
    }

    @Test
    void one() {}

    @Test
    void two() {}
  }

  /** A skip that has nothing to do with peers. */
  static final class OtherReason implements ExecutionCondition {
    @Override
    public ConditionEvaluationResult evaluateExecutionCondition(ExtensionContext context) {
      return ConditionEvaluationResult.disabled("not about peers");
    }
  }

  @ExtendWith(OtherReason.class)
  static class DisabledForAnotherReason {
    @Test
    void disabled() {}
  }

  static class Passes {
    @Test
    void passes() {}
  }
}

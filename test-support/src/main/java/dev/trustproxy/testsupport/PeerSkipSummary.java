package dev.trustproxy.testsupport;

import java.io.FileDescriptor;
import java.io.FileOutputStream;
import java.io.PrintStream;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;
import org.junit.platform.engine.TestExecutionResult;
import org.junit.platform.engine.support.descriptor.MethodSource;
import org.junit.platform.launcher.TestExecutionListener;
import org.junit.platform.launcher.TestIdentifier;
import org.junit.platform.launcher.TestPlan;

/**
 * Prints one line at the end of a test run that skipped real-peer tests: how many, which peers
 * are missing and the apt-get command that installs them. Registered through {@code
 * META-INF/services}, so every module that depends on this one prints it without configuration.
 */
public final class PeerSkipSummary implements TestExecutionListener {

  private final Consumer<String> out;
  private final AtomicInteger skipped = new AtomicInteger();
  private volatile TestPlan plan;

  /** For {@code META-INF/services}: prints to the process's stderr. */
  public PeerSkipSummary() {
    this(PeerSkipSummary::print);
  }

  PeerSkipSummary(Consumer<String> out) {
    this.out = out;
  }

  @Override
  public void testPlanExecutionStarted(TestPlan testPlan) {
    plan = testPlan;
    skipped.set(0);
  }

  @Override
  public void executionSkipped(TestIdentifier identifier, String reason) {
    if (reason != null && reason.startsWith(PeerMode.REASON_PREFIX)) {
      skipped.addAndGet(testMethods(identifier));
    }
  }

  @Override
  public void executionFinished(TestIdentifier identifier, TestExecutionResult result) {
    if (result.getStatus() == TestExecutionResult.Status.ABORTED
        && result.getThrowable().filter(PeerMode.PeersMissing.class::isInstance).isPresent()) {
      skipped.addAndGet(testMethods(identifier));
    }
  }

  @Override
  public void testPlanExecutionFinished(TestPlan testPlan) {
    String line = line(skipped.get(), PeerMode.missingSoFar());
    if (line != null) {
      out.accept(line);
    }
  }

  /** The summary, or null when nothing was skipped for a missing peer. */
  static String line(int skippedTests, Set<Peer> missing) {
    if (skippedTests == 0 || missing.isEmpty()) {
      return null;
    }
    return "trustproxy: skipped " + skippedTests + " real-peer test" + (skippedTests == 1 ? "" : "s")
        + ": " + PeerMode.names(missing) + " not found; install: "
        + PeerMode.installCommand(missing) + " (CI=true or -D" + PeerMode.PROPERTY
        + "=required makes a missing peer fail the build)";
  }

  /** Test methods at or under {@code identifier}; a parameterized method counts once. */
  private int testMethods(TestIdentifier identifier) {
    TestPlan p = plan;
    if (isMethod(identifier) || p == null) {
      return 1;
    }
    return (int) p.getDescendants(identifier).stream().filter(PeerSkipSummary::isMethod)
        .filter(id -> p.getParent(id).map(parent -> !isMethod(parent)).orElse(true))
        .count();
  }

  private static boolean isMethod(TestIdentifier identifier) {
    return identifier.getSource().filter(MethodSource.class::isInstance).isPresent();
  }

  private static void print(String line) {
    // Surefire captures System.out and System.err into report files; the process's own stderr
    // reaches the Maven console unchanged.
    PrintStream out = new PrintStream(new FileOutputStream(FileDescriptor.err), true);
    out.println(line);
    out.flush();
  }
}

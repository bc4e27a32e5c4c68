package dev.trustproxy.testsupport;

import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import java.util.stream.StreamSupport;
import org.opentest4j.AssertionFailedError;
import org.opentest4j.TestAbortedException;

/**
 * What a missing peer does to a test: a developer's build skips it (reported as skipped, never
 * as passed) and {@link PeerSkipSummary} prints one line saying what to install; CI must prove
 * that the peers ran, so there a missing peer fails the test.
 */
public enum PeerMode {
  /** The default: skip, and say so once. */
  SKIP,
  /** {@code CI=true} in the environment, or {@code -Dtrustproxy.peers=required}. */
  REQUIRED;

  /** The system property (passed to the test JVMs by the root pom's surefire settings). */
  public static final String PROPERTY = "trustproxy.peers";

  /** Starts every skip reason, so the summary can tell a missing peer from other skips. */
  static final String REASON_PREFIX = "real peer missing: ";

  /** Every peer found missing in this JVM, for the summary line. */
  private static final Set<Peer> MISSING = EnumSet.noneOf(Peer.class);

  /** The mode of this JVM: from the {@code CI} environment variable and {@value #PROPERTY}. */
  public static PeerMode current() {
    return of(System.getenv("CI"), System.getProperty(PROPERTY));
  }

  /**
   * The mode for the given setting values; unset or empty property means "not asked".
   *
   * @throws IllegalArgumentException naming {@value #PROPERTY} and quoting the value when it is
   *     neither empty nor {@code required}
   */
  static PeerMode of(String ciVariable, String property) {
    if (property != null && !property.isEmpty() && !property.equals("required")) {
      throw new IllegalArgumentException("-D" + PROPERTY + ": '" + property
          + "' is not a mode; expected 'required' (fail when a peer is missing) or nothing");
    }
    return "true".equals(ciVariable) || "required".equals(property) ? REQUIRED : SKIP;
  }

  /** Records the peers as missing, then skips or fails the test; never returns normally. */
  <T> T missing(List<Peer> peers) {
    String message = message(peers);
    synchronized (MISSING) {
      MISSING.addAll(peers);
    }
    if (this == REQUIRED) {
      throw new AssertionFailedError(message + " (required: " + requiredBecause() + ")");
    }
    throw new PeersMissing(message);
  }

  /** Why a test was skipped, or what the failure says: the peers and the install command. */
  static String message(List<Peer> peers) {
    return REASON_PREFIX + names(peers) + " (searched PATH and " + Peer.EXTRA_DIRS
        + "); install: " + installCommand(peers);
  }

  static String names(Iterable<Peer> peers) {
    return stream(peers).map(Peer::displayName).collect(Collectors.joining(", "));
  }

  static String installCommand(Iterable<Peer> peers) {
    return "apt-get install " + stream(peers).map(Peer::debianPackage).distinct()
        .collect(Collectors.joining(" "));
  }

  /** The peers found missing so far in this JVM, in declaration order. */
  static Set<Peer> missingSoFar() {
    synchronized (MISSING) {
      return MISSING.isEmpty() ? EnumSet.noneOf(Peer.class) : EnumSet.copyOf(MISSING);
    }
  }

  private static String requiredBecause() {
    return "true".equals(System.getenv("CI")) ? "CI=true" : "-D" + PROPERTY + "=required";
  }

  private static Stream<Peer> stream(Iterable<Peer> peers) {
    return StreamSupport.stream(peers.spliterator(), false);
  }

  /** A skip because a peer is missing; the summary counts the tests it skipped. */
  static final class PeersMissing extends TestAbortedException {
    private static final long serialVersionUID = 1L;

    PeersMissing(String message) {
      super(message);
    }
  }
}

package dev.trustproxy.testsupport;

import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.extension.ConditionEvaluationResult;
import org.junit.jupiter.api.extension.ExecutionCondition;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.platform.commons.support.AnnotationSupport;

/** {@link RealPeers}: disabled with the install hint, or failed, when a peer is missing. */
final class RealPeersCondition implements ExecutionCondition {

  @Override
  public ConditionEvaluationResult evaluateExecutionCondition(ExtensionContext context) {
    List<Peer> missing = context.getElement()
        .flatMap(element -> AnnotationSupport.findAnnotation(element, RealPeers.class))
        .map(peers -> Arrays.stream(peers.value()).filter(peer -> peer.find().isEmpty()).toList())
        .orElse(List.of());
    return evaluate(missing, missing.isEmpty() ? PeerMode.SKIP : PeerMode.current());
  }

  /** Enabled when nothing is missing; otherwise disabled with the reason, or fails. */
  static ConditionEvaluationResult evaluate(List<Peer> missing, PeerMode mode) {
    if (missing.isEmpty()) {
      return ConditionEvaluationResult.enabled("every real peer is installed");
    }
    try {
      return mode.missing(missing);
    } catch (PeerMode.PeersMissing skip) {
      return ConditionEvaluationResult.disabled(skip.getMessage());
    }
  }
}

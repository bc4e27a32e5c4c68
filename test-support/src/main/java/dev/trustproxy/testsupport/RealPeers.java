package dev.trustproxy.testsupport;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The test class (or method) starts these real programs. When one is missing, the whole class
 * is skipped before any {@code @BeforeAll} runs, or fails when {@link PeerMode#REQUIRED}.
 */
@Target({ElementType.TYPE, ElementType.METHOD})
@Retention(RetentionPolicy.RUNTIME)
@ExtendWith(RealPeersCondition.class)
public @interface RealPeers {
  /** Every peer the tests start, including the curl and openssl they run. */
  Peer[] value();
}

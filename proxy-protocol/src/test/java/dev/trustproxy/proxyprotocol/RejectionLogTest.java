package dev.trustproxy.proxyprotocol;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.slf4j.Marker;
import org.slf4j.event.Level;
import org.slf4j.helpers.LegacyAbstractLogger;
import org.slf4j.helpers.MessageFormatter;

/** Rejection logging cannot flood: one WARN per peer per interval, a global cap, rest at DEBUG. */
class RejectionLogTest {

  static final class RecordingLogger extends LegacyAbstractLogger {
    final List<String> warn = new ArrayList<>();
    final List<String> debug = new ArrayList<>();

    @Override
    protected String getFullyQualifiedCallerName() {
      return null;
    }

    @Override
    protected void handleNormalizedLoggingCall(
        Level level, Marker marker, String pattern, Object[] args, Throwable t) {
      String text = MessageFormatter.basicArrayFormat(pattern, args);
      (level == Level.WARN ? warn : debug).add(text);
    }

    @Override
    public boolean isTraceEnabled() {
      return false;
    }

    @Override
    public boolean isDebugEnabled() {
      return true;
    }

    @Override
    public boolean isInfoEnabled() {
      return true;
    }

    @Override
    public boolean isWarnEnabled() {
      return true;
    }

    @Override
    public boolean isErrorEnabled() {
      return true;
    }
  }

  static final long MINUTE = TimeUnit.SECONDS.toNanos(60);

  @Test
  void oneWarnPerPeerPerInterval() {
    RecordingLogger logger = new RecordingLogger();
    RejectionLog log = new RejectionLog(logger, MINUTE, 100, 100);
    for (int i = 0; i < 1000; i++) {
      log.rejected("192.0.2.7", "bad PROXY header", "v1: bare LF");
    }
    assertThat(logger.warn).hasSize(1);
    assertThat(logger.warn.get(0)).contains("192.0.2.7", "bad PROXY header", "v1: bare LF");
    assertThat(logger.debug).hasSize(999);
  }

  @Test
  void manyPeersAreCappedPerInterval() {
    RecordingLogger logger = new RecordingLogger();
    RejectionLog log = new RejectionLog(logger, MINUTE, 10_000, 20);
    for (int i = 0; i < 1000; i++) {
      log.rejected("10.0." + (i / 256) + "." + (i % 256), "bad PROXY header", "x");
    }
    assertThat(logger.warn).hasSize(20);
    assertThat(logger.debug).hasSize(980);
  }

  @Test
  void theTableOfPeersIsBounded() {
    RecordingLogger logger = new RecordingLogger();
    RejectionLog log = new RejectionLog(logger, MINUTE, 2, 1000);
    log.rejected("192.0.2.1", "r", "d");
    log.rejected("192.0.2.2", "r", "d");
    log.rejected("192.0.2.3", "r", "d");
    // 192.0.2.1 was evicted (the table holds 2), so it may warn again; 192.0.2.3 may not.
    log.rejected("192.0.2.1", "r", "d");
    log.rejected("192.0.2.3", "r", "d");
    assertThat(logger.warn).hasSize(4);
  }

  @Test
  void aPeerWarnsAgainAfterTheInterval() {
    RecordingLogger logger = new RecordingLogger();
    RejectionLog log = new RejectionLog(logger, 1, 100, 100);
    log.rejected("192.0.2.7", "r", "d");
    sleepAtLeastOneNanosecond();
    log.rejected("192.0.2.7", "r", "d");
    assertThat(logger.warn).hasSize(2);
  }

  private static void sleepAtLeastOneNanosecond() {
    long start = System.nanoTime();
    while (System.nanoTime() == start) {
      Thread.onSpinWait();
    }
  }
}

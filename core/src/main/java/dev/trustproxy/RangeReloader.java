package dev.trustproxy;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Polls the files of some {@link RangeSource}s: one daemon thread per reloader, which calls
 * {@link RangeSource#reload()} every interval and reports each failed file to a callback (the
 * adapter's counter). An adapter starts one in its start-up (filter init, valve start, connector
 * start) and closes it in its shutdown, so no thread outlives it (README D83).
 *
 * <p>Safe for concurrent use; {@link #close()} is idempotent.
 */
public final class RangeReloader implements AutoCloseable {

  /** The default and the bounds of the poll interval, in seconds (README D83). */
  public static final int DEFAULT_INTERVAL_SECONDS = 30;

  public static final int MAX_INTERVAL_SECONDS = 86_400;

  /** The prefix of every reloader thread's name. */
  public static final String THREAD_PREFIX = "trustproxy-ranges-reload ";

  private static final Logger LOG = LoggerFactory.getLogger(RangeReloader.class);

  private final List<RangeSource> sources;
  private final long intervalNanos;
  private final Runnable onFailure;
  private final CountDownLatch stop = new CountDownLatch(1);
  private final Thread thread;

  private RangeReloader(String name, List<RangeSource> sources, Duration interval,
      Runnable onFailure) {
    this.sources = sources;
    this.intervalNanos = interval.toNanos();
    this.onFailure = onFailure;
    if (sources.isEmpty()) {
      thread = null;
      return;
    }
    thread = new Thread(this::run, THREAD_PREFIX + name);
    thread.setDaemon(true);
    // The library's own loader, not whatever loader the starting thread happened to carry.
    thread.setContextClassLoader(RangeReloader.class.getClassLoader());
    thread.start();
  }

  /**
   * Starts polling the sources of {@code sources} that read files; with none, starts no thread.
   *
   * @param name names the thread (after {@value #THREAD_PREFIX}), e.g. the filter's name
   * @param interval time between polls, positive
   * @param onFailure called once per file that failed to reload, on the reloader thread
   */
  public static RangeReloader start(String name, Collection<RangeSource> sources,
      Duration interval, Runnable onFailure) {
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(onFailure, "onFailure");
    if (interval.isNegative() || interval.isZero()) {
      throw new IllegalArgumentException("reload interval " + interval + ": expected a positive"
          + " duration");
    }
    List<RangeSource> polled = new ArrayList<>();
    for (RangeSource s : sources) {
      if (s.readsFiles() && !polled.contains(s)) {
        polled.add(s);
      }
    }
    return new RangeReloader(name, List.copyOf(polled), interval, onFailure);
  }

  /**
   * Parses a poll interval setting: a decimal number of seconds, 1 to {@value
   * #MAX_INTERVAL_SECONDS}; {@code null} is the default {@value #DEFAULT_INTERVAL_SECONDS}.
   *
   * @throws IllegalArgumentException naming the setting and quoting the text
   */
  public static Duration parseInterval(String settingName, String text) {
    if (text == null) {
      return Duration.ofSeconds(DEFAULT_INTERVAL_SECONDS);
    }
    String t = IpRangeSet.trimSpacesAndTabs(text, 0, text.length());
    long seconds = -1;
    if (!t.isEmpty() && t.length() <= 6 && t.charAt(0) != '0' && t.chars().allMatch(
        c -> c >= '0' && c <= '9')) {
      seconds = Long.parseLong(t);
    }
    if (seconds < 1 || seconds > MAX_INTERVAL_SECONDS) {
      throw new IllegalArgumentException(settingName + ": '" + text + "' is not a reload"
          + " interval: expected whole seconds, 1 to " + MAX_INTERVAL_SECONDS + " (default "
          + DEFAULT_INTERVAL_SECONDS + ")");
    }
    return Duration.ofSeconds(seconds);
  }

  /** Whether a polling thread runs. */
  public boolean isRunning() {
    return thread != null && thread.isAlive();
  }

  private void run() {
    try {
      while (!stop.await(intervalNanos, TimeUnit.NANOSECONDS)) {
        for (RangeSource source : sources) {
          pollOnce(source);
        }
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private void pollOnce(RangeSource source) {
    int failures;
    try {
      failures = source.reload();
    } catch (RuntimeException e) {
      LOG.error("reload of {} failed unexpectedly, keeping its last good set", source, e);
      failures = 1;
    }
    for (int i = 0; i < failures; i++) {
      try {
        onFailure.run();
      } catch (RuntimeException e) {
        LOG.warn("the reload failure callback failed", e);
      }
    }
  }

  /** Stops the thread and waits for it to end (a poll under way finishes first). */
  @Override
  public void close() {
    stop.countDown();
    if (thread == null || thread == Thread.currentThread()) {
      return;
    }
    try {
      thread.join(TimeUnit.SECONDS.toMillis(10));
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}

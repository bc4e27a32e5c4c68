package dev.trustproxy.benchmarks;

import java.io.PrintStream;
import java.lang.invoke.LambdaMetafactory;
import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;
import java.lang.reflect.Field;
import java.lang.reflect.Method;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Setup;

/**
 * Two or more methods of one JMH benchmark class, timed in alternating short rounds in one JVM,
 * so that a ratio between them is taken within each round (the same machine state), as the
 * end-to-end scripts take theirs.
 *
 * <p>Why, beside JMH: on a shared machine JMH's error bars are the noise of whole seconds, and a
 * ratio of two benchmarks measured minutes apart carries both bars. Here each round runs every
 * contender for a fraction of a second, in rotating order, so a slow stretch of the machine falls
 * on all of them. Each contender is called through its own interface object, never inlined into
 * the timing loop, and its result is folded into a checksum that is printed, so no call can be
 * dropped; the call costs the same few nanoseconds for every contender, which moves every ratio
 * towards 1 (against the faster one).
 *
 * <p>Usage: {@code Interleaved CSV CLASS MODE param=value,... WARMUP_MS ROUNDS ROUND_MS
 * METHOD...}; appends {@code mode,contender,baseline,round,order,requests_per_sec,errors} lines
 * (operations per second; the first method is the baseline) to CSV, the format
 * scripts/bench/e2e-lib.sh writes.
 */
public final class Interleaved {

  private Interleaved() {}

  public static void main(String[] args) throws Throwable {
    if (args.length < 8) {
      throw new IllegalArgumentException("usage: Interleaved CSV CLASS MODE param=value,..."
          + " WARMUP_MS ROUNDS ROUND_MS METHOD METHOD...");
    }
    Path csv = Path.of(args[0]);
    Class<?> type = Class.forName(args[1]);
    String mode = args[2];
    long warmupMs = Long.parseLong(args[4]);
    int rounds = Integer.parseInt(args[5]);
    long roundNanos = Long.parseLong(args[6]) * 1_000_000L;
    List<String> names = List.of(args).subList(7, args.length);

    Object state = type.getConstructor().newInstance();
    setParams(state, args[3]);
    for (Method m : type.getMethods()) {
      if (m.isAnnotationPresent(Setup.class)) {
        m.invoke(state);
      }
    }
    Map<String, Callable<Object>> contenders = new LinkedHashMap<>();
    for (String name : names) {
      contenders.put(name, callable(state, type.getMethod(name)));
    }

    long checksum = 0;
    // Three other receivers first, so that the timing loop's call site is megamorphic before
    // it is compiled: no contender is ever inlined into it (and so optimized with it).
    for (Callable<Object> other : List.<Callable<Object>>of(() -> 1, () -> 2L, () -> "3")) {
      checksum += time(other, 1_000_000L)[1];
    }
    // Warm-up: every contender in turn, in short slices, until each has had its share.
    long slice = Math.max(1, warmupMs / 10) * 1_000_000L;
    for (int w = 0; w < 10; w++) {
      for (Callable<Object> c : contenders.values()) {
        checksum += time(c, slice)[1];
      }
    }
    List<String> lines = new ArrayList<>();
    int n = names.size();
    for (int r = 1; r <= rounds; r++) {
      for (int k = 0; k < n; k++) {
        String name = names.get((k + r) % n);
        long[] result = time(contenders.get(name), roundNanos);
        checksum += result[1];
        double perSecond = result[2] * 1e9 / result[0];
        lines.add(String.format(Locale.ROOT, "%s,%s,%s,%d,%d,%.1f,0", mode, name,
            names.get(0), r, k, perSecond));
      }
    }
    Files.write(csv, lines, StandardCharsets.UTF_8, StandardOpenOption.CREATE,
        StandardOpenOption.APPEND);
    PrintStream out = System.err;
    out.printf("Interleaved %s %s %s: %d rounds done (checksum %d)%n", type.getSimpleName(),
        mode, args[3], rounds, checksum);
  }

  /**
   * Runs {@code c} in batches until {@code nanos} have passed: {elapsed, non-null results,
   * calls}. Batches grow to 1024 calls, so the clock is read rarely, but stop growing early for a
   * slow contender, so that a round does not overrun.
   */
  private static long[] time(Callable<Object> c, long nanos) throws Exception {
    long checksum = 0;
    long calls = 0;
    long start = System.nanoTime();
    long elapsed;
    int batch = 1;
    do {
      for (int i = 0; i < batch; i++) {
        checksum += c.call() == null ? 0 : 1;
      }
      calls += batch;
      elapsed = System.nanoTime() - start;
      if (batch < 1024 && elapsed < nanos / 16) {
        batch <<= 1;
      }
    } while (elapsed < nanos);
    return new long[] {elapsed, checksum, calls};
  }

  @SuppressWarnings("unchecked")
  private static Callable<Object> callable(Object state, Method method) throws Throwable {
    if (!method.isAnnotationPresent(Benchmark.class)) {
      throw new IllegalArgumentException("'" + method.getName() + "' is not a @Benchmark method of "
          + state.getClass().getName());
    }
    MethodHandles.Lookup lookup = MethodHandles.lookup();
    MethodHandle target = lookup.unreflect(method);
    return (Callable<Object>) LambdaMetafactory.metafactory(lookup, "call",
        MethodType.methodType(Callable.class, state.getClass()),
        MethodType.methodType(Object.class), target,
        MethodType.methodType(method.getReturnType())).getTarget().invoke(state);
  }

  private static void setParams(Object state, String assignments)
      throws ReflectiveOperationException {
    for (String item : assignments.split(",")) {
      int eq = item.indexOf('=');
      if (eq < 0) {
        throw new IllegalArgumentException("param '" + item + "': expected name=value");
      }
      Field field = state.getClass().getField(item.substring(0, eq));
      if (!field.isAnnotationPresent(Param.class)) {
        throw new IllegalArgumentException("'" + field.getName() + "' is not a @Param");
      }
      String value = item.substring(eq + 1);
      field.set(state, field.getType() == int.class ? Integer.parseInt(value) : value);
    }
  }
}

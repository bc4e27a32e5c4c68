package dev.trustproxy.testsupport;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * A program the tests start and must stop again: a long-running peer (haproxy, nginx) or a
 * short command (curl, openssl). Every wait is bounded, and {@link #close()} ends the process
 * and its children, so a failing test never leaves a peer listening.
 */
public final class ExternalProcess implements AutoCloseable {

  /** Output of a finished short command. */
  public record Result(List<String> command, int exitCode, String stdout, String stderr) {
    /** Fails, quoting the command and its output, unless the exit code is 0. */
    public Result requireSuccess() {
      if (exitCode != 0) {
        throw new AssertionError("expected exit code 0: " + this);
      }
      return this;
    }

    /** The command, its exit code and its output, for failure messages. */
    @Override
    public String toString() {
      return String.join(" ", command) + "\nexited with " + exitCode
          + "\n--- stdout ---\n" + stdout + "\n--- stderr ---\n" + stderr;
    }
  }

  private static final Duration STOP_GRACE = Duration.ofSeconds(5);

  private final String name;
  private final Process process;
  private final Path log;

  /** Stops the peer even when the test JVM is ended early (Surefire timeout, Ctrl-C). */
  private final Thread shutdownHook;

  private ExternalProcess(String name, Process process, Path log) {
    this.name = name;
    this.process = process;
    this.log = log;
    this.shutdownHook = new Thread(() -> destroyTree(process), "stop-" + name);
    Runtime.getRuntime().addShutdownHook(shutdownHook);
  }

  /** Starts a long-running program; its stdout and stderr go to {@code NAME.log} in workDir. */
  public static ExternalProcess start(String name, Path workDir, List<String> command) {
    return start(name, workDir, command, Map.of());
  }

  /**
   * Like {@link #start(String, Path, List)}, with {@code environment} set on top of the test's
   * own: for a program that would otherwise write below the user's home ({@code HOME}, {@code
   * XDG_CONFIG_HOME}).
   */
  public static ExternalProcess start(String name, Path workDir, List<String> command,
      Map<String, String> environment) {
    Path log = workDir.resolve(name + ".log");
    ProcessBuilder builder = builder(command).directory(workDir.toFile())
        .redirectErrorStream(true).redirectOutput(log.toFile());
    builder.environment().putAll(environment);
    try {
      return new ExternalProcess(name, builder.start(), log);
    } catch (IOException e) {
      throw new UncheckedIOException("could not start " + name + ": " + command, e);
    }
  }

  /** Runs a short command to its end, killing it if it outlives the timeout. */
  public static Result run(Duration timeout, List<String> command) {
    Process process;
    try {
      process = builder(command).start();
      process.getOutputStream().close();
    } catch (IOException e) {
      throw new UncheckedIOException("could not run " + command, e);
    }
    // Both pipes are drained at once, so a chatty stderr cannot block the program.
    CompletableFuture<String> stdout = readAsync(process.getInputStream());
    CompletableFuture<String> stderr = readAsync(process.getErrorStream());
    try {
      if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
        destroyTree(process);
        throw new AssertionError(command + " did not finish within " + timeout);
      }
      return new Result(command, process.exitValue(), stdout.get(5, TimeUnit.SECONDS),
          stderr.get(5, TimeUnit.SECONDS));
    } catch (InterruptedException e) {
      destroyTree(process);
      Thread.currentThread().interrupt();
      throw new AssertionError("interrupted while running " + command, e);
    } catch (ExecutionException | TimeoutException e) {
      destroyTree(process);
      throw new AssertionError("could not read the output of " + command, e);
    }
  }

  /**
   * Waits until 127.0.0.1:port accepts a TCP connection. Fails early, with the log, when the
   * program exits instead (a bad config, a port taken).
   */
  public ExternalProcess awaitPort(int port, Duration timeout) {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (true) {
      if (!process.isAlive()) {
        throw new AssertionError(name + " exited with code " + process.exitValue()
            + " before 127.0.0.1:" + port + " accepted connections\n--- " + log + " ---\n" + log());
      }
      try (Socket probe = new Socket()) {
        probe.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 200);
        return this;
      } catch (IOException notYet) {
        // not listening yet
      }
      if (System.nanoTime() - deadline > 0) {
        throw new AssertionError(name + " did not accept connections on 127.0.0.1:" + port
            + " within " + timeout + "\n--- " + log + " ---\n" + log());
      }
      try {
        Thread.sleep(50);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new AssertionError("interrupted while waiting for " + name, e);
      }
    }
  }

  /**
   * A port that was free on 127.0.0.1 a moment ago, for peers that need a concrete port in
   * their config. Jetty itself binds port 0 instead.
   */
  public static int freePort() {
    try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      return socket.getLocalPort();
    } catch (IOException e) {
      throw new UncheckedIOException("no free port on 127.0.0.1", e);
    }
  }

  /** What the program printed so far, for failure messages. */
  public String log() {
    return readQuietly(log);
  }

  /** A file a program wrote (its log, an error log), for failure messages; never throws. */
  public static String readQuietly(Path file) {
    try {
      return Files.readString(file, StandardCharsets.UTF_8);
    } catch (IOException e) {
      return "(" + file + " unreadable: " + e + ")";
    }
  }

  @Override
  public void close() {
    destroyTree(process);
    try {
      Runtime.getRuntime().removeShutdownHook(shutdownHook);
    } catch (IllegalStateException shuttingDown) {
      // the hook is running or about to: nothing left to do
    }
  }

  /** SIGTERM to the children and the process, then SIGKILL to whatever is still alive. */
  private static void destroyTree(Process process) {
    List<ProcessHandle> children = process.descendants().toList();
    process.destroy();
    children.forEach(ProcessHandle::destroy);
    try {
      if (!process.waitFor(STOP_GRACE.toMillis(), TimeUnit.MILLISECONDS)) {
        process.destroyForcibly().waitFor(STOP_GRACE.toMillis(), TimeUnit.MILLISECONDS);
      }
    } catch (InterruptedException e) {
      process.destroyForcibly();
      Thread.currentThread().interrupt();
    }
    children.stream().filter(ProcessHandle::isAlive).forEach(ProcessHandle::destroyForcibly);
  }

  private static ProcessBuilder builder(List<String> command) {
    ProcessBuilder builder = new ProcessBuilder(command);
    // A proxy from the developer's environment would send curl elsewhere than 127.0.0.1.
    Map<String, String> env = builder.environment();
    env.keySet().removeIf(key -> key.toLowerCase(Locale.ROOT).endsWith("_proxy"));
    return builder;
  }

  private static CompletableFuture<String> readAsync(InputStream stream) {
    return CompletableFuture.supplyAsync(() -> {
      try (stream) {
        return new String(stream.readAllBytes(), StandardCharsets.UTF_8);
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }, ExternalProcess::daemonThread);
  }

  /** One thread per pipe: the common pool may have a single worker on a 2-core machine. */
  private static void daemonThread(Runnable task) {
    Thread thread = new Thread(task, "external-process-pipe");
    thread.setDaemon(true);
    thread.start();
  }

  @Override
  public String toString() {
    return name + " (pid " + process.pid() + ")";
  }
}

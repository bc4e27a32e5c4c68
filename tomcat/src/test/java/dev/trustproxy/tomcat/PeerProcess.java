package dev.trustproxy.tomcat;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;

/**
 * A real peer program (haproxy, nginx, curl) run as a child process on loopback. A missing
 * program fails the test (CI installs them: {@code .ci/run}); {@code -Dtrustproxy.peers.skip=true}
 * skips instead, as the Jetty peer tests do. Test scaffolding.
 */
final class PeerProcess implements AutoCloseable {

  private static final List<String> EXTRA_DIRS = List.of("/usr/sbin", "/usr/local/sbin", "/sbin");

  private final Process process;
  private final Path log;

  private PeerProcess(Process process, Path log) {
    this.process = process;
    this.log = log;
  }

  /** The program's absolute path, from PATH or the sbin folders. */
  static String require(String program, String debianPackage) {
    List<String> dirs = new ArrayList<>(List.of(System.getenv().getOrDefault("PATH", "")
        .split(java.io.File.pathSeparator)));
    dirs.addAll(EXTRA_DIRS);
    for (String dir : dirs) {
      Path candidate = dir.isEmpty() ? null : Path.of(dir, program);
      if (candidate != null && Files.isExecutable(candidate)) {
        return candidate.toString();
      }
    }
    String message = program + " is not installed: apt-get install " + debianPackage
        + " (or run with -Dtrustproxy.peers.skip=true)";
    Assumptions.assumeFalse(Boolean.getBoolean("trustproxy.peers.skip"), message);
    throw new AssertionError(message);
  }

  static int freePort() throws IOException {
    try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      return s.getLocalPort();
    }
  }

  /** Starts {@code command}, output to {@code log}, and waits until 127.0.0.1:{@code port} accepts. */
  static PeerProcess start(List<String> command, Path log, int port) throws Exception {
    Process process = new ProcessBuilder(command).redirectErrorStream(true)
        .redirectOutput(log.toFile()).start();
    PeerProcess peer = new PeerProcess(process, log);
    long giveUp = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
    while (true) {
      try (Socket probe = new Socket(InetAddress.getLoopbackAddress(), port)) {
        return peer;
      } catch (IOException notYet) {
        if (!process.isAlive() || System.nanoTime() > giveUp) {
          peer.close();
          throw new AssertionError(command.get(0) + " did not listen on " + port + ": "
              + Files.readString(log, StandardCharsets.UTF_8));
        }
        Thread.sleep(50);
      }
    }
  }

  /** Runs {@code command} to completion and returns its standard output. */
  static String run(List<String> command) throws Exception {
    Process process = new ProcessBuilder(command).redirectError(ProcessBuilder.Redirect.DISCARD)
        .start();
    String out = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    if (!process.waitFor(30, TimeUnit.SECONDS)) {
      process.destroyForcibly();
      throw new AssertionError(command + " did not finish");
    }
    if (process.exitValue() != 0) {
      throw new AssertionError(command + " exited " + process.exitValue() + ": " + out);
    }
    return out;
  }

  String log() throws IOException {
    return Files.readString(log, StandardCharsets.UTF_8);
  }

  @Override
  public void close() throws Exception {
    process.destroy();
    if (!process.waitFor(10, TimeUnit.SECONDS)) {
      process.destroyForcibly();
    }
  }
}

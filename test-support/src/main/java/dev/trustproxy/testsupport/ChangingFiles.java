package dev.trustproxy.testsupport;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.function.BooleanSupplier;

/**
 * For the tests of files that are re-read while a server runs: replacing a file the way the
 * documented cron lines do, counting the threads that poll, and waiting a bounded number of times
 * for the change to be seen.
 */
public final class ChangingFiles {

  private ChangingFiles() {}

  /**
   * Writes {@code content} to {@code dir/name} through a temporary file in the same folder and an
   * atomic rename, so that a reader sees the old file or the new one, never half of it.
   *
   * @return the file
   */
  public static Path replace(Path dir, String name, String content) throws IOException {
    Path tmp = dir.resolve(name + ".tmp");
    Files.writeString(tmp, content);
    return Files.move(tmp, dir.resolve(name), StandardCopyOption.REPLACE_EXISTING,
        StandardCopyOption.ATOMIC_MOVE);
  }

  /** The live threads whose name starts with {@code prefix}. */
  public static long threads(String prefix) {
    return Thread.getAllStackTraces().keySet().stream()
        .filter(t -> t.isAlive() && t.getName().startsWith(prefix))
        .count();
  }

  /**
   * Checks {@code condition} until it holds, at most 200 times 50 ms apart; the caller then
   * asserts on the outcome (this never fails by itself).
   */
  public static void await(BooleanSupplier condition) throws InterruptedException {
    for (int i = 0; i < 200 && !condition.getAsBoolean(); i++) {
      Thread.sleep(50);
    }
  }
}

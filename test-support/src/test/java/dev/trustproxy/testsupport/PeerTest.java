package dev.trustproxy.testsupport;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Peers are found on PATH, then in the sbin folders; only executable regular files count. Every
 * peer is installed by .ci/run and hidden by the fresh-clone check.
 */
class PeerTest {

  @TempDir
  Path dir;

  @Test
  void ciInstallsEveryPeerAndTheFreshCloneCheckHidesEveryProgram() throws Exception {
    // Under CI=true a missing peer fails the build, so .ci/run must install each one; and a peer
    // that the fresh-clone check leaves visible would never be shown to skip.
    String ci = Files.readString(Path.of("..", ".ci", "run"));
    String freshClone = Files.readString(Path.of("..", "scripts", "check-fresh-clone.sh"));
    String install = ci.lines().filter(l -> l.contains("apt-get install")).findFirst().orElseThrow();
    for (Peer peer : Peer.values()) {
      assertThat(install).as("%s in .ci/run's apt-get install", peer)
          .containsPattern("\\b" + peer.debianPackage() + "\\b");
    }
    String hidden = freshClone.lines().filter(l -> l.startsWith("peers=(")).findFirst()
        .orElseThrow();
    for (Peer peer : Peer.values()) {
      if (peer.program() != null) {
        assertThat(hidden).as("%s hidden by check-fresh-clone.sh", peer)
            .containsPattern("[( ]" + peer.program() + "[ )]");
      }
    }
  }

  @Test
  void programOnThePathIsFoundByAbsolutePath() throws Exception {
    Path program = executable(dir.resolve("trustproxy-fake-peer"));

    assertThat(Peer.findProgram("trustproxy-fake-peer", "/nonexistent" + File.pathSeparator + dir))
        .hasValue(program.toString());
  }

  @Test
  void firstPathFolderWins() throws Exception {
    Path first = Files.createDirectory(dir.resolve("first"));
    Path second = Files.createDirectory(dir.resolve("second"));
    executable(second.resolve("peer"));
    Path expected = executable(first.resolve("peer"));

    assertThat(Peer.findProgram("peer", first + File.pathSeparator + second))
        .hasValue(expected.toString());
  }

  @Test
  void fileWithoutExecuteBitIsNotAProgram() throws Exception {
    // What the fresh-clone check mounts over a real peer to hide it.
    Files.writeString(dir.resolve("hidden-peer"), "");

    assertThat(Peer.findProgram("hidden-peer", dir.toString())).isEmpty();
  }

  @Test
  void folderWithTheProgramsNameIsNotAProgram() throws Exception {
    Files.createDirectory(dir.resolve("peer-dir"));

    assertThat(Peer.findProgram("peer-dir", dir.toString())).isEmpty();
  }

  @Test
  void emptyPathFoldersAreIgnored() throws Exception {
    Path program = executable(dir.resolve("peer"));

    assertThat(Peer.findProgram("peer", File.pathSeparator + File.pathSeparator + dir))
        .hasValue(program.toString());
  }

  private static Path executable(Path file) throws Exception {
    Files.writeString(file, "#!/bin/sh\n");
    Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rwxr-xr-x"));
    return file;
  }
}

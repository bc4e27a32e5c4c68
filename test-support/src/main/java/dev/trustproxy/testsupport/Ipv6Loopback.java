package dev.trustproxy.testsupport;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.UnknownHostException;
import org.junit.jupiter.api.Assumptions;

/** {@code ::1}, built from its bytes (no name lookup), and whether this machine has it. */
public final class Ipv6Loopback {

  private Ipv6Loopback() {}

  /** The address {@code ::1}. */
  public static InetAddress address() {
    byte[] bytes = new byte[16];
    bytes[15] = 1;
    try {
      return InetAddress.getByAddress(bytes);
    } catch (UnknownHostException impossible) {
      throw new AssertionError("16 bytes are always an IPv6 address", impossible);
    }
  }

  /** True when a socket can bind {@code [::1]:0} (containers often run without IPv6). */
  public static boolean available() {
    try (ServerSocket socket = new ServerSocket()) {
      socket.bind(new InetSocketAddress(address(), 0));
      return true;
    } catch (IOException | RuntimeException e) {
      return false;
    }
  }

  /** Skips the test, saying why, when {@code ::1} cannot be bound. */
  public static void assume() {
    Assumptions.assumeTrue(available(),
        "skipped: this machine has no IPv6 loopback (cannot bind [::1]:0)");
  }
}

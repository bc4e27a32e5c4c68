package dev.trustproxy.tomcat;

import java.nio.charset.StandardCharsets;

/** Requests the Tomcat tests send through {@code RawClient}. Test scaffolding. */
public final class TomcatRequests {

  /** A request that makes the echo servlet answer and Tomcat close. */
  public static final byte[] GET =
      "GET /echo HTTP/1.1\r\nHost: tomcat.test\r\nConnection: close\r\n\r\n"
          .getBytes(StandardCharsets.US_ASCII);

  private TomcatRequests() {}
}

package dev.trustproxy.sample;

import dev.trustproxy.IpAddress;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Locale;
import java.util.function.IntFunction;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLSocket;

/**
 * The load balancer's view, in plain JDK code: open a TCP socket, optionally write a PROXY v1
 * header that names the client, optionally wrap the socket in TLS, send one {@code GET}.
 *
 * <p>The demo also uses it, without a PROXY header, as an ordinary client. It always connects to
 * 127.0.0.1 and sends {@code Host: localhost:PORT}; TLS checks the certificate for {@code
 * localhost} against the given trust.
 */
final class LoadBalancerClient {

  /** What was sent first on the connection ({@code null} when no PROXY header) and the answer. */
  record Exchange(String proxyHeader, int status, String body) {}

  private static final int TIMEOUT_MILLIS = 10_000;

  private LoadBalancerClient() {}

  /**
   * Sends {@code GET /} to 127.0.0.1:{@code port}.
   *
   * @param clientAddress the client to claim in a PROXY v1 header, or {@code null} for none
   * @param tls the client TLS context (trusting the proxy's CA), or {@code null} for plain HTTP
   * @param headerLines extra request header lines such as {@code "X-Forwarded-For: 10.0.0.1"}
   */
  static Exchange get(int port, String clientAddress, SSLContext tls, String... headerLines)
      throws IOException {
    return exchange(port, "/", clientPort -> clientAddress == null ? null
        : proxyV1(IpAddress.parse(clientAddress), clientPort, port), tls, headerLines);
  }

  /**
   * Sends {@code GET path} over plain HTTP to 127.0.0.1:{@code port}, after a PROXY v1 line
   * given whole, as a load balancer would write it, or after none.
   *
   * @param proxyLine the PROXY v1 line with its CRLF, for example nginx stream's {@code PROXY
   *     TCP6 2001:db8::90 127.0.0.1 56324 443\r\n}, or {@code null} for none
   * @param path the request target, starting with {@code /}
   * @param headerLines extra request header lines
   */
  static Exchange getAfterLine(int port, String proxyLine, String path, String... headerLines)
      throws IOException {
    return exchange(port, path, clientPort -> proxyLine, null, headerLines);
  }

  private static Exchange exchange(int port, String path, IntFunction<String> proxyLine,
      SSLContext tls, String... headerLines) throws IOException {
    try (Socket socket = new Socket()) {
      socket.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), port),
          TIMEOUT_MILLIS);
      socket.setSoTimeout(TIMEOUT_MILLIS);
      String proxyHeader = proxyLine.apply(socket.getLocalPort());
      if (proxyHeader != null) {
        socket.getOutputStream().write(proxyHeader.getBytes(StandardCharsets.US_ASCII));
        socket.getOutputStream().flush();
      }
      Socket channel = socket;
      if (tls != null) {
        SSLSocket ssl = (SSLSocket) tls.getSocketFactory()
            .createSocket(socket, CertificateAuthority.HOST, port, true);
        SSLParameters parameters = ssl.getSSLParameters();
        parameters.setEndpointIdentificationAlgorithm("HTTPS"); // check the name, as curl does
        ssl.setSSLParameters(parameters);
        ssl.startHandshake();
        channel = ssl;
      }
      StringBuilder request = new StringBuilder("GET ").append(path).append(" HTTP/1.1\r\n")
          .append("Host: ").append(CertificateAuthority.HOST).append(':').append(port)
          .append("\r\n");
      for (String line : headerLines) {
        request.append(line).append("\r\n");
      }
      request.append("Connection: close\r\n\r\n");
      OutputStream out = channel.getOutputStream();
      out.write(request.toString().getBytes(StandardCharsets.ISO_8859_1));
      out.flush();
      byte[] response = channel.getInputStream().readAllBytes();
      return parse(proxyHeader == null ? null : proxyHeader.strip(), response);
    }
  }

  /** {@code PROXY TCP4 src dst srcport dstport\r\n}, the destination being 127.0.0.1 or ::1. */
  static String proxyV1(IpAddress client, int clientPort, int serverPort) {
    String family = client.isIpv4() ? "TCP4" : "TCP6";
    String destination = client.isIpv4() ? "127.0.0.1" : "::1";
    return "PROXY " + family + " " + client + " " + destination + " " + clientPort + " "
        + serverPort + "\r\n";
  }

  private static Exchange parse(String proxyHeader, byte[] response) throws IOException {
    String text = new String(response, StandardCharsets.ISO_8859_1);
    int headEnd = text.indexOf("\r\n\r\n");
    if (!text.startsWith("HTTP/1.1 ") || headEnd < 0) {
      throw new IOException("not an HTTP/1.1 response: '" + text.lines().findFirst().orElse("")
          + "' (" + response.length + " bytes)");
    }
    int status = Integer.parseInt(text.substring(9, 12));
    String head = text.substring(0, headEnd).toLowerCase(Locale.ROOT);
    byte[] body = Arrays.copyOfRange(response, headEnd + 4, response.length);
    if (head.contains("\r\ntransfer-encoding: chunked")) {
      body = unchunk(body);
    }
    return new Exchange(proxyHeader, status, new String(body, StandardCharsets.UTF_8));
  }

  private static byte[] unchunk(byte[] chunked) throws IOException {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    InputStream in = new ByteArrayInputStream(chunked);
    while (true) {
      StringBuilder sizeLine = new StringBuilder();
      int c;
      while ((c = in.read()) != '\n') {
        if (c < 0) {
          throw new IOException("truncated chunked body");
        }
        sizeLine.append((char) c);
      }
      String hex = sizeLine.toString().strip();
      int semicolon = hex.indexOf(';');
      int size = Integer.parseInt(semicolon < 0 ? hex : hex.substring(0, semicolon), 16);
      if (size == 0) {
        return out.toByteArray();
      }
      out.write(in.readNBytes(size));
      in.skip(2); // CRLF after the chunk
    }
  }
}

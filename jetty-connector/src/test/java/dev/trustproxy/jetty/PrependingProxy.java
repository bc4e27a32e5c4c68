package dev.trustproxy.jetty;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * A tiny TCP relay on 127.0.0.1 standing in for a load balancer: for each client connection it
 * opens one to the target, writes the PROXY header <em>and the client's first bytes in one
 * write</em> (so a TLS ClientHello or HTTP/2 preface shares the segment with the header), then
 * relays both ways.
 */
final class PrependingProxy implements AutoCloseable {

  private final ServerSocket listener;
  private final int targetPort;
  private final byte[] header;
  private final List<Socket> sockets = new CopyOnWriteArrayList<>();

  PrependingProxy(int targetPort, byte[] header) throws IOException {
    this.listener = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
    this.targetPort = targetPort;
    this.header = header.clone();
    Thread acceptor = new Thread(this::acceptLoop, "prepending-proxy");
    acceptor.setDaemon(true);
    acceptor.start();
  }

  int port() {
    return listener.getLocalPort();
  }

  private void acceptLoop() {
    while (!listener.isClosed()) {
      try {
        Socket client = listener.accept();
        Socket target = new Socket(InetAddress.getLoopbackAddress(), targetPort);
        client.setTcpNoDelay(true);
        target.setTcpNoDelay(true);
        sockets.add(client);
        sockets.add(target);
        Thread first = new Thread(() -> relay(client, target, true), "relay-up");
        Thread back = new Thread(() -> relay(target, client, false), "relay-down");
        first.setDaemon(true);
        back.setDaemon(true);
        first.start();
        back.start();
      } catch (IOException closed) {
        return;
      }
    }
  }

  private void relay(Socket from, Socket to, boolean prependHeader) {
    byte[] chunk = new byte[16 * 1024];
    try (InputStream in = from.getInputStream()) {
      OutputStream out = to.getOutputStream();
      boolean first = prependHeader;
      int n;
      while ((n = in.read(chunk)) >= 0) {
        if (first) {
          byte[] both = Arrays.copyOf(header, header.length + n);
          System.arraycopy(chunk, 0, both, header.length, n);
          out.write(both);
          first = false;
        } else {
          out.write(chunk, 0, n);
        }
        out.flush();
      }
      to.shutdownOutput();
    } catch (IOException closed) {
      closeQuietly(to);
    }
  }

  private static void closeQuietly(Socket s) {
    try {
      s.close();
    } catch (IOException ignored) {
      // closing anyway
    }
  }

  @Override
  public void close() throws IOException {
    listener.close();
    for (Socket s : sockets) {
      closeQuietly(s);
    }
  }
}

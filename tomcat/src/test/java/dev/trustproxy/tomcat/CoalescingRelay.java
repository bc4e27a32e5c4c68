package dev.trustproxy.tomcat;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * A load balancer stand-in on 127.0.0.1: for each client it connects to the target and sends the
 * PROXY header together with the client's first bytes (a TLS ClientHello) in one write, so the
 * connector's first read holds both; then it relays both ways. Test scaffolding.
 */
final class CoalescingRelay implements AutoCloseable {

  private final ServerSocket listener;
  private final int targetPort;
  private final byte[] header;
  private final List<Socket> sockets = new CopyOnWriteArrayList<>();

  CoalescingRelay(int targetPort, byte[] header) throws IOException {
    this.listener = new ServerSocket(0, 10, InetAddress.getLoopbackAddress());
    this.targetPort = targetPort;
    this.header = header.clone();
    Thread acceptor = new Thread(this::accept, "coalescing-relay");
    acceptor.setDaemon(true);
    acceptor.start();
  }

  int port() {
    return listener.getLocalPort();
  }

  private void accept() {
    try {
      while (true) {
        Socket client = listener.accept();
        Socket target = new Socket(InetAddress.getLoopbackAddress(), targetPort);
        target.setTcpNoDelay(true);
        sockets.add(client);
        sockets.add(target);
        byte[] first = new byte[16 * 1024];
        int n = client.getInputStream().read(first);
        byte[] together = new byte[header.length + Math.max(n, 0)];
        System.arraycopy(header, 0, together, 0, header.length);
        System.arraycopy(first, 0, together, header.length, Math.max(n, 0));
        target.getOutputStream().write(together);
        target.getOutputStream().flush();
        pipe(client.getInputStream(), target.getOutputStream(), target);
        pipe(target.getInputStream(), client.getOutputStream(), client);
      }
    } catch (IOException closed) {
      // the relay was closed
    }
  }

  private static void pipe(InputStream from, OutputStream to, Socket toSocket) {
    Thread t = new Thread(() -> {
      byte[] buffer = new byte[8192];
      try {
        for (int n; (n = from.read(buffer)) >= 0; ) {
          to.write(buffer, 0, n);
          to.flush();
        }
        toSocket.shutdownOutput();
      } catch (IOException closed) {
        // one side went away
      }
    }, "coalescing-relay-pipe");
    t.setDaemon(true);
    t.start();
  }

  @Override
  public void close() throws IOException {
    listener.close();
    for (Socket s : sockets) {
      s.close();
    }
  }
}

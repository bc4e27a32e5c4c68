/**
 * Real-peer tests: HAProxy 2.6, nginx 1.22 {@code stream}, Varnish 7.1 and curl send PROXY
 * headers to the connector over 127.0.0.1; nginx's http module, HAProxy in {@code mode http},
 * Apache httpd 2.4, Varnish and Caddy 2.6 write X-Forwarded-* for both Jetty adapters (the
 * customizer and the filter, {@code EchoServer.Adapter}); an ee10 servlet echoes what the
 * application sees.
 *
 * <p>The peers are started by the tests (ephemeral ports, temp folders, foreground processes
 * stopped by PID). Each class names what it needs with {@code @RealPeers}: without it installed
 * the class is skipped and the run prints one line saying what to install; with {@code CI=true}
 * or {@code -Dtrustproxy.peers=required} it fails instead ({@code .ci/run} installs the peers
 * with apt-get and runs with {@code CI=true}).
 *
 * <p>Distinct clients are distinct loopback addresses ({@code curl --interface 127.0.0.N}) with a
 * chosen source port ({@code --local-port}), so every expected address and port is exact.
 *
 * <p>Helpers are package-private and single-threaded per test class; nothing here is null-safe
 * beyond what {@code PeerPrograms.closeAll} tolerates.
 */
package dev.trustproxy.jetty.peers;

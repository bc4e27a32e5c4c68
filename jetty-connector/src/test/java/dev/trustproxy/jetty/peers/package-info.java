/**
 * Real-peer tests: HAProxy 2.6, nginx 1.22 {@code stream} and curl send PROXY headers to the
 * connector over 127.0.0.1, and an ee10 servlet echoes what the application sees.
 *
 * <p>The peers are started by the tests (ephemeral ports, temp folders, foreground processes
 * stopped by PID) and must be installed: {@code .ci/run} installs them with apt-get. A missing
 * peer fails the build. Developers without them may run {@code ./mvnw verify
 * -Dtrustproxy.peers.skip=true}, which reports these tests as skipped instead; the default is
 * {@code false}.
 *
 * <p>Distinct clients are distinct loopback addresses ({@code curl --interface 127.0.0.N}) with a
 * chosen source port ({@code --local-port}), so every expected address and port is exact.
 *
 * <p>Helpers are package-private and single-threaded per test class; nothing here is null-safe
 * beyond what {@code PeerPrograms.closeAll} tolerates.
 */
package dev.trustproxy.jetty.peers;

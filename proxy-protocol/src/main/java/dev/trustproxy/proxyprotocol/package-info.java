/**
 * The container-agnostic PROXY protocol v1/v2 core: what a Jetty, Tomcat or any other adapter
 * needs to accept PROXY headers only from trusted peers, parsed strictly to the specification
 * ({@code haproxy/haproxy:doc/proxy-protocol.txt}). No container or servlet API here.
 *
 * <p>How an adapter uses it, per listener and per connection:
 *
 * <ol>
 *   <li>At start: build a {@link dev.trustproxy.proxyprotocol.ProxyProtocolSettings} from the
 *       adapter's configuration ({@link
 *       dev.trustproxy.proxyprotocol.ProxyProtocolSettings.Builder#build()} fails naming the
 *       setting) and create one {@link dev.trustproxy.proxyprotocol.ProxyProtocolCounters}.
 *   <li>On accept, before reading: {@link
 *       dev.trustproxy.proxyprotocol.ProxyProtocolSettings#admit(dev.trustproxy.IpAddress)} with
 *       the TCP peer says read a header, serve plain, or close; count the last two.
 *   <li>Then start the absolute deadline of {@code headerTimeout()} from accept, and read into a
 *       buffer of at most {@code maxHeaderBytes()}. After each read call {@link
 *       dev.trustproxy.proxyprotocol.ProxyHeaderParser#parse(java.nio.ByteBuffer)} on everything
 *       received so far: {@code NeedMoreBytes} (read again), {@code Accepted} (the header and the
 *       exact byte count it took; the rest of the buffer goes to the next protocol unchanged), or
 *       {@code Rejected} (close, and record the reason with {@link
 *       dev.trustproxy.proxyprotocol.ProxyProtocolCounters#rejected}). With {@code
 *       optionalHeader}, check {@code servesPlain(firstByte)} before parsing.
 *   <li>Expose the {@link dev.trustproxy.proxyprotocol.ProxyHeader} to requests under {@link
 *       dev.trustproxy.proxyprotocol.ProxyHeader#ATTRIBUTE}, the one attribute name for every
 *       container, and its addresses as the connection's remote and local addresses.
 * </ol>
 *
 * <p>Threat model: a PROXY header lets its sender choose the client address every later layer
 * believes. Only configured trusted sources may send one, and from them it is mandatory; bytes are
 * parsed without name resolution, with bounded memory, and never copied into log messages.
 *
 * <p>Contracts: every type is immutable and thread-safe except {@code ProxyProtocolSettings.Builder}
 * (configure from one thread) and {@code ProxyProtocolCounters} (thread-safe, mutable counts).
 * Methods neither take nor return {@code null} unless their javadoc says so: {@code
 * ProxyHeader.sourceAddress()} and {@code destinationAddress()} are {@code null} when the real
 * connection endpoints apply, absent TLVs are empty {@code Optional}s, and {@code admit} takes a
 * {@code null} peer for a non-IP socket.
 */
package dev.trustproxy.proxyprotocol;

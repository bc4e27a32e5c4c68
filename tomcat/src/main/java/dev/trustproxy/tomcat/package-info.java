/**
 * The Tomcat adapter (Tomcat 10.1 and 11): container glue only, every rule lives in the core
 * package {@code dev.trustproxy}.
 *
 * <p>Valves are configured once, then shared by all request threads: they are thread-safe once
 * started. Unless stated otherwise, {@code null} arguments cause {@code NullPointerException}.
 * No name is ever resolved: the remote host is the client's address text.
 *
 * <p>{@link dev.trustproxy.tomcat.TrustProxyHttp11NioProtocol} is the PROXY protocol connector:
 * its rules live in {@code dev.trustproxy.proxyprotocol}. Its attributes are set before start;
 * its counters are thread-safe. Each connection's PROXY phase runs under Tomcat's lock of that
 * connection, so the per-connection classes need no locking of their own.
 */
package dev.trustproxy.tomcat;

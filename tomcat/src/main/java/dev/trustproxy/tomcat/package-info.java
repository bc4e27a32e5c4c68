/**
 * The Tomcat adapter (Tomcat 10.1 and 11): container glue only, every rule lives in the core
 * package {@code dev.trustproxy}.
 *
 * <p>Valves are configured once, then shared by all request threads: they are thread-safe once
 * started. Unless stated otherwise, {@code null} arguments cause {@code NullPointerException}.
 * No name is ever resolved: the remote host is the client's address text.
 */
package dev.trustproxy.tomcat;

/**
 * The Tomcat 9 ({@code javax.servlet}) valve: {@link dev.trustproxy.tomcat9.TrustProxyValve},
 * generated from the Tomcat 10.1/11 valve's source (README D112); container glue only, every rule
 * lives in the core package {@code dev.trustproxy}. The PROXY protocol connector is not part of
 * this jar.
 *
 * <p>Valves are configured once, then shared by all request threads: they are thread-safe once
 * started. Unless stated otherwise, {@code null} arguments cause {@code NullPointerException}.
 * No name is ever resolved: the remote host is the client's address text.
 */
package dev.trustproxy.tomcat9;

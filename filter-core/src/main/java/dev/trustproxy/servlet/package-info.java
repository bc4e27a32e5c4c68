/**
 * The Jakarta Servlet adapter: {@link dev.trustproxy.servlet.TrustProxyFilter} applies the core's
 * walk to each request and wraps it so that {@code getRemoteAddr()}, {@code getScheme()}, {@code
 * getServerName()} and friends describe the client's request.
 *
 * <p>The filter is thread-safe once initialised; the request wrapper is immutable. Unless stated
 * otherwise, {@code null} arguments cause {@code NullPointerException}. No name is ever resolved:
 * {@code getRemoteHost()} returns the address text.
 */
package dev.trustproxy.servlet;

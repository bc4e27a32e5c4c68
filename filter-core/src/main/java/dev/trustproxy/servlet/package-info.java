/**
 * The Jakarta Servlet adapter: {@link dev.trustproxy.servlet.TrustProxyFilter} applies the core's
 * walk to each request and wraps it so that {@code getRemoteAddr()}, {@code getScheme()}, {@code
 * getServerName()} and friends describe the client's request; {@link
 * dev.trustproxy.servlet.TrustProxyFragmentFilter} is the one the jar's web-fragment declares.
 * On Tomcat the filter also sets Tomcat's own request attributes, and on any container it makes
 * the session cookie of a request it reports as https {@code Secure} (README D45, D46).
 *
 * <p>The filter is thread-safe once initialised; the request wrapper is immutable. Unless stated
 * otherwise, {@code null} arguments cause {@code NullPointerException}. No name is ever resolved:
 * {@code getRemoteHost()} returns the address text.
 */
package dev.trustproxy.servlet;

/**
 * PROXY protocol v1/v2 for Jetty 12, accepted only from trusted peers and parsed strictly to the
 * specification.
 *
 * <p>Public types: {@link dev.trustproxy.jetty.ProxyProtocolConnectionFactory} (the connector
 * piece), {@link dev.trustproxy.proxyprotocol.ProxyHeader} (from the Jetty-free PROXY core, what a
 * request sees under {@link dev.trustproxy.proxyprotocol.ProxyHeader#ATTRIBUTE}) and {@link
 * dev.trustproxy.jetty.ProxyHeaderCustomizer} (sets that attribute; installed automatically), and
 * {@link dev.trustproxy.jetty.TrustProxyCustomizer} (the filter's trust walk for every request of
 * a connector: the secure replacement for Jetty's {@code ForwardedRequestCustomizer}).
 *
 * <p>Threat model: a PROXY header lets its sender choose the client address every later layer
 * believes. Only peers in the configured trusted sources may send one, and from them it is
 * mandatory; the bytes are parsed without name resolution, with bounded memory and an absolute
 * deadline.
 *
 * <p>Contracts: values ({@code ProxyHeader} and its nested types) are immutable and thread-safe;
 * the factory is configured before start and thread-safe afterwards. Methods neither take nor
 * return {@code null} unless their javadoc says so: {@code ProxyHeader.sourceAddress()} and
 * {@code destinationAddress()} are {@code null} when the real connection endpoints apply, and
 * absent TLVs are empty {@code Optional}s.
 */
package dev.trustproxy.jetty;

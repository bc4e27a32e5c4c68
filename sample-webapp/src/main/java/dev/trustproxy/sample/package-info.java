/**
 * The sample: a request's journey through load balancer ({@link
 * dev.trustproxy.sample.LoadBalancerClient}), TLS proxy ({@link dev.trustproxy.sample.TlsProxy})
 * and app ({@link dev.trustproxy.sample.App} with {@link
 * dev.trustproxy.sample.RequestInfoServlet}), run by {@link dev.trustproxy.sample.Main}.
 *
 * <p>Everything listens on 127.0.0.1 only and never resolves a name. Servers are started and
 * stopped by one thread; once started they are safe for concurrent requests. {@code null} is
 * accepted only where a parameter says so.
 */
package dev.trustproxy.sample;

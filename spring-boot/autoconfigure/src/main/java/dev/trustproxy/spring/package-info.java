/**
 * The Spring Boot starter's version-neutral auto-configuration: {@code trustproxy.*} properties,
 * the {@code ClientResolver} bean, the filter for containers other than Tomcat and Jetty, the
 * {@code Resolution} controller parameter and the Micrometer meters. The Boot 3 and Boot 4 glue
 * (packages {@code dev.trustproxy.spring.boot3}, {@code .boot4}) wire the valve or the Jetty
 * customizer through {@code dev.trustproxy.spring.container}.
 *
 * <p>Beans are built once at start-up and are immutable afterwards, except {@link
 * dev.trustproxy.spring.TrustProxyCounters}, which is safe for concurrent use. Nothing here
 * accepts or returns null unless its documentation says so.
 */
package dev.trustproxy.spring;

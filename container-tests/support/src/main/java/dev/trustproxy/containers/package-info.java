/**
 * The contract every real container must pass with the filter (sessions, dispatches, IPv6 peers,
 * the web-fragment), and what it needs: {@link dev.trustproxy.containers.Container} is the only
 * container-specific part, implemented once per container module. Test code: not thread-safe,
 * {@code null} arguments are not accepted.
 */
package dev.trustproxy.containers;

# trustproxy: https://github.com/trustproxy/trustproxy (Apache-2.0)

[description]
Makes every request report the real client behind trusted proxies (Express "trust proxy"
semantics): remote address, scheme, isSecure, server name and port, and the request attribute
dev.trustproxy.Resolution. The secure replacement for Jetty's "forwarded" module (its
ForwardedRequestCustomizer believes every header from anyone): never enable both.

[tags]
trustproxy

[depends]
server
trustproxy

[before]
ssl

[xml]
etc/trustproxy-customizer.xml

[ini-template]
# tag::documentation[]
### trustproxy customizer (see ecosystem docs: "Jetty distribution")

## Which hops to trust: false (default: trust nothing), true (every hop: unsafe unless every
## path into this server goes through your proxies), a hop count N, or a comma-separated list
## of addresses, CIDR ranges, IPv4 netmasks and the presets loopback, linklocal, uniquelocal.
# jetty.trustproxy.trustProxy=false

## Items may name a range file (file:/path, file:/path#service=NAME for AWS ip-ranges.json):
## it is read again every reloadInterval seconds (1 to 86400).
# jetty.trustproxy.reloadInterval=30

## Optional peer gate: forwarding headers are read only when the peer (after any PROXY
## header) is in this list. Recommended with hop counts.
# jetty.trustproxy.trustedPeers=

## Header family: x-forwarded-for (X-Forwarded-For/-Proto/-Host/-Port) or forwarded (RFC 7239).
# jetty.trustproxy.forwardedHeader=x-forwarded-for
# end::documentation[]

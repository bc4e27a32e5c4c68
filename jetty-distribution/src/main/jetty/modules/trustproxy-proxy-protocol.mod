# trustproxy: https://github.com/trustproxy/trustproxy (Apache-2.0)

[description]
PROXY protocol v1/v2 on the clear-text HTTP connector, accepted only from trusted sources and
parsed strictly. The secure replacement for Jetty's "proxy-protocol" module: never enable both.
Only peers in jetty.trustproxy.proxy.trustedSources may (and must) send a PROXY header.

[tags]
connector
trustproxy

[depends]
http
trustproxy

[xml]
etc/trustproxy-proxy-protocol.xml

[ini-template]
# tag::documentation[]
### trustproxy PROXY protocol (see ecosystem docs: "Jetty distribution")

## Required. Peers that may (and must) send a PROXY header: addresses, CIDR ranges,
## IPv4 netmasks, or the presets loopback, linklocal, uniquelocal; comma-separated.
# jetty.trustproxy.proxy.trustedSources=10.0.0.0/8

## Seconds between two reads of the range files (file:/path items) in trustedSources.
# jetty.trustproxy.proxy.reloadInterval=30

## What to do with a connection from a peer outside trustedSources: CLOSE (default), or
## PLAIN to serve it as plain HTTP without reading a PROXY header.
# jetty.trustproxy.proxy.untrustedPeers=CLOSE

## Whether trusted peers may omit the header (their connection is then served plain).
# jetty.trustproxy.proxy.optionalHeader=false

## Which header versions are accepted.
# jetty.trustproxy.proxy.v1Enabled=true
# jetty.trustproxy.proxy.v2Enabled=true

## Largest accepted v2 header in bytes (TLVs included).
# jetty.trustproxy.proxy.maxV2HeaderSize=4096

## The header must arrive within this many milliseconds of accept (absolute deadline).
# jetty.trustproxy.proxy.headerTimeoutMillis=10000

## Whether IPv4 text is accepted as the destination of a v1 "TCP6" line (nginx stream sends
## it for IPv6 clients of an IPv4 listener); the source must be IPv6 text either way.
# jetty.trustproxy.proxy.acceptIpv4InTcp6=true

## Whether a v2 SSL TLV (client connected with TLS) makes requests secure (https).
# jetty.trustproxy.proxy.sslTlvMarksSecure=false
# end::documentation[]

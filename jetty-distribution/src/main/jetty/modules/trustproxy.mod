# trustproxy: https://github.com/trustproxy/trustproxy (Apache-2.0)

[description]
The trustproxy library jars (lib/trustproxy/): the client-address core and the Jetty pieces.
Enabled by trustproxy-proxy-protocol and trustproxy-customizer; you rarely enable it yourself.

[tags]
trustproxy

[depends]
server
logging

[lib]
lib/trustproxy/*.jar

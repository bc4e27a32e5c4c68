vcl 4.1;
# The first hop of ProxyChainPeerTest: Varnish, which appends its client to X-Forwarded-For,
# in front of nginx; the test fills in the dollar-brace placeholders.

backend nginx {
  .host = "127.0.0.1";
  .port = "${NGINX_PORT}";
}

sub vcl_recv {
  set req.backend_hint = nginx;
  return (pass);
}

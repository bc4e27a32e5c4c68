vcl 4.1;
# Varnish 7.1 in front of the Jetty adapters and of the PROXY connector; VarnishPeerTest fills
# in the dollar-brace placeholders. Varnish appends the client to X-Forwarded-For itself.

backend customizer {
  .host = "127.0.0.1";
  .port = "${CUSTOMIZER_PORT}";
}

backend filter {
  .host = "127.0.0.1";
  .port = "${FILTER_PORT}";
}

# The same connector twice: Varnish sends a PROXY v1 or v2 header on each new connection.
backend proxy_v1 {
  .host = "127.0.0.1";
  .port = "${PROXY_JETTY_PORT}";
  .proxy_header = 1;
}

backend proxy_v2 {
  .host = "127.0.0.1";
  .port = "${PROXY_JETTY_PORT}";
  .proxy_header = 2;
}

sub vcl_recv {
  if (req.url ~ "^/filter/") {
    set req.backend_hint = filter;
  } elsif (req.url ~ "^/proxy-v1/") {
    set req.backend_hint = proxy_v1;
  } elsif (req.url ~ "^/proxy-v2/") {
    set req.backend_hint = proxy_v2;
  } else {
    set req.backend_hint = customizer;
  }
  # Every request reaches Jetty: nothing is cached.
  return (pass);
}

package dev.trustproxy.jetty.peers;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.util.List;
import java.util.function.Supplier;

/**
 * What an application behind one trusted HTTP reverse proxy must see, whichever adapter reads
 * the headers: the assertions every {@code *HttpPeerTest} shares. {@code context} adds the
 * proxy's output to a failure.
 */
final class BehindProxy {

  private BehindProxy() {}

  /**
   * The client came from the entry the proxy added: its address, no port (X-Forwarded-For has
   * none), and the scheme, host and port of {@code url}, the URL the client asked the proxy for.
   */
  static void clientFromForwardedFor(Curl.Response response, String client, String url,
      Supplier<String> context) {
    URI uri = URI.create(url);
    assertThat(response.status()).as(context).isEqualTo(200);
    assertThat(response.echo()).as(context)
        .containsEntry("remote.addr", client)
        .containsEntry("remote.port", "0")
        .containsEntry("client.header", "x-forwarded-for")
        .containsEntry("client.index", "1")
        .containsEntry("scheme", uri.getScheme())
        .containsEntry("secure", String.valueOf(uri.getScheme().equals("https")))
        .containsEntry("server.name", uri.getHost())
        .containsEntry("server.port", String.valueOf(uri.getPort()))
        .containsEntry("request.url", url);
  }

  /**
   * {@link #clientFromForwardedFor} for an https URL ending in {@code /session}, and the session
   * cookie the container wrote carries {@code Secure}.
   */
  static void secureSession(Curl.Response response, String client, String url,
      Supplier<String> context) {
    clientFromForwardedFor(response, client, url, context);
    assertThat(response.echo()).as(context).containsEntry("session", "new");
    assertThat(response.get("curl.setCookie")).as(context)
        .startsWith("JSESSIONID=").containsIgnoringCase("; Secure");
  }

  /** Plain http to {@code /session}: the container's session cookie has no {@code Secure}. */
  static void plainSession(Curl.Response response, Supplier<String> context) {
    assertThat(response.echo()).as(context)
        .containsEntry("secure", "false")
        .containsEntry("session", "new");
    assertThat(response.get("curl.setCookie")).as(context)
        .startsWith("JSESSIONID=").doesNotContainIgnoringCase("secure");
  }

  /**
   * Clients one after another, the first again last, through a proxy that keeps its connections
   * to Jetty open for other clients: each request is its own client's.
   */
  static void eachClientApart(String url, Supplier<String> context) {
    for (String client : List.of("127.0.0.101", "127.0.0.102", "127.0.0.101")) {
      Curl.Response response = Curl.from(client).get(url);

      assertThat(response.echo()).as(() -> response + "\n" + context.get())
          .containsEntry("remote.addr", client);
    }
  }
}

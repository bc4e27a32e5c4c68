package dev.trustproxy.jetty.peers;

import dev.trustproxy.jetty.peers.EchoServer.Adapter;
import dev.trustproxy.testsupport.ExternalProcess;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * What every HTTP reverse proxy that ends TLS must give both Jetty adapters, which trust only the
 * proxy's address: a subclass starts the proxy in front of an {@link AdapterBackends} (routing
 * {@code /customizer/} and {@code /filter/}) with a plain and a TLS listener, and says where they
 * are. The client writes its own X-Forwarded-For, -Host and -Proto every time.
 */
abstract class ReverseProxyContract {

  /** The TLS listener's name: the certificate's, resolved by curl to 127.0.0.1. */
  static final String SNI_NAME = "peers.test";

  /** Where the proxy under test listens on 127.0.0.1, and its TLS listener's certificate. */
  record Listeners(int httpPort, int tlsPort, TestCertificate certificate) {

    /** Two ports that were free and a certificate for {@link #SNI_NAME}, made in {@code work}. */
    static Listeners allocate(Path work) {
      return new Listeners(ExternalProcess.freePort(), ExternalProcess.freePort(),
          TestCertificate.create(work, SNI_NAME));
    }

    /**
     * The config template values {@code HTTP_PORT}, {@code TLS_PORT}, {@code CERTIFICATE},
     * {@code KEY} and {@code COMBINED} (certificate and key in one PEM file).
     */
    Map<String, Object> values() {
      Map<String, Object> values = new LinkedHashMap<>();
      values.put("HTTP_PORT", httpPort);
      values.put("TLS_PORT", tlsPort);
      values.put("CERTIFICATE", certificate.certificate());
      values.put("KEY", certificate.key());
      values.put("COMBINED", certificate.combined());
      return values;
    }
  }

  /** The subclass's proxy, started in its {@code @BeforeAll}. */
  abstract Listeners listeners();

  /** A failure message: what the client got, and what the proxy logged. */
  abstract String context(Object got);

  @ParameterizedTest
  @EnumSource(Adapter.class)
  void theClientIsWhomTheProxyAddedNotWhatTheClientWrote(Adapter adapter) {
    Curl curl = Curl.from("127.0.0.41").with("-H", "X-Forwarded-For: 6.6.6.6, 127.0.0.1",
        "-H", "X-Forwarded-Host: evil.example", "-H", "X-Forwarded-Proto: https");
    String url = "http://127.0.0.1:" + listeners().httpPort() + adapter.path() + "spoofed";

    Curl.Response response = curl.get(url);

    BehindProxy.clientFromForwardedFor(response, "127.0.0.41", url, () -> context(response));
  }

  @ParameterizedTest
  @EnumSource(Adapter.class)
  void sharedUpstreamConnectionsKeepEachClientApart(Adapter adapter) {
    BehindProxy.eachClientApart("http://127.0.0.1:" + listeners().httpPort() + adapter.path() + "shared",
        () -> context("shared upstream connections"));
  }

  @ParameterizedTest
  @EnumSource(Adapter.class)
  void tlsEndedByTheProxyIsHttpsToTheAppAndItsSessionCookieIsSecure(Adapter adapter) {
    Curl curl = Curl.from("127.0.0.44").with("--cacert", listeners().certificate().certificate().toString(),
        "--resolve", SNI_NAME + ":" + listeners().tlsPort() + ":127.0.0.1", "--http1.1");
    String url = "https://" + SNI_NAME + ":" + listeners().tlsPort() + adapter.path() + "session";

    Curl.Response response = curl.get(url);

    BehindProxy.secureSession(response, "127.0.0.44", url, () -> context(response));
  }

  @ParameterizedTest
  @EnumSource(Adapter.class)
  void plainHttpGetsASessionCookieWithoutSecure(Adapter adapter) {
    Curl.Response response = Curl.from("127.0.0.45")
        .get("http://127.0.0.1:" + listeners().httpPort() + adapter.path() + "session");

    BehindProxy.plainSession(response, () -> context(response));
  }
}

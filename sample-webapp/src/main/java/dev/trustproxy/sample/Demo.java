package dev.trustproxy.sample;

import dev.trustproxy.ClientResolver;
import dev.trustproxy.IpRangeSet;
import dev.trustproxy.TrustPolicy;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import javax.net.ssl.SSLContext;

/**
 * The {@code demo} command: starts the app, the TLS proxy and two more apps on free ports, then
 * walks a request through them step by step, printed like a terminal session. Each step shows the
 * curl command that does the same, the app's answer, and whether it is what it should be.
 */
final class Demo {

  static final String CLIENT = "198.51.100.22";
  static final String CLIENT_XFF = "127.0.0.4, 127.0.0.3, 127.0.0.2";
  static final String FORGED = "10.0.0.1";
  static final String INTERNET_CLIENT = "203.0.113.7";

  private final PrintStream out;
  private int steps;
  private int failures;

  private Demo(PrintStream out) {
    this.out = out;
  }

  /** The app with {@code --trust-proxy 1} behind the TLS proxy, and the CA file. */
  record Stack(App app, TlsProxy proxy, Path caFile, SSLContext clientTls)
      implements AutoCloseable {

    /** Makes a CA, writes its certificate to {@code caFile}, starts the app and the proxy. */
    static Stack start(Path caFile) throws Exception {
      CertificateAuthority ca = CertificateAuthority.create();
      ca.writePem(caFile);
      // The key store lives only in memory; the password is required by the API, not a secret.
      char[] password = "sample".toCharArray();
      KeyStore keyStore = ca.issueServerKeyStore(password);
      App app = App.start(0, ClientResolver.of(TrustPolicy.parse("--trust-proxy", "1")), false);
      try {
        return new Stack(app, TlsProxy.start(keyStore, password, app.port()), caFile,
            ca.clientContext());
      } catch (Exception e) {
        app.close();
        throw e;
      }
    }

    @Override
    public void close() throws Exception {
      try {
        proxy.close();
      } finally {
        app.close();
      }
    }
  }

  /** Runs the demo; true when every step showed what it should. */
  static boolean run(PrintStream out) throws Exception {
    Path dir = Files.createTempDirectory("trustproxy-sample-");
    Path caFile = dir.resolve("ca.pem");
    try (Stack stack = Stack.start(caFile);
        App bypassed = App.start(0, resolver("1", null), true);
        App gated = App.start(0, resolver("1", "loopback"), true)) {
      return new Demo(out).walk(stack, bypassed, gated);
    } finally {
      Files.deleteIfExists(caFile);
      Files.deleteIfExists(dir);
    }
  }

  private static ClientResolver resolver(String trustProxy, String trustedPeers) {
    ClientResolver resolver = ClientResolver.of(TrustPolicy.parse("--trust-proxy", trustProxy));
    return trustedPeers == null ? resolver
        : resolver.withTrustedPeers(IpRangeSet.parse("--trusted-peers", trustedPeers));
  }

  private boolean walk(Stack stack, App bypassed, App gated) {
    int app = stack.app().port();
    int https = stack.proxy().httpsPort();
    int lb = stack.proxy().proxyProtocolPort();
    String ca = stack.caFile().toString();
    SSLContext tls = stack.clientTls();

    out.println("trustproxy sample: one request's journey through load balancer, TLS proxy and"
        + " app.");
    out.println("Everything runs in this JVM on 127.0.0.1, on free ports:");
    out.println("  app        http://localhost:" + app + "/   (filter: --trust-proxy 1)");
    out.println("  TLS proxy  https://localhost:" + https + "/  for clients");
    out.println("             https://localhost:" + lb + "/  for load balancers (PROXY protocol"
        + " from loopback, then TLS)");
    out.println("  CA file    " + ca + "  (made at start; for curl --cacert)");
    out.println("The curl lines do the same as each step; --haproxy-clientip needs curl 8.2+.");

    step("A direct request: the app sees its TCP peer, the loopback address.",
        "curl http://localhost:" + app + "/",
        () -> LoadBalancerClient.get(app, null, null),
        expected("127.0.0.1", null, "[]", "http"),
        "req.ip is the loopback peer; no header, so no hop to walk");

    step("The same through the TLS proxy. It appends its peer to X-Forwarded-For and sets"
            + "\n   X-Forwarded-Proto; the app trusts one hop (the proxy) and reads both.",
        "curl --cacert " + ca + " https://localhost:" + https + "/",
        () -> LoadBalancerClient.get(https, null, tls),
        expected("127.0.0.1", "127.0.0.1", "[\"127.0.0.1\"]", "https"),
        "the client is the proxy's peer, and the protocol is https");

    step("Through the proxy with a forged X-Forwarded-For: " + FORGED + ".",
        "curl --cacert " + ca + " -H 'X-Forwarded-For: " + FORGED + "' https://localhost:"
            + https + "/",
        () -> LoadBalancerClient.get(https, null, tls, "X-Forwarded-For: " + FORGED),
        expected("127.0.0.1", FORGED + ", 127.0.0.1", "[\"127.0.0.1\"]", "https"),
        "the forged entry is left of the one hop the app trusts, so it is ignored");

    step("Through a load balancer: it opens TCP to the TLS proxy and writes a PROXY header"
            + "\n   naming the client " + CLIENT + ", then the client's TLS goes through. The"
            + "\n   client's own X-Forwarded-For passes unchecked; the app has --trust-proxy 1.",
        "curl --haproxy-protocol --haproxy-clientip " + CLIENT + " --cacert " + ca
            + " -H 'X-Forwarded-For: " + CLIENT_XFF + "' https://localhost:" + lb + "/",
        () -> LoadBalancerClient.get(lb, CLIENT, tls, "X-Forwarded-For: " + CLIENT_XFF),
        expected(CLIENT, CLIENT_XFF + ", " + CLIENT, "[\"" + CLIENT + "\"]", "https"),
        "req.ip is the client the load balancer saw, not an address the client wrote");

    step("The warning: a client at " + INTERNET_CLIENT + " bypasses the proxy, reaches an app"
            + "\n   with a bare hop count (--trust-proxy 1) and writes the header itself. (This"
            + "\n   app takes a PROXY header only so the demo can place the client on the"
            + " internet.)",
        "curl --haproxy-protocol --haproxy-clientip " + INTERNET_CLIENT
            + " -H 'X-Forwarded-For: " + FORGED + "' http://localhost:" + bypassed.port() + "/",
        () -> LoadBalancerClient.get(bypassed.port(), INTERNET_CLIENT, null,
            "X-Forwarded-For: " + FORGED),
        expected(FORGED, FORGED, "[\"" + FORGED + "\"]", "http"),
        "FOOLED, as expected: a hop count trusts whoever connects, so the client chose"
            + " req.ip");

    step("The same client against an app with a peer gate:"
            + " --trust-proxy 1 --trusted-peers loopback.",
        "curl --haproxy-protocol --haproxy-clientip " + INTERNET_CLIENT
            + " -H 'X-Forwarded-For: " + FORGED + "' http://localhost:" + gated.port() + "/",
        () -> LoadBalancerClient.get(gated.port(), INTERNET_CLIENT, null,
            "X-Forwarded-For: " + FORGED),
        expected(INTERNET_CLIENT, FORGED, "[]", "http"),
        "refused: " + INTERNET_CLIENT + " is not a trusted peer, so its header is ignored");

    out.println();
    if (failures == 0) {
      out.println("All " + steps + " steps showed what they should.");
    } else {
      out.println(failures + " of " + steps + " steps did NOT show what they should.");
    }
    return failures == 0;
  }

  /** The app's answer for these values; the host is always localhost in the demo. */
  static String expected(String ip, String xff, String ips, String protocol) {
    return expected(ip, xff, ips, protocol, CertificateAuthority.HOST);
  }

  /** The app's answer for these values ({@code ips} as JSON, the rest as text or null). */
  static String expected(String ip, String xff, String ips, String protocol, String hostname) {
    return "req.ip: " + RequestInfoServlet.json(ip) + "\n"
        + "req.xff: " + RequestInfoServlet.json(xff) + "\n"
        + "req.ips: " + ips + "\n"
        + "req.protocol: " + RequestInfoServlet.json(protocol) + "\n"
        + "req.hostname: " + RequestInfoServlet.json(hostname) + "\n";
  }

  /** One request of the journey. */
  private interface Call {
    LoadBalancerClient.Exchange send() throws IOException;
  }

  private void step(String title, String command, Call call, String expected, String meaning) {
    steps++;
    out.println();
    out.println(steps + ". " + title);
    out.println("$ " + command);
    LoadBalancerClient.Exchange exchange;
    try {
      exchange = call.send();
    } catch (IOException e) {
      failures++;
      out.println("  FAILED: " + e);
      return;
    }
    if (exchange.proxyHeader() != null) {
      out.println("  (first bytes on the connection: " + exchange.proxyHeader() + ")");
    }
    out.print(exchange.body());
    if (exchange.status() == 200 && exchange.body().equals(expected)) {
      out.println("  ok: " + meaning);
    } else {
      failures++;
      out.println("  FAILED: expected status 200 and");
      expected.lines().forEach(line -> out.println("    " + line));
      out.println("  but got status " + exchange.status());
    }
  }
}

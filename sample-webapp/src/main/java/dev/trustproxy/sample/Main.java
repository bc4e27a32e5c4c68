package dev.trustproxy.sample;

import dev.trustproxy.ClientResolver;
import dev.trustproxy.Forwarding;
import dev.trustproxy.RangeSource;
import dev.trustproxy.TrustPolicy;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The command line of {@code trustproxy-sample.jar}: {@code demo}, {@code serve}, {@code app}.
 *
 * <p>Exit codes: 0 success, 1 failure (a demo step, a server that could not start), 2 bad usage
 * (the message names the flag and quotes the value).
 */
public final class Main {

  static final String JAR = "java -jar trustproxy-sample.jar";

  static final String USAGE = """
      Usage: %1$s COMMAND [FLAGS]

      A request's journey through load balancer, TLS proxy and app, with the trustproxy filter.

      Commands:
        demo    start everything on free ports and walk a request through it, step by step
        serve   start the app and the TLS proxy, print curl commands to try, and wait
        app     start the app alone, with the filter or Jetty's customizer
        help    show this text; COMMAND --help shows a command's flags
      """.formatted(JAR);

  static final String DEMO_USAGE = """
      Usage: %1$s demo

      Starts the app (--trust-proxy 1), the TLS proxy in front of it and two more apps on free
      ports of 127.0.0.1, sends requests as a client, a forger and a load balancer would, and
      prints each step like a terminal session. Exits 0 only if every step showed what it should.
      """.formatted(JAR);

  static final String SERVE_USAGE = """
      Usage: %1$s serve

      Starts the app (--trust-proxy 1) and the TLS proxy in front of it on free ports of
      127.0.0.1, writes the CA certificate to a file, prints the addresses and curl commands to
      try (--cacert, --haproxy-protocol), and waits until stopped (Ctrl-C).
      """.formatted(JAR);

  static final String APP_USAGE = """
      Usage: %1$s app --port N --trust-proxy VALUE [--trusted-peers RANGES]
                 [--forwarded-header FAMILY] [--adapter filter|customizer] [--proxy-protocol]

      Starts the app alone on 127.0.0.1; GET / answers what it believes about the request, and
      so do GET /forward, /include, /async and any other path (404), through those dispatches.

        --port N                the port, 0..65535 (0 picks a free one, printed at start)
        --trust-proxy VALUE     which hops to trust, parsed as the web.xml init-param trust-proxy:
                                false | true | a hop count (1 = the TCP peer only) | a list of
                                addresses, ranges and presets (loopback, linklocal, uniquelocal)
        --trusted-peers RANGES  the peer gate: read forwarding headers only from these peers,
                                e.g. loopback or "10.0.0.0/8, 127.0.0.1"; a file:/path item is
                                a range file, read again every 30 s
        --forwarded-header FAMILY
                                which headers to read, parsed as the init-param forwarded-header:
                                x-forwarded-for (default: X-Forwarded-For, -Proto, -Host, -Port),
                                forwarded (RFC 7239: for=, proto=, host=), or the name of one
                                header holding one address (x-real-ip); never two
        --adapter ADAPTER       filter (default): TrustProxyFilter, mapped for every dispatcher
                                type; customizer: Jetty's TrustProxyCustomizer on the connector.
                                Both apply the same rules and give the same answers
        --proxy-protocol        loopback peers must send a PROXY header first, which sets the
                                peer address (try curl --haproxy-protocol)
      """.formatted(JAR);

  private static final List<String> APP_FLAGS = List.of("--port", "--trust-proxy",
      "--trusted-peers", "--forwarded-header", "--adapter", "--proxy-protocol");

  private Main() {}

  public static void main(String[] args) {
    System.exit(run(args, System.out, System.err));
  }

  /** Runs a command; returns the exit code. {@code serve} and {@code app} return only when stopped. */
  static int run(String[] args, PrintStream out, PrintStream err) {
    if (args.length == 0) {
      err.print(USAGE);
      return 2;
    }
    String command = args[0];
    List<String> flags = List.of(args).subList(1, args.length);
    if (command.equals("help") || command.equals("--help") || command.equals("-h")) {
      out.print(USAGE);
      return 0;
    }
    String usage = switch (command) {
      case "demo" -> DEMO_USAGE;
      case "serve" -> SERVE_USAGE;
      case "app" -> APP_USAGE;
      default -> null;
    };
    if (usage == null) {
      err.println("unknown command '" + command + "': expected demo, serve, app or help");
      err.println("Run '" + JAR + " help' for usage.");
      return 2;
    }
    if (flags.contains("--help") || flags.contains("-h")) {
      out.print(usage);
      return 0;
    }
    try {
      return switch (command) {
        case "demo" -> {
          noFlags(command, flags);
          yield Demo.run(out) ? 0 : 1;
        }
        case "serve" -> {
          noFlags(command, flags);
          yield serve(out);
        }
        default -> {
          try (App app = startApp(flags, out)) {
            app.join();
          }
          yield 0;
        }
      };
    } catch (UsageException e) {
      err.println(command + ": " + e.getMessage());
      err.println("Run '" + JAR + " " + command + " --help' for usage.");
      return 2;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return 1;
    } catch (Exception e) {
      err.println(command + ": failed: " + e);
      return 1;
    }
  }

  /**
   * Parses the {@code app} flags and starts the app; for the command and for tests.
   *
   * @throws UsageException naming the flag and quoting the value
   */
  static App startApp(List<String> flags, PrintStream out) throws Exception {
    Map<String, String> values = parse(flags);
    String port = require(values, "--port", "0..65535");
    String trust = require(values, "--trust-proxy",
        "false, true, a hop count, or addresses and ranges");
    ClientResolver resolver;
    Forwarding.Headers headers;
    App.Adapter adapter;
    try {
      resolver = ClientResolver.of(TrustPolicy.parse("--trust-proxy", trust));
      String peers = values.get("--trusted-peers");
      if (peers != null) {
        resolver = resolver.withTrustedPeers(RangeSource.parse("--trusted-peers", peers));
      }
      headers = Forwarding.Headers.parse("--forwarded-header",
          values.getOrDefault("--forwarded-header", "x-forwarded-for"));
      adapter = App.Adapter.parse("--adapter", values.getOrDefault("--adapter", "filter"));
    } catch (IllegalArgumentException e) {
      throw new UsageException(e.getMessage());
    }
    boolean proxyProtocol = values.containsKey("--proxy-protocol");
    App app = App.start(port(port), resolver, headers, adapter, proxyProtocol);
    out.println("app listening on http://localhost:" + app.port() + "/ (127.0.0.1)");
    out.println("  " + adapter.settingText() + ": " + resolver + ", forwarded-header "
        + headers.settingText() + (proxyProtocol ? ", PROXY protocol from loopback" : ""));
    return app;
  }

  private static int serve(PrintStream out) throws Exception {
    Path dir = Files.createTempDirectory("trustproxy-sample-");
    Path caFile = dir.resolve("ca.pem");
    // Deleted at exit in reverse order of registration: the file, then its folder.
    dir.toFile().deleteOnExit();
    caFile.toFile().deleteOnExit();
    try (Demo.Stack stack = Demo.Stack.start(caFile)) {
      int app = stack.app().port();
      int https = stack.proxy().httpsPort();
      int lb = stack.proxy().proxyProtocolPort();
      String ca = caFile.toString();
      out.println("trustproxy sample: serving on 127.0.0.1 until stopped (Ctrl-C).");
      out.println("  app        http://localhost:" + app + "/   (filter: --trust-proxy 1)");
      out.println("  TLS proxy  https://localhost:" + https + "/  for clients");
      out.println("             https://localhost:" + lb + "/  for load balancers (PROXY"
          + " protocol from loopback, then TLS)");
      out.println("  CA file    " + ca);
      out.println();
      out.println("Try:");
      out.println("  curl http://localhost:" + app + "/");
      out.println("  curl --cacert " + ca + " https://localhost:" + https + "/");
      out.println("  curl --cacert " + ca + " -H 'X-Forwarded-For: " + Demo.FORGED
          + "' https://localhost:" + https + "/");
      out.println("  curl --haproxy-protocol --cacert " + ca + " https://localhost:" + lb + "/");
      out.println("  # curl 8.2 or newer can name the client:");
      out.println("  curl --haproxy-protocol --haproxy-clientip " + Demo.CLIENT + " --cacert " + ca
          + " -H 'X-Forwarded-For: " + Demo.CLIENT_XFF + "' https://localhost:" + lb + "/");
      out.flush();
      stack.app().join();
    }
    return 0;
  }

  private static Map<String, String> parse(List<String> flags) throws UsageException {
    Map<String, String> values = new LinkedHashMap<>();
    for (int i = 0; i < flags.size(); i++) {
      String flag = flags.get(i);
      String value = null;
      int equals = flag.indexOf('=');
      if (flag.startsWith("--") && equals > 0) {
        value = flag.substring(equals + 1);
        flag = flag.substring(0, equals);
      }
      if (!APP_FLAGS.contains(flag)) {
        throw new UsageException("unknown flag '" + flag + "': expected one of " + APP_FLAGS);
      }
      if (values.containsKey(flag)) {
        throw new UsageException(flag + " is given twice: give it once");
      }
      if (flag.equals("--proxy-protocol")) {
        if (value != null) {
          throw new UsageException(flag + " takes no value, but got '" + value + "'");
        }
      } else if (value == null) {
        if (i + 1 >= flags.size()) {
          throw new UsageException(flag + " needs a value");
        }
        value = flags.get(++i);
      }
      values.put(flag, value);
    }
    return values;
  }

  private static String require(Map<String, String> values, String flag, String expected)
      throws UsageException {
    String value = values.get(flag);
    if (value == null) {
      throw new UsageException(flag + " is required: expected " + expected);
    }
    return value;
  }

  private static int port(String text) throws UsageException {
    if (text.matches("0|[1-9][0-9]{0,4}") && Integer.parseInt(text) <= 65535) {
      return Integer.parseInt(text);
    }
    throw new UsageException("--port: '" + text + "' is not a port: expected 0..65535");
  }

  private static void noFlags(String command, List<String> flags) throws UsageException {
    if (!flags.isEmpty()) {
      throw new UsageException("unexpected argument '" + flags.get(0) + "': " + command
          + " takes no flags");
    }
  }

  /** Bad command-line input; the message names the flag and quotes the value. */
  static final class UsageException extends Exception {
    private static final long serialVersionUID = 1L;

    UsageException(String message) {
      super(message);
    }
  }
}

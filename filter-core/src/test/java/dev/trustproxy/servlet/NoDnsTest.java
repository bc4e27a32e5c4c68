package dev.trustproxy.servlet;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.trustproxy.ClientResolver;
import dev.trustproxy.IpAddress;
import dev.trustproxy.IpRangeSet;
import dev.trustproxy.Resolution;
import dev.trustproxy.TrustPolicy;
import dev.trustproxy.servlet.EmbeddedJetty.HttpResult;
import dev.trustproxy.Forwarding;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import java.io.ByteArrayInputStream;
import java.io.DataInputStream;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.eclipse.jetty.ee10.webapp.WebAppContext;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.handler.ContextHandlerCollection;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Proof that no name is ever resolved. The test JVM runs with {@code -Djdk.net.hosts.file} pointing
 * at {@code .mvn/no-dns-hosts}, which maps every host name used here to the sentinel {@value
 * #SENTINEL}: if anything looked a name up, the sentinel would show in the output. The first tests
 * prove the mechanism works; the rest feed names everywhere a name could go and look for it.
 */
class NoDnsTest {

  static final String SENTINEL = "192.0.2.254";

  /** Names the brief requires the hosts file to map; the file may hold more. */
  static final List<String> REQUIRED_NAMES =
      List.of("evil.example", "proxy", "client", "unknown", "garbage", "example.com");

  // ---- the mechanism -------------------------------------------------------------------------

  static Path hostsFile() {
    String path = System.getProperty("trustproxy.hostsFile");
    assertThat(path).as("system property trustproxy.hostsFile (set by the parent pom)")
        .isNotBlank();
    assertThat(System.getProperty("jdk.net.hosts.file")).as("jdk.net.hosts.file").isEqualTo(path);
    return Path.of(path);
  }

  static List<String> sentinelNames() throws IOException {
    List<String> names = new ArrayList<>();
    for (String line : Files.readAllLines(hostsFile(), StandardCharsets.UTF_8)) {
      String[] fields = line.strip().split("\\s+");
      if (fields.length >= 2 && fields[0].equals(SENTINEL)) {
        for (int i = 1; i < fields.length && !fields[i].startsWith("#"); i++) {
          names.add(fields[i]);
        }
      }
    }
    return names;
  }

  @Test
  void hostsFileMapsTheTestNamesToTheSentinel() throws IOException {
    assertThat(sentinelNames()).containsAll(REQUIRED_NAMES);
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("sentinelNames")
  void aLookupInThisJvmWouldShowTheSentinel(String name) throws IOException {
    // The very calls the main code must never make, made here to prove the sentinel would show.
    assertThat(InetAddress.getByName(name).getHostAddress()).isEqualTo(SENTINEL);
    assertThat(new InetSocketAddress(name, 80).getAddress().getHostAddress())
        .isEqualTo(SENTINEL);
  }

  @Test
  void localhostIsLoopbackInThisJvmSoResolvingItWouldBeNoticed() throws IOException {
    assertThat(InetAddress.getByName("localhost").getHostAddress()).isEqualTo("127.0.0.1");
  }

  // ---- the resolver and the filter on a TestRequest -------------------------------------------

  /**
   * A name wherever a request can carry one. {@code client} is what must come out: never the
   * sentinel, never a name.
   */
  record NameCase(String name, String trust, Forwarding.Headers family, String peer,
      List<String[]> headers, String client) {
    @Override
    public String toString() {
      return name;
    }
  }

  private static NameCase xff(String name, String trust, String peer, String client,
      String... headerLines) {
    return new NameCase(name, trust, Forwarding.Headers.X_FORWARDED, peer, TestRequest.lines(headerLines), client);
  }

  private static NameCase fwd(String name, String trust, String peer, String client,
      String... headerLines) {
    return new NameCase(name, trust, Forwarding.Headers.FORWARDED, peer, TestRequest.lines(headerLines), client);
  }

  static Stream<NameCase> nameCases() {
    return Stream.of(
        xff("X-24: a host name as the only entry", "true", "127.0.0.1", "127.0.0.1",
            "X-Forwarded-For: evil.example"),
        xff("names on two field lines", "true", "127.0.0.1", "127.0.0.1",
            "X-Forwarded-For: client", "X-Forwarded-For: proxy"),
        xff("a name behind a trusted hop: that hop", "loopback, 10.0.0.0/8", "127.0.0.1",
            "10.0.0.2", "X-Forwarded-For: evil.example, 10.0.0.2"),
        xff("a name right of an address", "true", "127.0.0.1", "127.0.0.1",
            "X-Forwarded-For: 203.0.113.7, unknown"),
        xff("a name with a port", "true", "127.0.0.1", "127.0.0.1",
            "X-Forwarded-For: garbage:80"),
        xff("a bracketed name with a port", "true", "127.0.0.1", "127.0.0.1",
            "X-Forwarded-For: [evil.example]:80"),
        xff("a name under a hop count (Express would return it, T4)", "1", "127.0.0.1",
            "127.0.0.1", "X-Forwarded-For: myrouter"),
        xff("localhost is a name too: never 127.0.0.1 from it", "true", "10.0.0.1", "10.0.0.1",
            "X-Forwarded-For: localhost"),
        xff("names in X-Forwarded-Host and Host are kept as text", "true", "127.0.0.1",
            "203.0.113.7", "Host: proxy", "X-Forwarded-For: 203.0.113.7",
            "X-Forwarded-Host: evil.example:8443", "X-Forwarded-Proto: https"),
        xff("a name in X-Forwarded-Port", "true", "127.0.0.1", "203.0.113.7",
            "X-Forwarded-For: 203.0.113.7", "X-Forwarded-Port: example.com"),
        xff("a name as the container's peer: request left as is", "true", "evil.example",
            "evil.example", "X-Forwarded-For: 203.0.113.7"),
        fwd("RFC 7239: for=name with host and proto", "true", "127.0.0.1", "127.0.0.1",
            "Forwarded: for=evil.example;host=example.com;proto=https"),
        fwd("RFC 7239: quoted name with a port, then a name", "true", "127.0.0.1", "127.0.0.1",
            "Forwarded: for=\"proxy:80\", for=client"),
        fwd("RFC 7239: a bracketed name", "true", "127.0.0.1", "127.0.0.1",
            "Forwarded: for=\"[evil.example]\""),
        fwd("RFC 7239: a name behind a trusted IPv6 hop", "loopback, 2001:db8::/32",
            "127.0.0.1", "2001:db8::1", "Forwarded: for=garbage, for=\"[2001:db8::1]:4711\""));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("nameCases")
  void filterNeverResolvesAName(NameCase c) throws Exception {
    TrustProxyFilter filter = FilterRuns.initialised(Map.of("trust-proxy", c.trust(),
        "forwarded-header", c.family() == Forwarding.Headers.FORWARDED ? "forwarded" : "x-forwarded-for"));
    HttpServletRequest seen = FilterRuns.through(filter,
        TestRequest.create(c.peer(), false, c.headers()));
    Map<String, String> view = EchoServlet.describe(seen);
    assertThat(view.toString()).doesNotContain(SENTINEL);
    assertThat(view).containsEntry("remoteAddr", c.client()).containsEntry("remoteHost", c.client());
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("nameCases")
  void resolverNeverResolvesAName(NameCase c) {
    IpAddress peer = IpAddress.tryParse(c.peer(), 0, c.peer().length());
    if (peer == null) {
      assertThat(c.client()).isEqualTo(c.peer()); // the filter's case: no resolver involved
      return;
    }
    ClientResolver resolver = ClientResolver.of(TrustPolicy.parse(c.trust()));
    String header = c.headers().stream()
        .filter(h -> h[0].equalsIgnoreCase(
            c.family() == Forwarding.Headers.FORWARDED ? "Forwarded" : "X-Forwarded-For"))
        .map(h -> h[1]).reduce((a, b) -> a + ", " + b).orElse(null);
    Resolution r = c.family() == Forwarding.Headers.FORWARDED
        ? resolver.resolveForwarded(peer, header)
        : resolver.resolve(peer, header);
    assertThat(r.toString() + r.ips() + r.client() + r.peer()).doesNotContain(SENTINEL);
    assertThat(r.client()).hasToString(c.client());
    for (IpAddress ip : r.ips()) {
      assertThat(ip.toString()).doesNotContain(SENTINEL);
    }
  }

  static Stream<String[]> namedSettings() {
    return Stream.of(
        new String[] {"trust-proxy", "evil.example"},
        new String[] {"trust-proxy", "localhost"},
        new String[] {"trust-proxy", "loopback, proxy"},
        new String[] {"trust-proxy", "example.com/24"},
        new String[] {"trusted-peers", "proxy"},
        new String[] {"trusted-peers", "10.0.0.0/8, example.com"});
  }

  @ParameterizedTest(name = "{0}={1}")
  @MethodSource("namedSettings")
  void aNameInASettingFailsStartUpUnresolved(String param, String value) {
    Map<String, String> params = new HashMap<>();
    params.put(param, value);
    params.putIfAbsent("trust-proxy", "1");
    assertThatThrownBy(() -> FilterRuns.initialised(params))
        .isInstanceOf(ServletException.class)
        .hasMessageContaining("init-param " + param)
        .hasMessageNotContaining(SENTINEL)
        .hasMessageNotContaining("127.0.0.1");
  }

  @Test
  void aNameInTheCodeApiFailsUnresolved() {
    for (String value : List.of("evil.example", "localhost", "proxy/8")) {
      assertThatThrownBy(() -> TrustProxyFilter.trusting(value))
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessageContaining("trust-proxy").hasMessageNotContaining(SENTINEL);
      assertThatThrownBy(() -> IpRangeSet.parse("trusted-peers", value))
          .isInstanceOf(IllegalArgumentException.class).hasMessageNotContaining(SENTINEL);
    }
  }

  // ---- the real deployment ------------------------------------------------------------------

  private static Server server;
  private static int port;

  @BeforeAll
  static void startServer() throws Exception {
    ContextHandlerCollection contexts = new ContextHandlerCollection();
    contexts.addHandler(EmbeddedJetty.codeContext("/all-xff", TrustProxyFilter.trusting("true")));
    contexts.addHandler(EmbeddedJetty.codeContext("/all-forwarded",
        new TrustProxyFilter(ClientResolver.of(TrustPolicy.all()), Forwarding.Headers.FORWARDED)));
    contexts.addHandler(EmbeddedJetty.webApp("/xml-xff", "xff"));
    server = EmbeddedJetty.start(contexts);
    port = EmbeddedJetty.port(server);
  }

  @AfterAll
  static void stopServer() throws Exception {
    EmbeddedJetty.stop(server);
  }

  static Stream<Object[]> deployedNameCases() {
    return Stream.of(
        new Object[] {"/all-xff", TestRequest.lines("X-Forwarded-For: evil.example"), "127.0.0.1"},
        new Object[] {"/all-xff", TestRequest.lines("X-Forwarded-For: client", "X-Forwarded-For: proxy"),
            "127.0.0.1"},
        new Object[] {"/all-xff", TestRequest.lines("X-Forwarded-For: 203.0.113.7, garbage"), "127.0.0.1"},
        new Object[] {"/all-xff", TestRequest.lines("Host: example.com", "X-Forwarded-For: myrouter",
            "X-Forwarded-Host: evil.example:8443", "X-Forwarded-Proto: https"), "127.0.0.1"},
        new Object[] {"/all-forwarded",
            TestRequest.lines("Forwarded: for=evil.example;host=example.com;proto=https"), "127.0.0.1"},
        new Object[] {"/all-forwarded", TestRequest.lines("Forwarded: for=\"proxy:80\", for=client"),
            "127.0.0.1"},
        new Object[] {"/xml-xff", TestRequest.lines("X-Forwarded-For: attacker-controlled.dns"),
            "127.0.0.1"},
        new Object[] {"/xml-xff", TestRequest.lines("X-Forwarded-For: unknown, 203.0.113.7"),
            "203.0.113.7"});
  }

  @ParameterizedTest(name = "{0} {index}")
  @MethodSource("deployedNameCases")
  void deployedFilterNeverResolvesAName(String path, List<String[]> headers, String client)
      throws Exception {
    HttpResult result = EmbeddedJetty.get(port, path + "/echo", headers);
    assertThat(result.status()).as(result.head()).isEqualTo(200);
    assertThat(result.head() + result.body()).doesNotContain(SENTINEL);
    assertThat(result.echo()).as(result.body())
        .containsEntry("remoteAddr", client).containsEntry("remoteHost", client);
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("namedWebXml")
  void deployedWebXmlWithANameFailsStartUpUnresolved(String webapp, String quoted)
      throws Exception {
    WebAppContext context = EmbeddedJetty.webApp("/named", webapp);
    Server named = EmbeddedJetty.start(context);
    try {
      assertThat(context.isAvailable()).isFalse();
      String messages = EmbeddedJetty.messages(context.getUnavailableException());
      assertThat(messages).contains(quoted).doesNotContain(SENTINEL);
    } finally {
      EmbeddedJetty.stop(named);
    }
  }

  static Stream<Object[]> namedWebXml() {
    return Stream.of(
        new Object[] {"trust-host-name", "init-param trust-proxy: 'evil.example'"},
        new Object[] {"trusted-peers-host-name", "init-param trusted-peers: 'proxy'"});
  }

  // ---- a static guard on the main code ------------------------------------------------------

  /** Calls that resolve names (or may), in source text with comments and literals blanked. */
  static final Map<String, Pattern> FORBIDDEN_CALLS = Map.of(
      "InetAddress.getByName", Pattern.compile("\\bgetByName\\b"),
      "InetAddress.getAllByName", Pattern.compile("\\bgetAllByName\\b"),
      "getCanonicalHostName", Pattern.compile("\\bgetCanonicalHostName\\b"),
      "getHostName( (a reverse lookup)", Pattern.compile("\\bgetHostName\\b"),
      "InetAddress.getLocalHost (resolves this machine's name)",
      Pattern.compile("\\bgetLocalHost\\b"));

  private static final Pattern NEW_SOCKET_ADDRESS =
      Pattern.compile("\\bnew\\s+(?:java\\.net\\.)?InetSocketAddress\\s*\\(");
  private static final Pattern STRINGY_ARGUMENT = Pattern.compile(
      "\"|toString|getHeader|getRemoteAddr|getRemoteHost|getServerName|getHostString|substring"
          + "|strip|trim|String\\.");

  static Path repositoryRoot() {
    return hostsFile().toAbsolutePath().getParent().getParent();
  }

  static List<Path> mainSourceTrees() {
    Path root = repositoryRoot();
    List<Path> trees = new ArrayList<>();
    for (String module : List.of("filter-core", "jetty-connector")) {
      Path tree = root.resolve(module).resolve("src/main/java");
      if (Files.isDirectory(tree)) {
        trees.add(tree);
      }
    }
    return trees;
  }

  @Test
  void mainSourcesNeverCallANameLookup() throws IOException {
    List<Path> trees = mainSourceTrees();
    assertThat(trees).as("main source trees under %s", repositoryRoot())
        .contains(repositoryRoot().resolve("filter-core/src/main/java"));
    List<String> violations = new ArrayList<>();
    int files = 0;
    for (Path tree : trees) {
      try (Stream<Path> walk = Files.walk(tree)) {
        for (Path file : walk.filter(p -> p.toString().endsWith(".java")).sorted().toList()) {
          files++;
          String source = Files.readString(file, StandardCharsets.UTF_8);
          for (String hit : nameLookups(source)) {
            violations.add(repositoryRoot().relativize(file) + ":" + hit);
          }
        }
      }
    }
    assertThat(files).as("java files scanned").isGreaterThanOrEqualTo(10);
    assertThat(violations)
        .as("main code must never resolve a name (docs/behaviour.md §3, §6): parse literals with IpAddress,"
            + " build socket addresses with new InetSocketAddress(ip.toInetAddress(), port)")
        .isEmpty();
  }

  /** The guard itself: it finds calls in code and ignores them in comments and strings. */
  @Test
  void sourceGuardFindsCallsInCodeOnly() {
    String source = """
        /** Not {@code InetAddress.getByName(x)}: it resolves. */
        class X {
          // getCanonicalHostName() here is a comment
          String s = "InetAddress.getAllByName(h)";
          void a(String host, InetAddress ip) throws Exception {
            InetAddress.getByName(host);
            new InetSocketAddress(host, 80);
            new java.net.InetSocketAddress("example.com", 80);
            new InetSocketAddress(ip, 80);
            new InetSocketAddress(80);
            ip.getHostName();
          }
        }
        """;
    assertThat(nameLookups(source)).containsExactly(
        "6: InetAddress.getByName",
        "11: getHostName( (a reverse lookup)",
        "7: new InetSocketAddress(host, ...) with a String host",
        "8: new InetSocketAddress(\"\", ...) with a String host");
  }

  /** {@code "line: what"} for each lookup in {@code source}. */
  static List<String> nameLookups(String source) {
    String code = codeOnly(source);
    List<String> hits = new ArrayList<>();
    for (var entry : FORBIDDEN_CALLS.entrySet().stream()
        .sorted(Map.Entry.comparingByKey()).toList()) {
      Matcher m = entry.getValue().matcher(code);
      while (m.find()) {
        hits.add(lineOf(code, m.start()) + ": " + entry.getKey());
      }
    }
    Matcher m = NEW_SOCKET_ADDRESS.matcher(code);
    while (m.find()) {
      String first = firstArgument(code, m.end());
      if (first == null) {
        continue; // one argument: new InetSocketAddress(port), the wildcard address
      }
      boolean declaredString = first.matches("[A-Za-z_$][A-Za-z0-9_$]*")
          && Pattern.compile("\\bString\\s+" + Pattern.quote(first) + "\\b").matcher(code).find();
      if (declaredString || STRINGY_ARGUMENT.matcher(first).find()) {
        hits.add(lineOf(code, m.start()) + ": new InetSocketAddress(" + first
            + ", ...) with a String host");
      }
    }
    return hits;
  }

  /** The first argument's text when there are two or more, else null. */
  private static String firstArgument(String code, int from) {
    int depth = 0;
    for (int i = from; i < code.length(); i++) {
      char c = code.charAt(i);
      if (c == '(' || c == '[' || c == '{') {
        depth++;
      } else if (c == ')' || c == ']' || c == '}') {
        if (depth-- == 0) {
          return null;
        }
      } else if (c == ',' && depth == 0) {
        return code.substring(from, i).strip();
      }
    }
    return null;
  }

  private static int lineOf(String text, int index) {
    int line = 1;
    for (int i = 0; i < index; i++) {
      if (text.charAt(i) == '\n') {
        line++;
      }
    }
    return line;
  }

  /** Java source with comments removed and string/char literals emptied; newlines kept. */
  static String codeOnly(String src) {
    StringBuilder out = new StringBuilder(src.length());
    int n = src.length();
    int i = 0;
    while (i < n) {
      char c = src.charAt(i);
      int skipTo;
      String replacement;
      if (src.startsWith("//", i)) {
        int end = src.indexOf('\n', i);
        skipTo = end < 0 ? n : end;
        replacement = "";
      } else if (src.startsWith("/*", i)) {
        int end = src.indexOf("*/", i + 2);
        skipTo = end < 0 ? n : end + 2;
        replacement = " ";
      } else if (src.startsWith("\"\"\"", i)) {
        int end = src.indexOf("\"\"\"", i + 3);
        skipTo = end < 0 ? n : end + 3;
        replacement = "\"\"";
      } else if (c == '"' || c == '\'') {
        int j = i + 1;
        while (j < n && src.charAt(j) != c && src.charAt(j) != '\n') {
          j += src.charAt(j) == '\\' ? 2 : 1;
        }
        skipTo = Math.min(j + 1, n);
        replacement = c == '"' ? "\"\"" : "' '";
      } else {
        out.append(c);
        i++;
        continue;
      }
      out.append(replacement);
      for (int k = i; k < skipTo; k++) {
        if (src.charAt(k) == '\n') {
          out.append('\n');
        }
      }
      i = skipTo;
    }
    return out.toString();
  }

  // ---- the same guard on the compiled classes, exact for every call form ----------------------

  @Test
  void compiledMainClassesNeverReferenceANameLookup() throws IOException, URISyntaxException {
    Path classes = Path.of(TrustProxyFilter.class.getProtectionDomain().getCodeSource()
        .getLocation().toURI());
    List<Path> roots = new ArrayList<>(List.of(classes));
    Path connector = repositoryRoot().resolve("jetty-connector/target/classes");
    if (Files.isDirectory(connector)) {
      roots.add(connector);
    }
    List<String> violations = new ArrayList<>();
    int scanned = 0;
    for (Path root : roots) {
      try (Stream<Path> walk = Files.walk(root)) {
        for (Path file : walk.filter(p -> p.toString().endsWith(".class")).sorted().toList()) {
          scanned++;
          for (String ref : nameLookupReferences(Files.readAllBytes(file))) {
            violations.add(root.relativize(file) + " -> " + ref);
          }
        }
      }
    }
    assertThat(scanned).as("class files scanned").isGreaterThanOrEqualTo(10);
    assertThat(violations).as("main classes must never call a name lookup").isEmpty();
  }

  /** The guard itself: this test class makes both kinds of call on purpose (see above). */
  @Test
  void bytecodeGuardFindsTheCallsThisTestMakes() throws IOException {
    byte[] bytes;
    try (var in = NoDnsTest.class.getResourceAsStream("NoDnsTest.class")) {
      bytes = in.readAllBytes();
    }
    assertThat(nameLookupReferences(bytes)).contains(
        "java/net/InetAddress.getByName(Ljava/lang/String;)Ljava/net/InetAddress;",
        "java/net/InetSocketAddress.<init>(Ljava/lang/String;I)V");
  }

  private static final Set<String> LOOKUP_METHODS =
      Set.of("getByName", "getAllByName", "getCanonicalHostName", "getHostName", "getLocalHost");

  /** Method references in a class file's constant pool that resolve names. */
  static Set<String> nameLookupReferences(byte[] classFile) throws IOException {
    DataInputStream in = new DataInputStream(new ByteArrayInputStream(classFile));
    if (in.readInt() != 0xCAFEBABE) {
      throw new IOException("not a class file");
    }
    in.readUnsignedShort();
    in.readUnsignedShort();
    int count = in.readUnsignedShort();
    int[] tags = new int[count];
    String[] utf8 = new String[count];
    int[] a = new int[count];
    int[] b = new int[count];
    for (int i = 1; i < count; i++) {
      int tag = in.readUnsignedByte();
      tags[i] = tag;
      switch (tag) {
        case 1 -> utf8[i] = in.readUTF();
        case 7, 8, 16, 19, 20 -> a[i] = in.readUnsignedShort();
        case 3, 4 -> in.readInt();
        case 5, 6 -> {
          in.readLong();
          i++; // takes two slots
        }
        case 9, 10, 11, 12, 17, 18 -> {
          a[i] = in.readUnsignedShort();
          b[i] = in.readUnsignedShort();
        }
        case 15 -> {
          in.readUnsignedByte();
          a[i] = in.readUnsignedShort();
        }
        default -> throw new IOException("unknown constant pool tag " + tag);
      }
    }
    Set<String> found = new LinkedHashSet<>();
    for (int i = 1; i < count; i++) {
      if (tags[i] != 10 && tags[i] != 11) {
        continue; // Methodref and InterfaceMethodref; method handles point at these too
      }
      String owner = utf8[a[a[i]]];
      String name = utf8[a[b[i]]];
      String descriptor = utf8[b[b[i]]];
      boolean inetAddress = owner.matches("java/net/Inet[46]?Address");
      boolean lookup = (inetAddress || owner.equals("java/net/InetSocketAddress"))
          && LOOKUP_METHODS.contains(name);
      boolean stringSocketAddress = owner.equals("java/net/InetSocketAddress")
          && name.equals("<init>") && descriptor.startsWith("(Ljava/lang/String;");
      if (lookup || stringSocketAddress) {
        found.add(owner + "." + name + descriptor);
      }
    }
    return found;
  }
}

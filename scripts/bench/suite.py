#!/usr/bin/env python3
"""What scripts/bench/run-all.sh runs and scripts/bench/report.py reports: the one list.

HOOK POINTS (one line each):
  - a JMH benchmark class: one Jmh(...) line in JMH. run-all.sh runs it in the same JMH run as
    the others (a class missing from the build is skipped with a line in the report);
    report.py gives it a table: one row per @Param combination, time and B/op per method, and
    the same-run ratios named in `ratios`.
  - an end-to-end script: one E2e(...) line in E2E. The script takes OUT_DIR CLASSPATH, sources
    e2e-lib.sh, starts its server (the lib's `start_server CLASS` on the benchmarks classpath, or
    its own start that sets `server_pid` so the lib's cleanup stops it), checks every contender's
    answer (`check`, `check_raw`), defines `target MODE CONTENDER` and measures with the lib's
    `measure MODE BASELINE CONTENDER...`, which writes OUT_DIR/<script name>.csv; report.py gives
    every mode a table with per-round ratios to the baseline. A missing script is skipped with a
    line. e2e-tomcat.sh is the shortest example. A script that runs an application of another
    module names it in `module`: run-all.sh builds that module's test classpath with the
    benchmarks (before the measurements) and passes it as CLASSPATH (e2e-boot.sh).
  - a target: one Target(...) line in TARGETS, see Target.

Used from the shell: `suite.py jmh` prints the class names, `suite.py e2e` the script names,
`suite.py module SCRIPT` the Maven module whose test classpath SCRIPT takes (empty: the
benchmarks classpath),
`suite.py estimate F WI W I R < jmh-lp.txt` (JMH's -f -wi -w -i -r values) the JMH points and
minutes.
"""
import fnmatch
import sys
from dataclasses import dataclass, field


@dataclass(frozen=True)
class Jmh:
    cls: str  # fully qualified benchmark class
    title: str
    about: str = ""  # markdown: what runs and how each contender is configured
    ratios: tuple = ()  # (numerator method, denominator method): same-run ratio columns
    columns: tuple = ()  # @Param names in table order (default: sorted)
    join: str = ""  # short class name whose table this class's methods join (rows matched on
    #                 the params both have), instead of a table of its own
    sizes: tuple = ()  # (param, column title, file in the results folder: "value size" lines)

    @property
    def name(self):
        return self.cls.rsplit(".", 1)[1]


@dataclass(frozen=True)
class E2e:
    script: str  # file name in scripts/bench
    title: str
    about: str = ""
    module: str = ""  # a Maven module whose test classpath the script takes (run-all.sh builds
    #                   it) instead of the benchmarks module's runtime classpath

    @property
    def name(self):
        return self.script[:-3] if self.script.endswith(".sh") else self.script


@dataclass(frozen=True)
class Target:
    """A goal checked against this run's figures.

    `expr` is `SELECTOR [/ SELECTOR] OP BOUND`, OP one of >= > <= <. A selector is
    `Source.name[param=glob,...][:alloc]`: Source is a JMH class's short name (name a method) or
    an end-to-end script's name (name a contender; `mode` is a param). `:alloc` takes B/op
    instead of the time. In a ratio, two results pair when they agree on every param they both
    have, except a param both sides constrain differently (`entries=10000` over `entries=3`).
    A JMH row meets the bound only when its whole error bar clears it; an end-to-end ratio is
    taken per round, and is met when every round clears it.
    """
    label: str
    expr: str


ENTRIES_AND_INPUTS = """Every contender gets the same `BenchRequest` (a fixed `HttpServletRequest` \
written for the benchmarks, allocation-free, not a mock) from peer 10.0.0.1 / fd00::1 with \
`X-Forwarded-For: [prepended public entries...,] client, proxy3, proxy2` (1, 3, 10 or 10,000 \
entries); the chain reads `getRemoteAddr()`, which the benchmark returns. Trust `hops` = \
`TrustPolicy.hops(3)`, `ranges` = `10.0.0.0/8, 192.168.0.0/16, fc00::/7`; both stop the walk at \
the client 203.0.113.7 / 2001:db8::7. Tomcat 10.1 has only regular expressions: `ranges` → \
`internalProxies` = `10\\.\\d{1,3}\\.\\d{1,3}\\.\\d{1,3}|192\\.168\\.\\d{1,3}\\.\\d{1,3}|f[cd][0-9a-f]{0,2}:.*`; \
it has no hop count, so `hops` → `internalProxies` = the peer and both proxies exactly, which \
walks the same entries to the same answer."""

JMH = [
    Jmh("dev.trustproxy.benchmarks.ClientResolutionBenchmark",
        "Client resolution: trustproxy filter, the walk alone, Tomcat RemoteIpFilter, Spring "
        "ForwardedHeaderFilter",
        ENTRIES_AND_INPUTS + """

- `trustproxyFilter`: `TrustProxyFilter.doFilter`; `trustproxyWalk`: \
`ClientResolver.resolve(peer, header)` alone, returning the `Resolution`.
- `containerFloor` is not a contender: `ContainerFloorFilter` does only the container work any \
trust-proxy filter does on this request, with the answer given (read the peer, every \
X-Forwarded-For line and X-Forwarded-Proto/Host/Port, set one attribute, wrap the request). \
`tomcatRemoteIpFilter ÷ containerFloor` is the most any filter could reach against \
RemoteIpFilter on that row; `containerFloor + trustproxyWalk` is the least the filter can take \
with this walk.
- `tomcatRemoteIpFilter`: Tomcat's `RemoteIpFilter.doFilter` (tomcat-embed-core 10.1), other \
settings default.
- `springForwardedHeaderFilter` (`SpringClientResolutionBenchmark`): spring-web's \
`ForwardedHeaderFilter`, defaults. It has no trust setting (it believes the left-most entry from \
any peer, so on 10 and 10,000 entries it answers the prepended 198.51.100.1), so its figures \
stand in both trust rows.""",
        ratios=(("tomcatRemoteIpFilter", "trustproxyFilter"),
                ("springForwardedHeaderFilter", "trustproxyFilter"),
                ("tomcatRemoteIpFilter", "containerFloor")),
        columns=("trust", "family", "entries")),
    Jmh("dev.trustproxy.benchmarks.SpringClientResolutionBenchmark", "",
        join="ClientResolutionBenchmark"),
    Jmh("dev.trustproxy.WalkCostBenchmark",
        "Where the walk's time goes (#10)",
        """The 3-entry request of the client resolution table (`client, proxy3, proxy2`, hop count \
3), each step of the walk measured alone on the same header: `walk` = `ClientResolver.resolve`; \
`delimit` = finding the three entries from the right (`Entries.elementStart`, `Entries.value`) \
without parsing them; `parse` = the three entries parsed from their spans as the walk parses \
them (a dotted quad first, then IPv6); `parseFamily` = the same with the family's parser alone \
(`parse − parseFamily` is what trying a quad first costs an IPv6 entry); `readChars` = every \
character of the header read once through `CharSequence.charAt`, the least any reader of the \
text pays; `clientText` = the client's text the filter returns (`Resolution.clientText`, a copy \
of the entry), from a walk done beforehand. `walk` ≈ `delimit` + `parse` + the `Resolution`.""",
        columns=("family",)),
    Jmh("dev.trustproxy.benchmarks.TrustProxyValveBenchmark",
        "Tomcat valve: TrustProxyValve vs RemoteIpValve",
        """Each valve's `invoke` on a real Tomcat `Request` with the same inputs as the client \
resolution table; the next valve reads `getRemoteAddr()`. `containerFloor` is not a contender: \
`ContainerFloorValve` does only the Tomcat work both valves do on this request, with the answer \
given (read the peer and the four forwarding headers; set the address, the host, the access-log \
and status attributes, the valve's own two; call the next valve; restore). \
`tomcatRemoteIpValve ÷ containerFloor` is the most any valve could reach against RemoteIpValve \
on that row.""",
        ratios=(("tomcatRemoteIpValve", "trustproxyValve"),
                ("tomcatRemoteIpValve", "containerFloor")),
        columns=("trust", "family", "entries")),
    Jmh("dev.trustproxy.jetty.ProxyParseBenchmark",
        "PROXY header parsing: trustproxy vs Netty",
        """The same bytes to trustproxy's `ProxyHeaderParser.parse` (`trustproxy` returns the \
source address; `trustproxySocketAddress` also builds the `InetSocketAddress` Jetty asks for) \
and to Netty's `HAProxyMessageDecoder.decode` (netty-codec-haproxy), called directly on one \
reused decoder whose `finished` flag is cleared before each header (which leaves the per-connection \
decoder allocation out of Netty's figures, in its favour); the message is released. Netty does \
not verify CRC32C; trustproxy does.""",
        ratios=(("netty", "trustproxy"), ("netty", "trustproxySocketAddress")),
        columns=("header",), sizes=("header", "bytes", "header-sizes.txt")),
    Jmh("dev.trustproxy.benchmarks.RangeSetBenchmark",
        "Trusted ranges at scale: the walk with 3 vs 10,000 ranges (#14)",
        """`RangeSetBenchmark.walk`: `ClientResolver.resolve(peer, header)` on the 3-entry request \
of the client resolution table (`client, proxy3, proxy2` from peer 10.0.0.1 / fd00::1, `family` \
= `ipv4` or `ipv6`), returning the `Resolution`. `ranges`: `3` = the list `10.0.0.0/8, \
192.168.0.0/16, fc00::/7`; `10000` = `TrustPolicy.ranges(IpRangeSet.of(...))` of the 10,000 \
ranges `RangeLists` generates (the same every run: about 70% IPv4 /16–/28, 30% IPv6 /32–/64, \
plus those 3, so every walk stops at the same client); `10000-file` = the same list written to a \
temporary file and trusted as `file:/tmp/...` through a `RangeSource` (what a user configures, \
with its one volatile read per walk). The 10,000 ÷ 3 ratios are in the targets.""",
        columns=("family", "ranges")),
    Jmh("dev.trustproxy.benchmarks.RangeReloadBenchmark",
        "Range files: loading 10,000 prefixes (#14)",
        """`format`: `text` = a file of the 10,000 `RangeLists` prefixes, one a line (about \
167 KB); `aws` = the same prefixes as AWS `ip-ranges.json` (about 1.3 MB), read with \
`#service=CLOUDFRONT_ORIGIN_FACING`. `load` = `RangeSource.parse` of the `file:` item, what \
start-up and the reload of a changed file do (read, decode, parse every prefix, build the set); \
`pollUnchanged` = `RangeSource.reload()` when the file did not change (read it, compare the \
bytes), done every reload interval.""",
        columns=("format",)),
]

E2E = [
    E2e("e2e.sh", "End to end on embedded Jetty 12",
        """All contenders in one JVM (`E2eServer`), same servlet (prints `getRemoteAddr()`). \
`none` = plain `ServerConnector`; `noop-filter` = a filter that only calls the chain; \
`trustproxy-filter` trusts `loopback, 10.0.0.0/8`; `jetty-forwarded` = \
`ForwardedRequestCustomizer` defaults (no trust model); `jetty-proxy` = stock \
`ProxyConnectionFactory`; `trustproxy-proxy` = `ProxyProtocolConnectionFactory` with \
`trustedSources=loopback`. Keep-alive PROXY load goes through haproxy `mode tcp` with \
`send-proxy-v2` (one header per connection); the `-close` modes send a PROXY header on every new \
connection from a wrk Lua script."""),
    E2e("e2e-tomcat.sh", "End to end on embedded Tomcat: TrustProxyValve",
        "`TomcatE2eServer`: `tomcat-none` (no valve), `tomcat-valve` (`TrustProxyValve`), "
        "`tomcat-remoteip` (`RemoteIpValve`, for reference); X-Forwarded-For from a trusted "
        "peer, keep-alive."),
    E2e("e2e-tomcat-proxy.sh", "End to end on embedded Tomcat: PROXY connector",
        "`TomcatProxyE2eServer`: `tomcat-proxy` (`TrustProxyHttp11NioProtocol`, a PROXY header "
        "on every connection) against `tomcat-plain` (Tomcat's NIO connector), one request per "
        "connection."),
    E2e("e2e-boot.sh", "End to end on Spring Boot 3.5 (Tomcat): the starter vs native (#12)",
        """The starter's test application (`spring-boot/tests/shared`: Spring MVC, Security and \
Actuator on embedded Tomcat 10.1), `GET /hello`, each contender in its own JVM: `boot-starter` \
(`trustproxy.trust-proxy=loopback,10.0.0.0/8`, `server.forward-headers-strategy=none`: \
`TrustProxyValve`) against `boot-native` (`trustproxy.enabled=false`, \
`server.forward-headers-strategy=native`: Boot's `RemoteIpValve`); X-Forwarded-For from a \
trusted peer, keep-alive. A Boot JVM needs a long warm-up before its throughput is steady (a 4 s \
or 20 s warm-up gave ratios that only measured how far each JIT had got), so each contender gets \
`E2E_BOOT_WARMUP` (60 s in run-all.sh) of load before the rounds.""",
        module="spring-boot/tests/boot35-tomcat"),
]

TARGETS = [
    Target("filter ≥ 5× Tomcat `RemoteIpFilter` (#10)",
           "ClientResolutionBenchmark.tomcatRemoteIpFilter / "
           "ClientResolutionBenchmark.trustproxyFilter >= 5"),
    Target("ceiling, not a goal: a filter doing only the container's share (`containerFloor`) "
           "would be ≥ 5× `RemoteIpFilter`",
           "ClientResolutionBenchmark.tomcatRemoteIpFilter / "
           "ClientResolutionBenchmark.containerFloor >= 5"),
    Target("filter ≥ 5× Spring `ForwardedHeaderFilter`",
           "SpringClientResolutionBenchmark.springForwardedHeaderFilter / "
           "ClientResolutionBenchmark.trustproxyFilter >= 5"),
    Target("walk < 100 ns at 3 entries", "ClientResolutionBenchmark.trustproxyWalk[entries=3] < 100"),
    Target("walk allocates only its result, the 80 B `Resolution` (#10: one allocation per walk; "
           "README D72, D115)",
           "ClientResolutionBenchmark.trustproxyWalk:alloc <= 80"),
    Target("walk: 10,000 entries within 2× of 3",
           "ClientResolutionBenchmark.trustproxyWalk[entries=10000] / "
           "ClientResolutionBenchmark.trustproxyWalk[entries=3] <= 2"),
    Target("filter: 10,000 entries within 2× of 3",
           "ClientResolutionBenchmark.trustproxyFilter[entries=10000] / "
           "ClientResolutionBenchmark.trustproxyFilter[entries=3] <= 2"),
    Target("`TrustProxyValve` ≥ 5× `RemoteIpValve` (#11)",
           "TrustProxyValveBenchmark.tomcatRemoteIpValve / "
           "TrustProxyValveBenchmark.trustproxyValve >= 5"),
    Target("ceiling, not a goal: a valve doing only Tomcat's share (`containerFloor`) would be "
           "≥ 5× `RemoteIpValve`; where it is not, #11's bound cannot be reached on that row",
           "TrustProxyValveBenchmark.tomcatRemoteIpValve / "
           "TrustProxyValveBenchmark.containerFloor >= 5"),
    Target("PROXY v1 parsing ≥ 2× Netty (#11)",
           "ProxyParseBenchmark.netty[header=v1-*] / ProxyParseBenchmark.trustproxy[header=v1-*] >= 2"),
    Target("PROXY v2 parsing ≥ 3× Netty (#11)",
           "ProxyParseBenchmark.netty[header=v2-*] / ProxyParseBenchmark.trustproxy[header=v2-*] >= 3"),
    Target("PROXY v2 parse < 100 ns (addresses only)",
           "ProxyParseBenchmark.trustproxy[header=v2-tcp?] < 100"),
    Target("Jetty: trustproxy filter ≥ 0.97 of no filter",
           "e2e.trustproxy-filter[mode=xff-*] / e2e.none[mode=xff-*] >= 0.97"),
    Target("Jetty: trustproxy PROXY connector ≥ 0.97 of Jetty's",
           "e2e.trustproxy-proxy[mode=proxy-*] / e2e.jetty-proxy[mode=proxy-*] >= 0.97"),
    Target("Tomcat: `TrustProxyValve` ≥ 0.97 of no valve (#11)",
           "e2e-tomcat.tomcat-valve / e2e-tomcat.tomcat-none >= 0.97"),
    Target("Tomcat: PROXY connector ≥ 0.95 of the plain connector, new connection per request (#11)",
           "e2e-tomcat-proxy.tomcat-proxy / e2e-tomcat-proxy.tomcat-plain >= 0.95"),
    Target("walk with 10,000 ranges (in code and from a file) within 1.5× of 3 ranges, IPv4 and "
           "IPv6 (#14)",
           "RangeSetBenchmark.walk[ranges=10000*] / RangeSetBenchmark.walk[ranges=3] <= 1.5"),
    Target("walk with 10,000 ranges allocates no more than with 3 (matching allocates nothing)",
           "RangeSetBenchmark.walk[ranges=10000*]:alloc / RangeSetBenchmark.walk[ranges=3]:alloc <= 1"),
    Target("start-up / reload of a 10,000-prefix file < 100 ms (100,000 µs) (#14)",
           "RangeReloadBenchmark.load < 100000"),
    Target("Spring Boot: starter ≥ 0.95 of `forward-headers-strategy=native` (#12 names no bound: "
           "the ratio is the result; 0.95 marks \"no slower within this machine's noise\")",
           "e2e-boot.boot-starter / e2e-boot.boot-native >= 0.95"),
]


@dataclass(frozen=True)
class Selector:
    source: str
    name: str
    params: dict = field(default_factory=dict)
    alloc: bool = False

    def matches(self, source, name, params):
        return (source == self.source and name == self.name
                and all(k in params and fnmatch.fnmatchcase(str(params[k]), v)
                        for k, v in self.params.items()))


def parse_selector(text):
    alloc = text.endswith(":alloc")
    if alloc:
        text = text[:-len(":alloc")]
    params = {}
    if "[" in text:
        text, rest = text.split("[", 1)
        for item in rest.rstrip("]").split(","):
            k, v = item.split("=", 1)
            params[k.strip()] = v.strip()
    source, name = text.split(".", 1)
    return Selector(source, name, params, alloc)


def parse_target(expr):
    """(numerator, denominator or None, op, bound) from a Target's expr."""
    tokens = expr.split()
    if len(tokens) == 5 and tokens[1] == "/":
        num, den, op, bound = tokens[0], tokens[2], tokens[3], tokens[4]
    elif len(tokens) == 3:
        num, den, op, bound = tokens[0], None, tokens[1], tokens[2]
    else:
        raise ValueError(f"target '{expr}': expected 'SELECTOR [/ SELECTOR] OP BOUND'")
    if op not in (">=", ">", "<=", "<"):
        raise ValueError(f"target '{expr}': operator '{op}', expected one of >= > <= <")
    return parse_selector(num), parse_selector(den) if den else None, op, float(bound)


def pairs_with(num, den, a_params, b_params):
    """Whether a numerator result with a_params pairs with a denominator one with b_params."""
    for k in set(a_params) & set(b_params):
        differs = k in num.params and k in den.params and num.params[k] != den.params[k]
        if not differs and a_params[k] != b_params[k]:
            return False
    return True


def estimate(lp_text, forks, warmup_s, measure_s):
    """JMH points in `-lp` output, and the minutes they take in `forks` forks (0: in the JMH
    process) of warm-up + measurement + about 0.6 s of fork start and set-up (0.5 s measured on
    the 2-core machine at load 2.5, 1.2 s at load 7-13)."""
    points, current = 0, None
    for line in lp_text.splitlines():
        line = line.strip()
        if line.startswith("dev.") or line.startswith("org."):
            if current is not None:
                points += current
            current = 1
        elif line.startswith("param ") and current is not None:
            current *= line.count(",") + 1
    if current is not None:
        points += current
    return points, points * max(forks, 1) * (warmup_s + measure_s + (0.6 if forks else 0.05)) / 60


def seconds(jmh_time):
    """Seconds in a JMH time value: 500ms, 1s, 2m."""
    for suffix, factor in (("ms", 0.001), ("us", 1e-6), ("ns", 1e-9), ("s", 1), ("m", 60)):
        if jmh_time.endswith(suffix):
            return float(jmh_time[:-len(suffix)]) * factor
    return float(jmh_time)


if __name__ == "__main__":
    what = sys.argv[1] if len(sys.argv) > 1 else ""
    if what == "jmh":
        print("\n".join(j.cls for j in JMH))
    elif what == "e2e":
        print("\n".join(e.script for e in E2E))
    elif what == "module":  # the module of one script, or nothing
        print("".join(e.module for e in E2E if e.script == sys.argv[2]))
    elif what == "estimate":
        f, wi, w, i, r = sys.argv[2:7]
        n, minutes = estimate(sys.stdin.read(), int(f), int(wi) * seconds(w), int(i) * seconds(r))
        print(f"{n} {minutes:.1f}")
    elif what == "check":
        for t in TARGETS:
            parse_target(t.expr)
    else:
        sys.exit("usage: suite.py jmh|e2e|module SCRIPT|estimate F WI W I R|check")

#!/usr/bin/env python3
"""Tests of report.py and suite.py on hand-made results: python3 scripts/bench/report_test.py"""
import json
import os
import sys
import tempfile
import unittest

sys.dont_write_bytecode = True  # no __pycache__ in scripts/bench
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import report  # noqa: E402
import results  # noqa: E402
import suite  # noqa: E402
import targets  # noqa: E402


def jmh(cls, method, params, score, error, alloc):
    return {"benchmark": f"dev.trustproxy.benchmarks.{cls}.{method}", "params": params,
            "forks": 1, "warmupIterations": 3, "warmupTime": "500 ms",
            "measurementIterations": 6, "measurementTime": "500 ms", "jvmArgs": [],
            "primaryMetric": {"score": score, "scoreError": error, "scoreUnit": "ns/op"},
            "secondaryMetrics": {"gc.alloc.rate.norm": {"score": alloc}}}


def scores(*entries):
    return results.jmh_scores(list(entries))


def target(expr):
    return suite.Target("t", expr)


def report_of(files):
    """report.py's text for a results folder holding `files` (name: text, or JMH JSON as a list)."""
    with tempfile.TemporaryDirectory() as d:
        for name, content in files.items():
            with open(os.path.join(d, name), "w") as f:
                if isinstance(content, list):
                    json.dump(content, f)
                else:
                    f.write(content)
        return report.report(d)


class JmhTargets(unittest.TestCase):
    FILTER = [jmh("ClientResolutionBenchmark", "trustproxyFilter",
                  {"entries": e, "family": "ipv4", "trust": t}, 100.0, 5.0, 200.0)
              for e in ("3", "10000") for t in ("hops", "ranges")]

    def test_a_ratio_is_met_only_when_the_whole_error_bar_clears_the_bound(self):
        tomcat = [jmh("ClientResolutionBenchmark", "tomcatRemoteIpFilter",
                      {"entries": e, "family": "ipv4", "trust": t}, 600.0, err, 1000.0)
                  for e, err in (("3", 10.0), ("10000", 300.0)) for t in ("hops", "ranges")]
        text, verdict = targets.evaluate(target(
            "ClientResolutionBenchmark.tomcatRemoteIpFilter / "
            "ClientResolutionBenchmark.trustproxyFilter >= 5"), scores(*self.FILTER, *tomcat), [])
        self.assertEqual("partly met (2 of 4)", verdict)
        self.assertIn("3, ipv4, hops: 6.00×", text)

    def test_a_class_without_a_param_pairs_with_every_value_of_it(self):
        spring = [jmh("SpringClientResolutionBenchmark", "springForwardedHeaderFilter",
                      {"entries": e, "family": "ipv4"}, 1000.0, 1.0, 4000.0) for e in ("3", "10000")]
        text, verdict = targets.evaluate(target(
            "SpringClientResolutionBenchmark.springForwardedHeaderFilter / "
            "ClientResolutionBenchmark.trustproxyFilter >= 5"), scores(*self.FILTER, *spring), [])
        self.assertEqual("met", verdict)
        self.assertEqual(4, text.count("10.00×"))

    def test_params_constrained_differently_on_each_side_pair_across_values(self):
        walk = [jmh("ClientResolutionBenchmark", "trustproxyWalk", {"entries": e, "family": "ipv4",
                                                                    "trust": "hops"}, s, 1.0, 56.0)
                for e, s in (("3", 80.0), ("10000", 240.0))]
        text, verdict = targets.evaluate(target(
            "ClientResolutionBenchmark.trustproxyWalk[entries=10000] / "
            "ClientResolutionBenchmark.trustproxyWalk[entries=3] <= 2"), scores(*walk), [])
        self.assertEqual("**not met**", verdict)
        self.assertTrue(text.startswith("ipv4, hops: 3.00×"), text)

    def test_an_allocation_bound_compares_whole_bytes(self):
        walk = [jmh("ClientResolutionBenchmark", "trustproxyWalk", {"entries": "3", "family": f,
                                                                    "trust": "hops"}, 80.0, 1.0, a)
                for f, a in (("ipv4", 56.02), ("ipv6", 152.0))]
        text, verdict = targets.evaluate(target("ClientResolutionBenchmark.trustproxyWalk:alloc <= 56"),
                                        scores(*walk), [])
        self.assertEqual("partly met (1 of 2)", verdict)
        self.assertIn("3, ipv6, hops: 152 B/op", text)

    def test_a_glob_selects_rows_and_labels_them(self):
        parse = [jmh("ProxyParseBenchmark", m, {"header": h}, s, 1.0, 100.0)
                 for h in ("v1-tcp4", "v2-tcp4") for m, s in (("trustproxy", 50.0), ("netty", 200.0))]
        text, verdict = targets.evaluate(target(
            "ProxyParseBenchmark.netty[header=v1-*] / ProxyParseBenchmark.trustproxy[header=v1-*] >= 2"),
            scores(*parse), [])
        self.assertEqual("met", verdict)
        self.assertNotIn("v2-tcp4", text)
        self.assertIn("v1-tcp4: 4.00×", text)

    def test_a_benchmark_not_in_the_run_is_reported_as_not_measured(self):
        text, verdict = targets.evaluate(target("RangeSetBenchmark.walk[ranges=10000] / "
                                               "RangeSetBenchmark.walk[ranges=3] <= 1.5"),
                                        scores(*self.FILTER), [])
        self.assertEqual("not measured", verdict)
        self.assertIn("RangeSetBenchmark", text)

    RANGES = [jmh("RangeSetBenchmark", "walk", {"family": f, "ranges": r}, s, e, a)
              for f, a in (("ipv4", 56.0), ("ipv6", 152.0))
              for r, s, e in (("3", 100.0, 2.0), ("10000", 130.0, 2.0), ("10000-file", 160.0, 2.0))]

    def test_walk_with_10000_ranges_pairs_code_and_file_with_3_per_family(self):
        t = next(t for t in suite.TARGETS if t.expr.startswith("RangeSetBenchmark.walk[ranges=10000*] /"))
        text, verdict = targets.evaluate(t, scores(*self.RANGES), [])
        self.assertEqual("partly met (2 of 4)", verdict)
        for row in ("ipv4, 10000: 1.30×", "ipv4, 10000-file: 1.60×", "ipv6, 10000: 1.30×",
                    "ipv6, 10000-file: 1.60×"):
            self.assertIn(row, text)
        self.assertNotIn("ranges=3", text)

    def test_walk_with_10000_ranges_allocates_what_3_do(self):
        t = next(t for t in suite.TARGETS if ":alloc / RangeSetBenchmark" in t.expr)
        text, verdict = targets.evaluate(t, scores(*self.RANGES), [])
        self.assertEqual("met", verdict)
        more = [jmh("RangeSetBenchmark", "walk", {"family": "ipv4", "ranges": r}, 100.0, 1.0, a)
                for r, a in (("3", 56.0), ("10000", 80.0))]
        _, verdict = targets.evaluate(t, scores(*more), [])
        self.assertEqual("**not met**", verdict)

    def test_a_range_file_loads_under_100_ms_in_microseconds(self):
        t = next(t for t in suite.TARGETS if t.expr.startswith("RangeReloadBenchmark.load "))
        load = [jmh("RangeReloadBenchmark", "load", {"format": f}, s, e, 1.0)
                for f, s, e in (("text", 15_000.0, 5_000.0), ("aws", 80_000.0, 30_000.0))]
        text, verdict = targets.evaluate(t, scores(*load), [])
        self.assertEqual("partly met (1 of 2)", verdict)
        self.assertIn("text: 15,000.0 ± 5,000.0 ns/op", text)
        poll = [jmh("RangeReloadBenchmark", "pollUnchanged", {"format": "text"}, 1.0, 0.1, 1.0)]
        self.assertEqual("not measured", targets.evaluate(t, scores(*poll), [])[1])

    def test_every_suite_target_parses(self):
        for t in suite.TARGETS:
            suite.parse_target(t.expr)
        with self.assertRaises(ValueError):
            suite.parse_target("A.b / C.d == 2")


class EndToEnd(unittest.TestCase):
    def results(self, rows):
        with tempfile.TemporaryDirectory() as d:
            with open(os.path.join(d, "e2e-tomcat.csv"), "w") as f:
                f.write("mode,contender,baseline,round,order,requests_per_sec,errors\n")
                f.writelines(f"xff-keepalive,{c},tomcat-none,{r},0,{v},0\n" for c, r, v in rows)
            return results.e2e_results(d)

    def test_ratios_are_taken_within_each_round(self):
        wrks = self.results([("tomcat-none", 1, 100), ("tomcat-valve", 1, 98),
                             ("tomcat-none", 2, 200), ("tomcat-valve", 2, 190),
                             ("tomcat-none", 3, 100), ("tomcat-valve", 3, 99)])
        text, verdict = targets.evaluate(target("e2e-tomcat.tomcat-valve / e2e-tomcat.tomcat-none >= 0.97"),
                                        [], wrks)
        self.assertEqual("met by the median; rounds spread across the bound", verdict)
        self.assertEqual("xff-keepalive: median 0.980 (rounds 0.950 – 0.990)", text)

    def test_every_round_above_the_bound_is_met(self):
        wrks = self.results([("tomcat-none", 1, 100), ("tomcat-valve", 1, 99)])
        _, verdict = targets.evaluate(target("e2e-tomcat.tomcat-valve / e2e-tomcat.tomcat-none >= 0.97"),
                                     [], wrks)
        self.assertEqual("met in every round", verdict)


class SpringBoot(unittest.TestCase):
    CSV = "mode,contender,baseline,round,order,requests_per_sec,errors\n" + "".join(
        f"xff-keepalive,{c},boot-native,{r},{k},{v},0\n"
        for c, r, k, v in (("boot-native", 1, 0, 1000), ("boot-starter", 1, 1, 1040),
                           ("boot-starter", 2, 0, 1100), ("boot-native", 2, 1, 1000)))

    def test_the_starter_over_native_is_taken_per_round(self):
        t = next(t for t in suite.TARGETS if t.expr.startswith("e2e-boot."))
        with tempfile.TemporaryDirectory() as d:
            with open(os.path.join(d, "e2e-boot.csv"), "w") as f:
                f.write(self.CSV)
            text, verdict = targets.evaluate(t, [], results.e2e_results(d))
        self.assertEqual("met in every round", verdict)
        self.assertEqual("xff-keepalive: median 1.070 (rounds 1.040 – 1.100)", text)

    def test_the_report_gives_boot_a_table_and_names_its_warm_up(self):
        text = report_of({"e2e-boot.csv": self.CSV, "run.env": "mode=full\ne2e_rounds=2\n"
                          "e2e_duration=5s\ne2e_warmup=3s\ne2e_boot_warmup=60s\n"})
        self.assertIn("### e2e-boot: xff-keepalive", text)
        self.assertIn("| boot-native | 1,000 | 1,000 – 1,000 | 0 | 1.000 | 1.000 – 1.000 |", text)
        self.assertIn("| boot-starter | 1,070 | 1,040 – 1,100 | 0 | 1.070 | 1.040 – 1.100 |", text)
        self.assertIn("the Spring Boot JVMs a 60s warm-up each", text)

    def test_run_all_builds_the_module_the_boot_script_names(self):
        boot = next(e for e in suite.E2E if e.script == "e2e-boot.sh")
        root = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..")
        self.assertTrue(os.path.exists(os.path.join(root, boot.module, "pom.xml")), boot.module)
        self.assertEqual([], [e.module for e in suite.E2E if e.script != "e2e-boot.sh" and e.module])


class Report(unittest.TestCase):
    def test_a_smoke_run_is_marked_and_a_joined_class_fills_its_host_table(self):
        text = report_of({
            "run.env": "mode=smoke\nload_start=0.1 0.2 0.3\n",
            "jmh.json": [jmh("ClientResolutionBenchmark", "trustproxyFilter",
                             {"entries": "3", "family": "ipv4", "trust": "hops"}, 100.0, 5.0, 200.0),
                         jmh("SpringClientResolutionBenchmark", "springForwardedHeaderFilter",
                             {"entries": "3", "family": "ipv4"}, 1000.0, 10.0, 4000.0)],
            "skipped.txt": "JMH `dev.trustproxy.benchmarks.RangeSetBenchmark`: not in this build, skipped\n"})
        self.assertIn("**SMOKE RUN**", text)
        self.assertIn("| load average (1, 5, 15 min) at start | 0.1 0.2 0.3 |", text)
        self.assertIn("RangeSetBenchmark`: not in this build", text)
        self.assertIn("| hops | ipv4 | 3 | 100.0 ± 5.0 | 200 | 1,000.0 ± 10.0 | 4,000 | — | 10.00× ± 0.51 |",
                      text)
        self.assertNotIn("What-if", text)

    def test_the_range_set_table_has_a_row_per_family_and_range_list(self):
        text = report_of({"jmh.json": JmhTargets.RANGES})
        self.assertIn("## Trusted ranges at scale", text)
        self.assertIn("| family | ranges | walk ns/op | B/op |", text)
        self.assertIn("| ipv4 | 3 | 100.0 ± 2.0 | 56 |", text)
        self.assertIn("| ipv4 | 10,000 | 130.0 ± 2.0 | 56 |", text)
        self.assertIn("| ipv6 | 10000-file | 160.0 ± 2.0 | 152 |", text)


class Estimate(unittest.TestCase):
    def test_points_are_the_product_of_param_values_per_method(self):
        lp = """Benchmarks:
dev.trustproxy.jetty.ProxyParseBenchmark.netty
  param "header" = {v1-tcp4, v1-tcp6, v2-tcp4}
dev.trustproxy.benchmarks.SpringClientResolutionBenchmark.springForwardedHeaderFilter
  param "entries" = {1, 3, 10, 10000}
  param "family" = {ipv4, ipv6}
"""
        points, minutes = suite.estimate(lp, 2, 1.5, 3.0)
        self.assertEqual(11, points)
        self.assertAlmostEqual(2 * 11 * 5.1 / 60, minutes)
        self.assertEqual(1.5, 3 * suite.seconds("500ms"))


if __name__ == "__main__":
    unittest.main()

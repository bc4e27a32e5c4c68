package dev.trustproxy.benchmarks;

import dev.trustproxy.ClientResolver;
import dev.trustproxy.IpRangeSet;
import dev.trustproxy.RangeSource;
import dev.trustproxy.TrustPolicy;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * The 3-range versus 10,000-range walk of {@link RangeSetBenchmark}, measured as interleaved
 * pairs: each round times a batch of walks with 3 ranges and then the same batch with 10,000, so
 * both sides of every ratio ran under the same load. On a shared machine JMH's forks of the two
 * settings run minutes apart under different loads; this gives the ratio that JMH's error bars
 * then hide. Not a replacement for the JMH figures: a check of their ratio.
 *
 * <p>{@code java -cp $CP dev.trustproxy.benchmarks.RangeSetPaired [rounds] [walks per batch]}
 */
public final class RangeSetPaired {

  private RangeSetPaired() {}

  public static void main(String[] args) throws Exception {
    int rounds = args.length > 0 ? Integer.parseInt(args[0]) : 60;
    int batch = args.length > 1 ? Integer.parseInt(args[1]) : 200_000;
    Path file = Files.createTempFile("trustproxy-ranges", ".txt");
    try {
      Files.writeString(file, RangeLists.file(RangeLists.ranges(10_000), "text"));
      ClientResolver three = ClientResolver.of(TrustPolicy.parse("trust-proxy", Inputs.RANGES));
      ClientResolver inCode = ClientResolver.of(TrustPolicy.ranges(IpRangeSet.of(
          RangeLists.ranges(10_000))));
      ClientResolver fromFile = ClientResolver.of(TrustPolicy.ranges(RangeSource.parse(
          "trust-proxy", "file:" + file)));
      System.out.println("| family | 3 ranges, best batch (ns/walk) | 10,000 ÷ 3: median pair"
          + " (p25–p75) | 10,000 from a file ÷ 3: median pair (p25–p75) |");
      System.out.println("| --- | ---: | ---: | ---: |");
      for (String family : new String[] {"ipv4", "ipv6"}) {
        Inputs.Scenario s = Inputs.scenario(3, family);
        for (ClientResolver r : List.of(three, inCode, fromFile)) {
          ClientResolutionBenchmark.expect("walk", s.client(),
              r.resolve(s.peer(), s.xForwardedFor()).client().toString());
        }
        List<Double> inCodeRatios = new ArrayList<>();
        List<Double> fileRatios = new ArrayList<>();
        long best = Long.MAX_VALUE;
        int sink = 0;
        for (int round = 0; round < rounds; round++) {
          long t0 = System.nanoTime();
          sink += walks(three, s, batch);
          long t1 = System.nanoTime();
          sink += walks(inCode, s, batch);
          long t2 = System.nanoTime();
          sink += walks(fromFile, s, batch);
          long t3 = System.nanoTime();
          if (round >= rounds / 6) { // the first rounds are warm-up
            best = Math.min(best, t1 - t0);
            inCodeRatios.add((double) (t2 - t1) / (t1 - t0));
            fileRatios.add((double) (t3 - t2) / (t1 - t0));
          }
        }
        System.out.printf("| %s | %.1f | %s | %s |%s%n", family, (double) best / batch,
            spread(inCodeRatios), spread(fileRatios), sink == 42 ? " " : "");
      }
    } finally {
      Files.deleteIfExists(file);
    }
  }

  private static int walks(ClientResolver r, Inputs.Scenario s, int n) {
    int sink = 0;
    for (int i = 0; i < n; i++) {
      sink += r.resolve(s.peer(), s.xForwardedFor()).client().hashCode();
    }
    return sink;
  }

  private static String spread(List<Double> ratios) {
    List<Double> sorted = new ArrayList<>(ratios);
    Collections.sort(sorted);
    int n = sorted.size();
    return String.format("%.2f× (%.2f–%.2f)", sorted.get(n / 2), sorted.get(n / 4),
        sorted.get(3 * n / 4));
  }
}

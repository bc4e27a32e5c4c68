package dev.trustproxy;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The container's peer text read as an address; only trusted peers are remembered (D117). */
class PeerAddressCacheTest {

  private static final ClientResolver TRUSTING = ClientResolver.of(TrustPolicy.hops(1));
  private static final ClientResolver TRUSTING_NONE = ClientResolver.of(TrustPolicy.none());

  @ParameterizedTest(name = "\"{0}\" is {1}")
  @CsvSource(delimiter = '|', nullValues = "null", textBlock = """
      10.0.0.1                 | 10.0.0.1
      2001:db8::7              | 2001:db8::7
      2001:db8:0:0:0:0:0:7     | 2001:db8::7
      [2001:db8::7]            | 2001:db8::7
      fe80::1%eth0             | fe80::1
      [fe80::1%eth0]           | fe80::1
      ::ffff:192.0.2.1         | 192.0.2.1
      [::ffff:192.0.2.1]       | 192.0.2.1
      [10.0.0.1]               | 10.0.0.1
      ''                       | null
      null                     | null
      [                        | null
      []                       | null
      [2001:db8::7             | null
      2001:db8::7]             | null
      %eth0                    | null
      localhost                | null
      /tmp/app.sock            | null
      010.0.0.1                | null
      """)
  void theContainersTextIsReadAsTheAddressItNames(String text, String expected) {
    PeerAddressCache cache = new PeerAddressCache();
    IpAddress first = cache.read(text);
    assertThat(first).isEqualTo(expected == null ? null : IpAddress.parse(expected));
    if (first != null) {
      cache.remember(text, TRUSTING.resolve(first, null));
      assertThat(cache.read(text)).isEqualTo(first);
    }
  }

  @Test
  void aTrustedPeerIsRememberedAndAnUntrustedOneIsNot() {
    PeerAddressCache cache = new PeerAddressCache();
    String proxy = "10.0.0.1";
    IpAddress parsed = cache.read(proxy);
    Resolution trusted = TRUSTING.resolve(parsed, "203.0.113.7");
    cache.remember(proxy, trusted);
    // Remembered: the same instance comes back, for an equal text in another String too.
    assertThat(cache.read(proxy)).isSameAs(trusted.peer());
    assertThat(cache.read(new String(proxy.toCharArray()))).isSameAs(trusted.peer());

    String client = "198.51.100.20";
    IpAddress direct = cache.read(client);
    cache.remember(client, TRUSTING_NONE.resolve(direct, null));
    assertThat(cache.read(client)).isEqualTo(direct).isNotSameAs(direct);
  }

  @Test
  void textsThatShareASlotEachGetTheirOwnAddress() {
    // Same length and the same last two characters: the same slot.
    PeerAddressCache cache = new PeerAddressCache();
    List<String> texts = List.of("10.0.1.10", "10.0.2.10", "10.0.3.10", "10.9.9.10");
    for (int round = 0; round < 3; round++) {
      for (String text : texts) {
        IpAddress address = cache.read(text);
        assertThat(address).isEqualTo(IpAddress.parse(text));
        cache.remember(text, TRUSTING.resolve(address, null));
        assertThat(cache.read(text)).isEqualTo(IpAddress.parse(text));
      }
    }
  }

  @Test
  void threadsRacingOverTheSlotsAlwaysReadTheTextsOwnAddress() throws Exception {
    PeerAddressCache cache = new PeerAddressCache();
    List<String> texts = new ArrayList<>();
    for (int i = 0; i < 64; i++) {
      texts.add(i % 2 == 0 ? "10.0." + i + ".1" : "2001:db8::" + Integer.toHexString(i));
    }
    ExecutorService pool = Executors.newFixedThreadPool(4);
    try {
      List<Future<Integer>> results = new ArrayList<>();
      for (int t = 0; t < 4; t++) {
        int offset = t;
        results.add(pool.submit(() -> {
          int wrong = 0;
          for (int i = 0; i < 20_000; i++) {
            String text = texts.get((i * 7 + offset) % texts.size());
            IpAddress address = cache.read(text);
            if (!IpAddress.parse(text).equals(address)) {
              wrong++;
            }
            cache.remember(text, TRUSTING.resolve(address, null));
          }
          return wrong;
        }));
      }
      for (Future<Integer> result : results) {
        assertThat(result.get()).isZero();
      }
    } finally {
      pool.shutdownNow();
    }
  }
}

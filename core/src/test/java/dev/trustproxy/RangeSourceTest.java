package dev.trustproxy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.trustproxy.testsupport.ChangingFiles;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Reloading and swapping a range setting (README D82). */
class RangeSourceTest {

  private static final String SETTING = "trust-proxy";

  @TempDir Path dir;

  /** What the documented cron line does: write aside, then rename over the list. */
  private Path write(String name, String content) throws IOException {
    return ChangingFiles.replace(dir, name, content);
  }

  @Test
  void aChangedFileIsReadAgainAndSwappedIn() throws IOException {
    Path file = write("list.txt", "192.0.2.0/24\n");
    RangeSource source = RangeSource.parse(SETTING, "10.0.0.0/8, file:" + file);
    IpRangeSet before = source.current();
    assertThat(before).hasToString("10.0.0.0/8, 192.0.2.0/24");

    assertThat(source.reload()).as("unchanged: nothing to do").isZero();
    assertThat(source.current()).isSameAs(before);

    write("list.txt", "198.51.100.0/24\n2001:db8::/32\n");
    assertThat(source.reload()).isZero();
    assertThat(source.current()).hasToString("10.0.0.0/8, 198.51.100.0/24, 2001:db8::/32");
    assertThat(before).as("the old set is a value: untouched").hasToString(
        "10.0.0.0/8, 192.0.2.0/24");
  }

  @Test
  void aBadUpdateKeepsTheLastGoodSetAndCountsOneFailurePerBadVersion() throws IOException {
    Path file = write("list.txt", "192.0.2.0/24\n");
    RangeSource source = RangeSource.parse(SETTING, "file:" + file);
    IpRangeSet good = source.current();

    write("list.txt", "192.0.2.0/24\nnot-an-address\n");
    assertThat(source.reload()).isEqualTo(1);
    assertThat(source.current()).isSameAs(good);
    assertThat(source.reload()).as("the same bad bytes again: no second error").isZero();

    write("list.txt", "");
    assertThat(source.reload()).as("a new bad version: empty").isEqualTo(1);
    Files.delete(file);
    assertThat(source.reload()).as("a new bad version: missing").isEqualTo(1);
    assertThat(source.reload()).isZero();
    assertThat(source.current()).isSameAs(good);

    write("list.txt", "203.0.113.0/24\n");
    assertThat(source.reload()).isZero();
    assertThat(source.current()).hasToString("203.0.113.0/24");
  }

  @Test
  void eachFileOfASettingKeepsItsOwnLastGoodSet() throws IOException {
    Path a = write("a.txt", "192.0.2.0/24\n");
    Path b = write("b.json", "{\"prefixes\": [{\"ip_prefix\": \"198.51.100.0/24\"}]}");
    RangeSource source = RangeSource.parse(SETTING, "file:" + a + ", file:" + b);
    write("a.txt", "192.0.2.0/25\n");
    write("b.json", "{\"prefixes\": [");
    assertThat(source.reload()).isEqualTo(1);
    assertThat(source.current()).hasToString("192.0.2.0/25, 198.51.100.0/24");
  }

  @Test
  void aSwappableSourceTakesTheApplicationsSet() {
    RangeSource source = RangeSource.swappable(IpRangeSet.parse("10.0.0.0/8"));
    ClientResolver resolver = ClientResolver.of(TrustPolicy.ranges(source));
    assertThat(resolver.resolve(IpAddress.parse("10.0.0.1"), "203.0.113.7").client())
        .hasToString("203.0.113.7");

    source.set(IpRangeSet.parse("192.168.0.0/16"));
    assertThat(resolver.resolve(IpAddress.parse("10.0.0.1"), "203.0.113.7").client())
        .hasToString("10.0.0.1");
    assertThat(resolver.resolve(IpAddress.parse("192.168.1.1"), "203.0.113.7").client())
        .hasToString("203.0.113.7");
    assertThat(resolver.trust()).hasToString("192.168.0.0/16");
    assertThat(resolver.rangeSources()).containsExactly(source);
  }

  @Test
  void aSwapToNothingAndASwapOfAFixedOrFileSourceAreRefused() throws IOException {
    RangeSource swappable = RangeSource.swappable(IpRangeSet.parse("10.0.0.0/8"));
    assertThatThrownBy(() -> swappable.set(IpRangeSet.empty()))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("empty range set");
    assertThatThrownBy(() -> RangeSource.swappable(IpRangeSet.empty()))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> RangeSource.fixed(IpRangeSet.parse("10.0.0.0/8"))
        .set(IpRangeSet.parse("10.0.0.0/8"))).isInstanceOf(IllegalStateException.class);
    Path file = write("list.txt", "192.0.2.0/24\n");
    assertThatThrownBy(() -> RangeSource.parse(SETTING, "file:" + file)
        .set(IpRangeSet.parse("10.0.0.0/8"))).isInstanceOf(IllegalStateException.class);
  }

  @Test
  void thePeerGateReloadsToo() throws IOException {
    Path file = write("peers.txt", "10.0.0.0/8\n");
    ClientResolver resolver = ClientResolver.of(TrustPolicy.parse("true"))
        .withTrustedPeers(RangeSource.parse("trusted-peers", "file:" + file));
    assertThat(resolver.resolve(IpAddress.parse("10.0.0.1"), "203.0.113.7").client())
        .hasToString("203.0.113.7");
    write("peers.txt", "192.168.0.0/16\n");
    assertThat(resolver.rangeSources()).hasSize(1);
    assertThat(resolver.rangeSources().get(0).reload()).isZero();
    assertThat(resolver.resolve(IpAddress.parse("10.0.0.1"), "203.0.113.7").client())
        .hasToString("10.0.0.1");
    assertThat(resolver.trustedPeers()).hasToString("192.168.0.0/16");
  }

  /**
   * Walks during reloads between two lists never see an empty, half-built or mixed set: with list
   * A the chain {@code client, a2} resolves to the client, with list B to {@code a2}, and no other
   * answer is possible unless a walk judged its hops by different sets.
   */
  @Test
  void walksDuringReloadsSeeTheOldSetOrTheNewNeverAMix() throws Exception {
    StringBuilder a = new StringBuilder();
    StringBuilder b = new StringBuilder();
    for (int i = 0; i < 2000; i++) {
      a.append("100.").append(64 + i / 256).append('.').append(i % 256).append(".0/24\n");
      b.append("2001:db8:").append(Integer.toHexString(i)).append("::/48\n");
    }
    // A trusts the peer 10.1.1.1 and the hop 10.2.2.2; B trusts the peer and not 10.2.2.2.
    String listA = a + "10.1.1.1\n10.2.2.2\n";
    String listB = b + "10.1.1.1\n";
    Path file = write("list.txt", listA);
    ClientResolver resolver = ClientResolver.of(TrustPolicy.parse(SETTING, "file:" + file));
    RangeSource source = resolver.rangeSources().get(0);
    IpAddress peer = IpAddress.parse("10.1.1.1");
    String header = "203.0.113.7, 10.2.2.2";

    AtomicBoolean done = new AtomicBoolean();
    ConcurrentLinkedQueue<String> wrong = new ConcurrentLinkedQueue<>();
    CountDownLatch started = new CountDownLatch(2);
    List<Thread> readers = new ArrayList<>();
    for (int t = 0; t < 2; t++) {
      Thread reader = new Thread(() -> {
        started.countDown();
        int walks = 0;
        while (!done.get() && walks < 5_000_000) {
          String client = resolver.resolve(peer, header).client().toString();
          if (!client.equals("203.0.113.7") && !client.equals("10.2.2.2")) {
            wrong.add(client);
          }
          walks++;
        }
      });
      reader.start();
      readers.add(reader);
    }
    started.await();
    int swaps = 0;
    for (int round = 0; round < 40; round++) {
      write("list.txt", round % 2 == 0 ? listB : listA);
      assertThat(source.reload()).isZero();
      swaps++;
      assertThat(source.current().isEmpty()).isFalse();
    }
    done.set(true);
    for (Thread reader : readers) {
      reader.join();
    }
    assertThat(swaps).isEqualTo(40);
    assertThat(wrong).isEmpty();
    assertThat(source.current().ranges()).hasSize(2002);
  }
}

package dev.trustproxy;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;
import org.junit.jupiter.api.Tag;

/**
 * The walk on arbitrary headers: it never throws, answers with the peer or a canonical address
 * taken from the header, and its {@code ips} agree with its client.
 */
@Tag("fuzz")
class ClientResolverFuzzTest {

  private static final ClientResolver[] RESOLVERS = {
    ClientResolver.of(TrustPolicy.all()),
    ClientResolver.of(TrustPolicy.hops(2)),
    ClientResolver.of(TrustPolicy.parse("loopback, uniquelocal, fe80::/10")),
    ClientResolver.of(TrustPolicy.hops(1)).withTrustedPeers(IpRangeSet.parse("10.0.0.0/8")),
  };
  private static final IpAddress[] PEERS = {
    IpAddress.parse("10.0.0.5"), IpAddress.parse("127.0.0.1"), IpAddress.parse("::1"),
    IpAddress.parse("203.0.113.9"),
  };

  @FuzzTest(maxDuration = "10s")
  void walkNeverThrowsAndAnswersConsistently(FuzzedDataProvider data) {
    ClientResolver resolver = RESOLVERS[data.consumeInt(0, RESOLVERS.length - 1)];
    IpAddress peer = PEERS[data.consumeInt(0, PEERS.length - 1)];
    boolean rfc7239 = data.consumeBoolean();
    String header = data.consumeRemainingAsString();
    Resolution r = rfc7239 ? resolver.resolveForwarded(peer, header) : resolver.resolve(peer, header);

    IpAddress client = r.client();
    assertThat(IpAddress.parse(client.toString())).isEqualTo(client);
    assertThat(r.peer()).isEqualTo(peer);
    if (!resolver.trustsPeer(peer)) {
      assertThat(client).isEqualTo(peer);
      assertThat(r.fromHeader()).isFalse();
    }
    if (r.fromHeader()) {
      assertThat(client.isUnspecified()).isFalse();
      assertThat(r.ips()).hasSize(r.clientIndex()).first().isEqualTo(client);
      for (IpAddress ip : r.ips()) {
        assertThat(IpAddress.parse(ip.toString())).isEqualTo(ip);
      }
    } else {
      assertThat(client).isEqualTo(peer);
      assertThat(r.ips()).isEmpty();
    }
  }
}

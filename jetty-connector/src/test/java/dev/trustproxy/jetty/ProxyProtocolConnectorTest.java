package dev.trustproxy.jetty;

import static dev.trustproxy.proxyprotocol.Bytes.ascii;
import static dev.trustproxy.proxyprotocol.Bytes.concat;
import static dev.trustproxy.proxyprotocol.Bytes.hex;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.trustproxy.testsupport.RawClient;
import dev.trustproxy.proxyprotocol.Bytes;
import dev.trustproxy.proxyprotocol.ProxyHeader;
import dev.trustproxy.proxyprotocol.ProxyProtocolSettings.UntrustedPeers;
import java.time.Duration;
import java.util.function.Consumer;
import org.eclipse.jetty.server.HttpConfiguration;
import org.eclipse.jetty.server.HttpConnectionFactory;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The factory on a real {@link ServerConnector} on 127.0.0.1, driven with raw bytes: the
 * connection-level vectors (deadline, slow bytes, junk, early refusal, untrusted peers, trailing
 * data, second header, plain HTTP from a trusted peer).
 */
class ProxyProtocolConnectorTest {

  static final byte[] V1_01 = ascii("PROXY TCP4 192.168.0.1 192.168.0.11 56324 443\r\n");
  static final byte[] V2_01 = hex("SIG 21 11 00 0C C0 00 02 01 C6 33 64 02 DC 04 01 BB");
  static final byte[] GET = ascii("GET /hello HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n");
  static final byte[] GET_KEEP_ALIVE = ascii("GET /first HTTP/1.1\r\nHost: x\r\n\r\n");

  /** Generous slack for "closed by the deadline": the machine is shared and slow. */
  static final long SLACK_MILLIS = 4_000;

  private Server server;
  private ProxyProtocolConnectionFactory factory;
  private int port;

  void start(Consumer<ProxyProtocolConnectionFactory> config) throws Exception {
    start(config, new EchoHandler(), new HttpConfiguration());
  }

  void start(
      Consumer<ProxyProtocolConnectionFactory> config,
      org.eclipse.jetty.server.Handler handler,
      HttpConfiguration httpConfiguration)
      throws Exception {
    server = new Server();
    HttpConnectionFactory http = new HttpConnectionFactory(httpConfiguration);
    factory = new ProxyProtocolConnectionFactory(http.getProtocol());
    factory.setTrustedSources("loopback");
    factory.setHeaderTimeout(Duration.ofSeconds(1));
    config.accept(factory);
    ServerConnector connector = new ServerConnector(server, 1, 1, factory, http);
    connector.setHost("127.0.0.1");
    connector.setPort(0);
    server.addConnector(connector);
    server.setHandler(handler);
    server.start();
    port = connector.getLocalPort();
  }

  @AfterEach
  void stop() throws Exception {
    if (server != null) {
      server.stop();
    }
  }

  RawClient.Outcome exchange(byte[] bytes) throws Exception {
    try (RawClient client = new RawClient(port)) {
      return client.sendIgnoringReset(bytes).readUntilClosed();
    }
  }

  @Test
  void v1HeaderBecomesTheConnectionsAddressesAndTheRequestAttribute() throws Exception {
    start(f -> {});
    RawClient.Outcome out = exchange(concat(V1_01, GET));
    assertThat(out.response()).startsWith("HTTP/1.1 200")
        .contains("remote=192.168.0.1:56324", "local=192.168.0.11:443", "header=v1 PROXY");
    assertThat(factory.getAcceptedV1()).isEqualTo(1);
    assertThat(factory.getAcceptedV2()).isZero();
  }

  @Test
  void v2HeaderBecomesTheConnectionsAddresses() throws Exception {
    start(f -> {});
    RawClient.Outcome out = exchange(concat(V2_01, GET));
    assertThat(out.response()).startsWith("HTTP/1.1 200")
        .contains("remote=192.0.2.1:56324", "local=198.51.100.2:443", "header=v2 PROXY");
    assertThat(factory.getAcceptedV2()).isEqualTo(1);
  }

  @Test
  void v1HeaderAndRequestSentByteByByteStillWork() throws Exception {
    start(f -> f.setHeaderTimeout(Duration.ofSeconds(10)));
    try (RawClient client = new RawClient(port)) {
      for (byte b : concat(V1_01, GET)) {
        client.send(new byte[] {b});
      }
      assertThat(client.readUntilClosed().response()).startsWith("HTTP/1.1 200")
          .contains("remote=192.168.0.1:56324");
    }
  }

  @Test
  void v2SplitFivePlusElevenPlusTwelveBytesIsReassembled_V2_30() throws Exception {
    start(f -> f.setHeaderTimeout(Duration.ofSeconds(10)));
    try (RawClient client = new RawClient(port)) {
      client.send(java.util.Arrays.copyOfRange(V2_01, 0, 5));
      Thread.sleep(50);
      client.send(java.util.Arrays.copyOfRange(V2_01, 5, 16));
      Thread.sleep(50);
      client.send(java.util.Arrays.copyOfRange(V2_01, 16, 28));
      client.send(GET);
      assertThat(client.readUntilClosed().response()).contains("remote=192.0.2.1:56324");
    }
  }

  @Test
  void everyRequestOfAKeepAliveConnectionSeesTheHeader_P19() throws Exception {
    start(f -> {});
    RawClient.Outcome out = exchange(concat(V1_01, GET_KEEP_ALIVE, GET));
    assertThat(out.response().split("HTTP/1.1 200", -1)).hasSize(3);
    assertThat(out.response().split("remote=192.168.0.1:56324", -1)).hasSize(3);
    assertThat(out.response().split("header=v1 PROXY", -1)).hasSize(3);
  }

  @Test
  void aSecondHeaderIsApplicationDataAndGets400_V1_26() throws Exception {
    start(f -> {});
    byte[] second = ascii("PROXY TCP4 6.6.6.6 6.6.6.6 1234 80\r\n");
    RawClient.Outcome out = exchange(concat(V1_01, GET_KEEP_ALIVE, second, GET));
    assertThat(out.response()).startsWith("HTTP/1.1 200").contains("remote=192.168.0.1:56324")
        .contains("HTTP/1.1 400").doesNotContain("6.6.6.6");
    assertThat(factory.getAcceptedV1()).isEqualTo(1);
  }

  @Test
  void aSecondHeaderRightAfterTheFirstGets400_V1_26() throws Exception {
    start(f -> {});
    byte[] second = ascii("PROXY TCP4 6.6.6.6 6.6.6.6 1234 80\r\n");
    RawClient.Outcome out = exchange(concat(V1_01, second, GET));
    assertThat(out.response()).startsWith("HTTP/1.1 400").doesNotContain("6.6.6.6");
  }

  @Test
  void headerAndRequestInOneWrite_V1_22() throws Exception {
    start(f -> {});
    RawClient.Outcome out =
        exchange(ascii("PROXY TCP4 192.0.2.1 198.51.100.2 1234 80\r\nGET /exact HTTP/1.1\r\n"
            + "Host: x\r\nConnection: close\r\n\r\n"));
    assertThat(out.response()).startsWith("HTTP/1.1 200").contains("path=/exact",
        "remote=192.0.2.1:1234");
  }

  @Test
  void partialHeaderIsClosedAtTheDeadline_V1_23() throws Exception {
    start(f -> {});
    try (RawClient client = new RawClient(port)) {
      RawClient.Outcome out = client.send(ascii("PROXY TCP4 192.0.2.1")).readUntilClosed();
      assertThat(out.closed()).isTrue();
      assertThat(out.noResponse()).isTrue();
      assertThat(out.millis()).isGreaterThanOrEqualTo(900).isLessThan(1_000 + SLACK_MILLIS);
    }
    assertThat(factory.getRejectedTimeout()).isEqualTo(1);
  }

  @Test
  void slowBytesDoNotExtendTheAbsoluteDeadline_V1_24() throws Exception {
    start(f -> {});
    try (RawClient client = new RawClient(port)) {
      Thread writer =
          new Thread(
              () -> {
                for (byte b : V1_01) {
                  try {
                    client.send(new byte[] {b});
                    Thread.sleep(150);
                  } catch (Exception closed) {
                    return;
                  }
                }
              });
      writer.setDaemon(true);
      writer.start();
      RawClient.Outcome out = client.readUntilClosed();
      assertThat(out.closed()).isTrue();
      assertThat(out.noResponse()).isTrue();
      // 47 bytes at 150 ms each would take 7 s; the deadline is 1 s after accept.
      assertThat(out.millis()).isLessThan(1_000 + SLACK_MILLIS);
      writer.interrupt();
    }
    assertThat(factory.getRejectedTimeout()).isEqualTo(1);
    assertThat(factory.getAcceptedV1()).isZero();
  }

  @Test
  void signatureStartThenSilenceIsClosedAtTheDeadlineNeverServedAsHttp_V2_31() throws Exception {
    start(f -> {});
    try (RawClient client = new RawClient(port)) {
      RawClient.Outcome out = client.send(hex("0D 0A 0D 0A 00")).readUntilClosed();
      assertThat(out.closed()).isTrue();
      assertThat(out.noResponse()).isTrue();
    }
    assertThat(factory.getRejectedTimeout()).isEqualTo(1);
  }

  @Test
  void hundredKilobytesOfJunkAreRejectedAfter107Bytes_V1_25() throws Exception {
    start(f -> f.setHeaderTimeout(Duration.ofSeconds(30)));
    RawClient.Outcome out =
        exchange(concat(ascii("PROXY UNKNOWN "), ascii("A".repeat(100 * 1024))));
    assertThat(out.closed()).isTrue();
    assertThat(out.noResponse()).isTrue();
    assertThat(out.millis()).as("rejected long before the 30 s deadline").isLessThan(SLACK_MILLIS);
    assertThat(factory.getRejectedTooLarge()).isEqualTo(1);
  }

  @Test
  void aPartialHeaderThatCanNoLongerBeValidIsClosedAtOnceNotAtTheDeadline() throws Exception {
    start(f -> f.setHeaderTimeout(Duration.ofSeconds(30)));
    for (byte[] partial : new byte[][] {ascii("PROXY TI"), hex("SIG 11"), ascii("PROXY TCP4 1.2.x")}) {
      try (RawClient client = new RawClient(port)) {
        // The peer sends the broken start and then waits: only a refusal can close it now.
        RawClient.Outcome out = client.send(partial).readUntilClosed();
        assertThat(out.closed()).isTrue();
        assertThat(out.noResponse()).isTrue();
      }
    }
    assertThat(factory.getRejectedMalformed()).isEqualTo(3);
    assertThat(factory.getRejectedTimeout()).isZero();
  }

  @Test
  void nginxStreamTcp6LineWithAnIpv4DestinationIsServedByDefault_D51() throws Exception {
    start(f -> {});
    RawClient.Outcome out =
        exchange(concat(ascii("PROXY TCP6 2001:db8::1 192.0.2.2 56324 443\r\n"), GET));
    assertThat(out.response()).startsWith("HTTP/1.1 200")
        .contains("remote=[2001:db8:0:0:0:0:0:1]:56324", "local=192.0.2.2:443");
    assertThat(factory.getAcceptedV1()).isEqualTo(1);
  }

  @Test
  void tcp6LineWithAnIpv4DestinationIsClosedWhenAcceptIpv4InTcp6IsOff() throws Exception {
    start(f -> f.setAcceptIpv4InTcp6(false));
    RawClient.Outcome out =
        exchange(concat(ascii("PROXY TCP6 2001:db8::1 192.0.2.2 56324 443\r\n"), GET));
    assertThat(out.closed()).isTrue();
    assertThat(out.noResponse()).isTrue();
    assertThat(factory.getRejectedMalformed()).isEqualTo(1);
    assertThat(factory.getAcceptedV1()).isZero();
  }

  @Test
  void v2LengthOverTheCapIsRejectedFromThePrefix_V2_11() throws Exception {
    start(f -> f.setHeaderTimeout(Duration.ofSeconds(30)));
    try (RawClient client = new RawClient(port)) {
      RawClient.Outcome out = client.send(hex("SIG 21 11 FF FF")).readUntilClosed();
      assertThat(out.closed()).isTrue();
      assertThat(out.millis()).isLessThan(SLACK_MILLIS);
    }
    assertThat(factory.getRejectedTooLarge()).isEqualTo(1);
  }

  @Test
  void largeV2HeadersUpToTheConfiguredCapAreAccepted() throws Exception {
    start(f -> f.setMaxV2HeaderSize(16 + 0xFFFF));
    byte[] padding = Bytes.tlv(ProxyHeader.TYPE_NOOP, new byte[0xFFFF - 12 - 3]);
    byte[] header = Bytes.v2(0x21, 0x11, concat(hex("C0 00 02 01 C6 33 64 02 DC 04 01 BB"), padding));
    assertThat(header).hasSize(16 + 0xFFFF);
    RawClient.Outcome out = exchange(concat(header, GET));
    assertThat(out.response()).startsWith("HTTP/1.1 200").contains("remote=192.0.2.1:56324");
  }

  @Test
  void v2HeaderOneByteOverTheDefaultCapIsClosed() throws Exception {
    start(f -> {});
    byte[] padding = Bytes.tlv(ProxyHeader.TYPE_NOOP, new byte[4096 - 16 - 12 - 3 + 1]);
    byte[] header = Bytes.v2(0x21, 0x11, concat(hex("C0 00 02 01 C6 33 64 02 DC 04 01 BB"), padding));
    assertThat(exchange(concat(header, GET)).noResponse()).isTrue();
    assertThat(factory.getRejectedTooLarge()).isEqualTo(1);
  }

  @Test
  void crcMismatchClosesAndCountsChecksum_V2_17() throws Exception {
    start(f -> {});
    RawClient.Outcome out = exchange(concat(
        hex("SIG 21 11 00 13 C1 00 02 01 C6 33 64 02 DC 04 01 BB 03 00 04 20 EC 95 49"), GET));
    assertThat(out.closed()).isTrue();
    assertThat(out.noResponse()).isTrue();
    assertThat(factory.getRejectedChecksum()).isEqualTo(1);
  }

  @Test
  void plainHttpFromATrustedPeerIsClosedNotGuessed_V2_33() throws Exception {
    start(f -> {});
    RawClient.Outcome out = exchange(GET);
    assertThat(out.closed()).isTrue();
    assertThat(out.noResponse()).isTrue();
    assertThat(factory.getRejectedMalformed()).isEqualTo(1);
  }

  @Test
  void malformedV1IsClosedAndCounted() throws Exception {
    start(f -> {});
    RawClient.Outcome out =
        exchange(concat(ascii("PROXY TCP4 010.0.0.1 198.51.100.2 1234 80\r\n"), GET));
    assertThat(out.noResponse()).isTrue();
    assertThat(factory.getRejectedMalformed()).isEqualTo(1);
  }

  @Test
  void hostNameInV1IsRejectedWithoutResolvingIt_V1_19() throws Exception {
    // The test JVM's hosts file maps evil.example to 192.0.2.254: seeing it anywhere proves a
    // lookup happened.
    start(f -> {});
    RawClient.Outcome out =
        exchange(concat(ascii("PROXY TCP4 evil.example 198.51.100.2 1234 80\r\n"), GET));
    assertThat(out.closed()).isTrue();
    assertThat(out.response()).doesNotContain("192.0.2.254");
    assertThat(out.noResponse()).isTrue();
    assertThat(factory.getRejectedMalformed()).isEqualTo(1);
    assertThat(factory.getAcceptedV1()).isZero();
  }

  @Test
  void untrustedPeerIsClosedBeforeAnyByteIsRead_V2_32() throws Exception {
    start(f -> f.setTrustedSources("10.0.0.0/8"));
    RawClient.Outcome out = exchange(concat(V2_01, GET));
    assertThat(out.closed()).isTrue();
    assertThat(out.noResponse()).isTrue();
    assertThat(factory.getRejectedUntrusted()).isEqualTo(1);
    assertThat(factory.getAcceptedV2()).isZero();
  }

  @Test
  void untrustedPeerInPlainModeSendsItsHeaderToHttpWhichAnswers400_V2_32() throws Exception {
    start(f -> {
      f.setTrustedSources("10.0.0.0/8");
      f.setUntrustedPeers(UntrustedPeers.PLAIN);
    });
    RawClient.Outcome out = exchange(concat(ascii("PROXY TCP4 6.6.6.6 6.6.6.6 1 2\r\n"), GET));
    assertThat(out.response()).startsWith("HTTP/1.1 400").doesNotContain("6.6.6.6");
    RawClient.Outcome binary = exchange(concat(V2_01, GET));
    assertThat(binary.response()).doesNotContain("200 OK", "192.0.2.1");
    assertThat(factory.getAcceptedV1() + factory.getAcceptedV2()).isZero();
    assertThat(factory.getPlainUntrusted()).isEqualTo(2);
  }

  @Test
  void untrustedPeerInPlainModeIsServedWithItsSocketAddress() throws Exception {
    start(f -> {
      f.setTrustedSources("10.0.0.0/8");
      f.setUntrustedPeers(UntrustedPeers.PLAIN);
    });
    RawClient.Outcome out = exchange(GET);
    assertThat(out.response()).startsWith("HTTP/1.1 200").contains("remote=127.0.0.1:",
        "header=none");
  }

  @Test
  void optionalModeServesAHeaderlessHealthCheckButStillParsesHeaders() throws Exception {
    start(f -> f.setOptionalHeader(true));
    assertThat(exchange(GET).response()).startsWith("HTTP/1.1 200")
        .contains("remote=127.0.0.1:", "header=none");
    assertThat(exchange(concat(V1_01, GET)).response()).contains("remote=192.168.0.1:56324");
    assertThat(exchange(concat(ascii("PROXY TCP4 1.2.3.4\r\n"), GET)).noResponse()).isTrue();
    assertThat(factory.getPlainWithoutHeader()).isEqualTo(1);
    assertThat(factory.getAcceptedV1()).isEqualTo(1);
    assertThat(factory.getRejectedMalformed()).isEqualTo(1);
  }

  @Test
  void v2LocalKeepsTheRealEndpoints_V2_04() throws Exception {
    start(f -> {});
    RawClient.Outcome out =
        exchange(concat(hex("SIG 20 11 00 0C 0A 00 00 01 0A 00 00 02 00 01 00 02"), GET));
    assertThat(out.response()).startsWith("HTTP/1.1 200")
        .contains("remote=127.0.0.1:", "local=127.0.0.1:" + port, "header=v2 LOCAL");
  }

  @Test
  void v1UnknownKeepsTheRealEndpoints_V1_03() throws Exception {
    start(f -> {});
    RawClient.Outcome out = exchange(concat(ascii("PROXY UNKNOWN\r\n"), GET));
    assertThat(out.response()).startsWith("HTTP/1.1 200")
        .contains("remote=127.0.0.1:", "header=v1 PROXY");
  }

  @Test
  void disabledVersionIsRejected() throws Exception {
    start(f -> f.setV1Enabled(false));
    assertThat(exchange(concat(V1_01, GET)).noResponse()).isTrue();
    assertThat(exchange(concat(V2_01, GET)).response()).startsWith("HTTP/1.1 200");
    assertThat(factory.getRejectedMalformed()).isEqualTo(1);
  }

  @Test
  void authorityTlvIsVisibleOnTheRequestAttribute_V2_15() throws Exception {
    start(f -> {});
    RawClient.Outcome out = exchange(concat(hex("SIG 21 11 00 1A C0 00 02 01 C6 33 64 02 DC 04 01"
        + " BB 02 00 0B 65 78 61 6D 70 6C 65 2E 63 6F 6D"), GET));
    assertThat(out.response()).contains("authority=example.com");
  }

  static final byte[] V2_21_SSL = hex("SIG 21 11 00 2C C0 00 02 01 C6 33 64 02 DC 04 01 BB 20 00"
      + " 1D 01 00 00 00 00 21 00 07 54 4C 53 76 31 2E 33 22 00 0B 65 78 61 6D 70 6C 65 2E 63 6F 6D");

  @Test
  void sslTlvDoesNotMarkTheRequestSecureByDefault() throws Exception {
    start(f -> {});
    assertThat(exchange(concat(V2_21_SSL, GET)).response())
        .contains("secure=false", "scheme=http\n");
  }

  @Test
  void sslTlvMarksTheRequestSecureWhenEnabled() throws Exception {
    start(f -> f.setSslTlvMarksSecure(true));
    assertThat(exchange(concat(V2_21_SSL, GET)).response())
        .contains("secure=true", "scheme=https\n", "remote=192.0.2.1:56324");
    assertThat(exchange(concat(V2_01, GET)).response()).contains("secure=false");
  }

  @Test
  void jettysOwnProxyCustomizerAndGetTlvStillWork() throws Exception {
    HttpConfiguration httpConfiguration = new HttpConfiguration();
    httpConfiguration.addCustomizer(new org.eclipse.jetty.server.ProxyCustomizer());
    start(f -> {}, new org.eclipse.jetty.server.Handler.Abstract() {
      @Override
      public boolean handle(org.eclipse.jetty.server.Request request,
          org.eclipse.jetty.server.Response response, org.eclipse.jetty.util.Callback callback) {
        Object proxyRemote = request.getAttribute(
            org.eclipse.jetty.server.ProxyCustomizer.REMOTE_ADDRESS_ATTRIBUTE_NAME);
        org.eclipse.jetty.io.EndPoint endPoint =
            request.getConnectionMetaData().getConnection().getEndPoint();
        byte[] authority = ((org.eclipse.jetty.server.ProxyConnectionFactory.ProxyEndPoint) endPoint)
            .getTLV(0x02);
        org.eclipse.jetty.io.Content.Sink.write(response, true, "proxyRemote=" + proxyRemote
            + "\nauthority=" + new String(authority, java.nio.charset.StandardCharsets.US_ASCII)
            + "\n", callback);
        return true;
      }
    }, httpConfiguration);
    RawClient.Outcome out = exchange(concat(hex("SIG 21 11 00 1A C0 00 02 01 C6 33 64 02 DC 04"
        + " 01 BB 02 00 0B 65 78 61 6D 70 6C 65 2E 63 6F 6D"), GET));
    assertThat(out.response()).contains("proxyRemote=127.0.0.1", "authority=example.com");
  }

  @Test
  void startFailsWithoutTrustedSources() {
    Server s = new Server();
    HttpConnectionFactory http = new HttpConnectionFactory();
    ServerConnector connector =
        new ServerConnector(s, new ProxyProtocolConnectionFactory(http.getProtocol()), http);
    connector.setHost("127.0.0.1");
    s.addConnector(connector);
    try {
      assertThatThrownBy(s::start).hasMessageContaining("trustedSources");
    } finally {
      try {
        s.stop();
      } catch (Exception ignored) {
        // already failed
      }
    }
  }

  @Test
  void badTrustedSourcesTextNamesTheSetting() {
    ProxyProtocolConnectionFactory f = new ProxyProtocolConnectionFactory("http/1.1");
    assertThatThrownBy(() -> f.setTrustedSources("10.0.0.0/8,,loopback"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("trustedSources");
  }
}

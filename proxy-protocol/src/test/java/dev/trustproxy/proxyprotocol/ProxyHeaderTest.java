package dev.trustproxy.proxyprotocol;

import static dev.trustproxy.proxyprotocol.Bytes.hex;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.trustproxy.proxyprotocol.ProxyHeaderParser.Accepted;
import java.nio.ByteBuffer;
import org.junit.jupiter.api.Test;

/** {@link ProxyHeader} is an immutable value: no caller can change what later requests see. */
class ProxyHeaderTest {

  static ProxyHeader parse(String hex) {
    return ((Accepted) ProxyHeaderParser.defaults().parse(ByteBuffer.wrap(hex(hex)))).header();
  }

  static final String WITH_TLVS = "SIG 21 11 00 1F C0 00 02 01 C6 33 64 02 DC 04 01 BB"
      + " 02 00 0B 65 78 61 6D 70 6C 65 2E 63 6F 6D 05 00 02 AA BB";

  @Test
  void tlvValuesAreCopiesAndTheListIsUnmodifiable() {
    ProxyHeader h = parse(WITH_TLVS);
    byte[] id = h.uniqueId().orElseThrow();
    id[0] = 0;
    assertThat(h.uniqueId().orElseThrow()).containsExactly(0xAA, 0xBB);
    byte[] raw = h.tlv(ProxyHeader.TYPE_AUTHORITY).orElseThrow();
    raw[0] = 'X';
    assertThat(h.authority()).hasValue("example.com");
    h.tlvs().get(1).value()[0] = 0;
    assertThat(h.tlvs().get(1).value()).containsExactly(0xAA, 0xBB);
    assertThatThrownBy(() -> h.tlvs().clear()).isInstanceOf(UnsupportedOperationException.class);
  }

  @Test
  void equalHeadersAreEqualAndToStringHasNoTlvValues() {
    ProxyHeader a = parse(WITH_TLVS);
    ProxyHeader b = parse(WITH_TLVS);
    assertThat(a).isEqualTo(b).hasSameHashCodeAs(b);
    assertThat(a.toString()).contains("source=192.0.2.1:56324", "0x02", "0x05")
        .doesNotContain("example.com");
  }

  @Test
  void absentTlvsAreEmpty() {
    ProxyHeader h = parse("SIG 21 11 00 0C C0 00 02 01 C6 33 64 02 DC 04 01 BB");
    assertThat(h.alpn()).isEmpty();
    assertThat(h.authority()).isEmpty();
    assertThat(h.uniqueId()).isEmpty();
    assertThat(h.ssl()).isEmpty();
    assertThat(h.netns()).isEmpty();
    assertThat(h.awsVpceId()).isEmpty();
    assertThat(h.azurePrivateLinkId()).isEmpty();
    assertThat(h.gcpPscConnectionId()).isEmpty();
    assertThat(h.tlv(0x99)).isEmpty();
  }

  @Test
  void sslSubTlvsAreAllTyped() {
    byte[] ssl = Bytes.concat(hex("07 00 00 00 00"),
        Bytes.tlv(0x21, Bytes.ascii("TLSv1.3")), Bytes.tlv(0x22, Bytes.ascii("client")),
        Bytes.tlv(0x23, Bytes.ascii("TLS_AES_128_GCM_SHA256")),
        Bytes.tlv(0x24, Bytes.ascii("SHA256")), Bytes.tlv(0x25, Bytes.ascii("RSA2048")),
        Bytes.tlv(0x26, Bytes.ascii("secp256r1")),
        Bytes.tlv(0x27, Bytes.ascii("rsa_pss_rsae_sha256")), Bytes.tlv(0x28, hex("30 82 01")));
    byte[] header = Bytes.v2(0x21, 0x11, Bytes.concat(hex("C0 00 02 01 C6 33 64 02 DC 04 01 BB"),
        Bytes.tlv(0x20, ssl), Bytes.tlv(0x01, Bytes.ascii("h2")),
        Bytes.tlv(0x30, Bytes.ascii("blue"))));
    ProxyHeader h = ((Accepted) ProxyHeaderParser.defaults().parse(ByteBuffer.wrap(header)))
        .header();
    ProxyHeader.Ssl s = h.ssl().orElseThrow();
    assertThat(s.clientSsl()).isTrue();
    assertThat(s.clientCertificateVerified()).isTrue();
    assertThat(s.version()).hasValue("TLSv1.3");
    assertThat(s.commonName()).hasValue("client");
    assertThat(s.cipher()).hasValue("TLS_AES_128_GCM_SHA256");
    assertThat(s.signatureAlgorithm()).hasValue("SHA256");
    assertThat(s.keyAlgorithm()).hasValue("RSA2048");
    assertThat(s.group()).hasValue("secp256r1");
    assertThat(s.signatureScheme()).hasValue("rsa_pss_rsae_sha256");
    assertThat(s.clientCertificate()).hasValueSatisfying(
        der -> assertThat(der).containsExactly(0x30, 0x82, 0x01));
    assertThat(h.alpn()).hasValue("h2");
    assertThat(h.netns()).hasValue("blue");
  }
}

package dev.trustproxy.sample;

import java.io.IOException;
import java.io.StringWriter;
import java.math.BigInteger;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.KeyStore;
import java.security.PublicKey;
import java.security.SecureRandom;
import java.security.cert.Certificate;
import java.security.cert.X509Certificate;
import java.security.spec.ECGenParameterSpec;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.ExtendedKeyUsage;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.asn1.x509.KeyPurposeId;
import org.bouncycastle.asn1.x509.KeyUsage;
import org.bouncycastle.cert.CertIOException;
import org.bouncycastle.cert.X509v3CertificateBuilder;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509ExtensionUtils;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.openssl.jcajce.JcaPEMWriter;
import org.bouncycastle.operator.OperatorCreationException;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;

/**
 * A throwaway certificate authority made at start-up, so the sample needs no openssl and no files:
 * it signs the TLS proxy's certificate for {@code localhost} and {@code 127.0.0.1}, and its own
 * certificate goes to a PEM file for {@code curl --cacert} and into the demo client's trust store.
 *
 * <p>Keys are EC P-256 (fast to make) from the JDK; BouncyCastle only builds the certificates, so
 * no security provider is registered. Valid from an hour ago (clock skew) for one day.
 */
final class CertificateAuthority {

  /** The name the TLS proxy's certificate is issued for, and that clients must use. */
  static final String HOST = "localhost";

  private static final String SIGNATURE = "SHA256withECDSA";
  private static final SecureRandom RANDOM = new SecureRandom();

  private final KeyPair keys;
  private final X509Certificate certificate;

  private CertificateAuthority(KeyPair keys, X509Certificate certificate) {
    this.keys = keys;
    this.certificate = certificate;
  }

  /** A new CA with a new key. */
  static CertificateAuthority create() throws GeneralSecurityException {
    KeyPair keys = newKeyPair();
    X500Name name = new X500Name("CN=trustproxy sample CA");
    X509v3CertificateBuilder builder = builder(name, name, keys.getPublic());
    try {
      builder.addExtension(Extension.basicConstraints, true, new BasicConstraints(true))
          .addExtension(Extension.keyUsage, true,
              new KeyUsage(KeyUsage.keyCertSign | KeyUsage.cRLSign))
          .addExtension(Extension.subjectKeyIdentifier, false,
              new JcaX509ExtensionUtils().createSubjectKeyIdentifier(keys.getPublic()));
    } catch (CertIOException e) {
      throw new GeneralSecurityException("could not encode the CA's extensions", e);
    }
    return new CertificateAuthority(keys, sign(builder, keys));
  }

  /** The CA's own certificate: what clients trust. */
  X509Certificate certificate() {
    return certificate;
  }

  /**
   * A key store holding a new key and a certificate for {@link #HOST} and 127.0.0.1 signed by this
   * CA (chain: server, CA), under alias {@code server}, protected by {@code password}.
   */
  KeyStore issueServerKeyStore(char[] password) throws GeneralSecurityException {
    KeyPair serverKeys = newKeyPair();
    X509v3CertificateBuilder builder = builder(new X500Name("CN=" + HOST),
        X500Name.getInstance(certificate.getSubjectX500Principal().getEncoded()), serverKeys.getPublic());
    try {
      JcaX509ExtensionUtils utils = new JcaX509ExtensionUtils();
      builder.addExtension(Extension.basicConstraints, true, new BasicConstraints(false))
          .addExtension(Extension.keyUsage, true, new KeyUsage(KeyUsage.digitalSignature))
          .addExtension(Extension.extendedKeyUsage, false,
              new ExtendedKeyUsage(KeyPurposeId.id_kp_serverAuth))
          // BouncyCastle parses the IP literal itself: no name is looked up.
          .addExtension(Extension.subjectAlternativeName, false, new GeneralNames(
              new GeneralName[] {new GeneralName(GeneralName.dNSName, HOST),
                  new GeneralName(GeneralName.iPAddress, "127.0.0.1")}))
          .addExtension(Extension.subjectKeyIdentifier, false,
              utils.createSubjectKeyIdentifier(serverKeys.getPublic()))
          .addExtension(Extension.authorityKeyIdentifier, false,
              utils.createAuthorityKeyIdentifier(certificate));
    } catch (CertIOException e) {
      throw new GeneralSecurityException("could not encode the server's extensions", e);
    }
    X509Certificate server = sign(builder, keys);
    KeyStore store = KeyStore.getInstance("PKCS12");
    try {
      store.load(null, null);
    } catch (IOException e) {
      throw new GeneralSecurityException(e);
    }
    store.setKeyEntry("server", serverKeys.getPrivate(), password,
        new Certificate[] {server, certificate});
    return store;
  }

  /** A client TLS context that trusts this CA only (as {@code curl --cacert} does). */
  SSLContext clientContext() throws GeneralSecurityException {
    KeyStore trust = KeyStore.getInstance("PKCS12");
    try {
      trust.load(null, null);
    } catch (IOException e) {
      throw new GeneralSecurityException(e);
    }
    trust.setCertificateEntry("ca", certificate);
    TrustManagerFactory factory =
        TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
    factory.init(trust);
    SSLContext context = SSLContext.getInstance("TLS");
    context.init(null, factory.getTrustManagers(), null);
    return context;
  }

  /** Writes the CA certificate as PEM to {@code file}, for {@code curl --cacert FILE}. */
  Path writePem(Path file) throws IOException {
    StringWriter pem = new StringWriter();
    try (JcaPEMWriter writer = new JcaPEMWriter(pem)) {
      writer.writeObject(certificate);
    }
    return Files.writeString(file, pem.toString());
  }

  private static KeyPair newKeyPair() throws GeneralSecurityException {
    KeyPairGenerator generator = KeyPairGenerator.getInstance("EC");
    generator.initialize(new ECGenParameterSpec("secp256r1"), RANDOM);
    return generator.generateKeyPair();
  }

  private static X509v3CertificateBuilder builder(X500Name subject, X500Name issuer,
      PublicKey key) {
    Instant now = Instant.now();
    return new JcaX509v3CertificateBuilder(issuer, new BigInteger(64, RANDOM).add(BigInteger.ONE),
        Date.from(now.minus(Duration.ofHours(1))), Date.from(now.plus(Duration.ofDays(1))),
        subject, key);
  }

  private static X509Certificate sign(X509v3CertificateBuilder builder, KeyPair issuerKeys)
      throws GeneralSecurityException {
    try {
      return new JcaX509CertificateConverter()
          .getCertificate(builder.build(new JcaContentSignerBuilder(SIGNATURE)
              .build(issuerKeys.getPrivate())));
    } catch (OperatorCreationException e) {
      throw new GeneralSecurityException("could not sign with " + SIGNATURE, e);
    }
  }
}

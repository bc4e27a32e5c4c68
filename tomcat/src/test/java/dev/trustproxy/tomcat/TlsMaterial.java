package dev.trustproxy.tomcat;

import dev.trustproxy.testsupport.ExternalProcess;
import dev.trustproxy.testsupport.Peer;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.cert.CertificateFactory;
import java.time.Duration;
import java.util.List;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;
import org.apache.catalina.connector.Connector;
import org.apache.tomcat.util.net.SSLHostConfig;
import org.apache.tomcat.util.net.SSLHostConfigCertificate;

/**
 * A throwaway self-signed certificate for {@code localhost}, made with openssl at test time
 * (nothing secret is committed), and what Tomcat and a Java client need from it. Test scaffolding.
 */
record TlsMaterial(Path certificate, Path key) {

  /** Needs openssl: a test class that calls this declares {@code @RealPeers(Peer.OPENSSL)}. */
  static TlsMaterial create(Path dir) {
    Path key = dir.resolve("localhost.key.pem");
    Path cert = dir.resolve("localhost.cert.pem");
    ExternalProcess.run(Duration.ofSeconds(60), List.of(Peer.OPENSSL.path(), "req", "-x509",
        "-newkey", "rsa:2048", "-nodes", "-keyout", key.toString(), "-out", cert.toString(),
        "-days", "2", "-subj", "/CN=localhost", "-addext", "subjectAltName=DNS:localhost"))
        .requireSuccess();
    return new TlsMaterial(cert, key);
  }

  /** Makes {@code connector} a TLS connector serving this certificate. */
  void configure(Connector connector) {
    connector.setSecure(true);
    connector.setScheme("https");
    connector.setProperty("SSLEnabled", "true");
    SSLHostConfig host = new SSLHostConfig();
    SSLHostConfigCertificate certificate =
        new SSLHostConfigCertificate(host, SSLHostConfigCertificate.Type.RSA);
    certificate.setCertificateFile(this.certificate.toString());
    certificate.setCertificateKeyFile(key.toString());
    host.addCertificate(certificate);
    connector.addSslHostConfig(host);
  }

  /** A client context that trusts exactly this certificate. */
  SSLContext clientContext() throws Exception {
    KeyStore trust = KeyStore.getInstance(KeyStore.getDefaultType());
    trust.load(null, null);
    try (InputStream in = Files.newInputStream(certificate)) {
      trust.setCertificateEntry("localhost",
          CertificateFactory.getInstance("X.509").generateCertificate(in));
    }
    TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
    tmf.init(trust);
    SSLContext context = SSLContext.getInstance("TLS");
    context.init(null, tmf.getTrustManagers(), null);
    return context;
  }
}

package dev.trustproxy.jetty.peers;

import dev.trustproxy.testsupport.ExternalProcess;
import dev.trustproxy.testsupport.Peer;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

/**
 * A throwaway self-signed certificate for one DNS name, made with openssl at test time (nothing
 * secret is committed), in the three shapes the peers want.
 *
 * @param certificate PEM certificate, for curl's {@code --cacert} or {@code --cert}, and for
 *     haproxy's {@code ca-file} when it is a client certificate
 * @param key PEM private key, unencrypted
 * @param combined PEM certificate then key, for haproxy's {@code crt}
 * @param pkcs12 the same as a PKCS#12 key store with password {@link #PASSWORD}, for Jetty
 */
record TestCertificate(String dnsName, Path certificate, Path key, Path combined, Path pkcs12) {

  static final String PASSWORD = "peers-test";

  static TestCertificate create(Path dir, String dnsName) {
    String openssl = Peer.OPENSSL.path();
    Path key = dir.resolve(dnsName + ".key.pem");
    Path cert = dir.resolve(dnsName + ".cert.pem");
    Path combined = dir.resolve(dnsName + ".combined.pem");
    Path pkcs12 = dir.resolve(dnsName + ".p12");
    ExternalProcess.run(Duration.ofSeconds(30), List.of(openssl, "req", "-x509",
        "-newkey", "rsa:2048", "-nodes", "-keyout", key.toString(), "-out", cert.toString(),
        "-days", "2", "-subj", "/CN=" + dnsName, "-addext", "subjectAltName=DNS:" + dnsName))
        .requireSuccess();
    ExternalProcess.run(Duration.ofSeconds(30), List.of(openssl, "pkcs12", "-export",
        "-in", cert.toString(), "-inkey", key.toString(), "-name", dnsName,
        "-out", pkcs12.toString(), "-passout", "pass:" + PASSWORD))
        .requireSuccess();
    try {
      Files.writeString(combined, Files.readString(cert) + Files.readString(key));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return new TestCertificate(dnsName, cert, key, combined, pkcs12);
  }
}

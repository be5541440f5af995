package io.portcullis.gateway;

import java.io.IOException;
import java.io.Reader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.cert.Certificate;
import java.security.cert.CertificateFactory;
import java.util.Collection;
import io.portcullis.gateway.auth.ClientCertificates;
import org.bouncycastle.asn1.pkcs.PrivateKeyInfo;
import org.bouncycastle.openssl.PEMKeyPair;
import org.bouncycastle.openssl.PEMParser;
import org.bouncycastle.openssl.jcajce.JcaPEMKeyConverter;

/**
 * TLS for the registry's listener, from PEM files as certificate tools write them.
 *
 * @param certificateChain the server certificate, then its intermediates (PEM)
 * @param privateKey the server key (PEM: PKCS#8 {@code PRIVATE KEY}, or {@code RSA/EC PRIVATE KEY})
 * @param clientCa the CAs whose client certificates are accepted (PEM bundle), or null for none
 * @param clientAuth whether clients are asked for a certificate
 * @param clientIdentity which part of a verified client certificate names the user
 */
public record TlsSettings(Path certificateChain, Path privateKey, Path clientCa, ClientAuth clientAuth, ClientCertificates.Field clientIdentity) {
  /** Whether the TLS handshake asks clients for a certificate. */
  public enum ClientAuth {
    /** Never asked for. */
    NONE,
    /** Asked for; a client without one goes on as anonymous (or logs in with a password). */
    OPTIONAL,
    /** A client without a certificate issued by {@code clientCa} is refused at the handshake. */
    REQUIRE
  }

  public TlsSettings {
    if (clientAuth == null) clientAuth = ClientAuth.NONE;
    if (clientIdentity == null) clientIdentity = ClientCertificates.Field.CN;
    if (clientAuth != ClientAuth.NONE && clientCa == null) throw new IllegalArgumentException("client certificates need the CAs that issue them");
  }

  /** Server TLS without client certificates. */
  public TlsSettings(Path certificateChain, Path privateKey) {
    this(certificateChain, privateKey, null, ClientAuth.NONE, ClientCertificates.Field.CN);
  }

  /** The CAs of {@code clientCa} as a trust store, for verifying client certificates. */
  public KeyStore clientTrustStore() throws IOException, GeneralSecurityException {
    Collection<? extends Certificate> cas = certificates(clientCa);
    KeyStore ks = KeyStore.getInstance("PKCS12");
    ks.load(null, null);
    int i = 0;
    for (Certificate ca : cas) ks.setCertificateEntry("client-ca-" + i++, ca);
    return ks;
  }

  /** An in-memory key store holding the key and chain, for the TLS connector. */
  public KeyStore keyStore(char[] password) throws IOException, GeneralSecurityException {
    Collection<? extends Certificate> chain = certificates(certificateChain);
    KeyStore ks = KeyStore.getInstance("PKCS12");
    ks.load(null, null);
    ks.setKeyEntry("portcullis", readKey(), password, chain.toArray(Certificate[]::new));
    return ks;
  }

  /** The certificates of a PEM file, in order; at least one. */
  private static Collection<? extends Certificate> certificates(Path file) throws IOException, GeneralSecurityException {
    Collection<? extends Certificate> found;
    try (var in = Files.newInputStream(file)) {
      found = CertificateFactory.getInstance("X.509").generateCertificates(in);
    }
    if (found.isEmpty()) throw new IOException(file + " holds no certificate");
    return found;
  }

  private PrivateKey readKey() throws IOException {
    try (Reader r = Files.newBufferedReader(privateKey); PEMParser pem = new PEMParser(r)) {
      Object o = pem.readObject();
      // Bouncy Castle reads EC keys whichever way their curve is written (named or explicit parameters).
      JcaPEMKeyConverter converter = new JcaPEMKeyConverter().setProvider(io.portcullis.attest.Providers.BOUNCY_CASTLE);
      if (o instanceof PEMKeyPair pair) return converter.getPrivateKey(pair.getPrivateKeyInfo());
      if (o instanceof PrivateKeyInfo info) return converter.getPrivateKey(info);
      throw new IOException(privateKey + " holds no unencrypted private key (PEM PRIVATE KEY, RSA PRIVATE KEY or EC PRIVATE KEY)");
    }
  }
}

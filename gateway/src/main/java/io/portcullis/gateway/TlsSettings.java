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
import org.bouncycastle.asn1.pkcs.PrivateKeyInfo;
import org.bouncycastle.openssl.PEMKeyPair;
import org.bouncycastle.openssl.PEMParser;
import org.bouncycastle.openssl.jcajce.JcaPEMKeyConverter;

/**
 * TLS for the registry's listener, from PEM files as certificate tools write them.
 *
 * @param certificateChain the server certificate, then its intermediates (PEM)
 * @param privateKey the server key (PEM: PKCS#8 {@code PRIVATE KEY}, or {@code RSA/EC PRIVATE KEY})
 */
public record TlsSettings(Path certificateChain, Path privateKey) {
  /** An in-memory key store holding the key and chain, for the TLS connector. */
  public KeyStore keyStore(char[] password) throws IOException, GeneralSecurityException {
    Collection<? extends Certificate> chain;
    try (var in = Files.newInputStream(certificateChain)) {
      chain = CertificateFactory.getInstance("X.509").generateCertificates(in);
    }
    if (chain.isEmpty()) throw new IOException(certificateChain + " holds no certificate");
    KeyStore ks = KeyStore.getInstance("PKCS12");
    ks.load(null, null);
    ks.setKeyEntry("portcullis", readKey(), password, chain.toArray(Certificate[]::new));
    return ks;
  }

  private PrivateKey readKey() throws IOException {
    try (Reader r = Files.newBufferedReader(privateKey); PEMParser pem = new PEMParser(r)) {
      Object o = pem.readObject();
      // Bouncy Castle reads EC keys whichever way their curve is written (named or explicit parameters).
      JcaPEMKeyConverter converter = new JcaPEMKeyConverter().setProvider(new org.bouncycastle.jce.provider.BouncyCastleProvider());
      if (o instanceof PEMKeyPair pair) return converter.getPrivateKey(pair.getPrivateKeyInfo());
      if (o instanceof PrivateKeyInfo info) return converter.getPrivateKey(info);
      throw new IOException(privateKey + " holds no unencrypted private key (PEM PRIVATE KEY, RSA PRIVATE KEY or EC PRIVATE KEY)");
    }
  }
}

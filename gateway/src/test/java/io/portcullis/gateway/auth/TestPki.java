package io.portcullis.gateway.auth;

import java.io.StringWriter;
import java.math.BigInteger;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.KeyStore;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.Date;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.asn1.x509.KeyUsage;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.openssl.jcajce.JcaPEMWriter;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;

/** A throw-away PKI for TLS tests: CAs, server and client certificates (EC P-256), PEM files, SSL contexts. */
public final class TestPki {
  private static final AtomicLong SERIAL = new AtomicLong(System.currentTimeMillis());

  private TestPki() {}

  /** A key and its certificate. */
  public record Issued(KeyPair key, X509Certificate certificate) {
    /** A new certificate signed by this one (which must be a CA). */
    public Issued issue(String subject, GeneralName... alternativeNames) throws Exception {
      return TestPki.issue(this, subject, false, alternativeNames);
    }

    /** Writes the certificate (and, when {@code keyFile} is not null, the PKCS#8 key) as PEM. */
    public void write(Path certFile, Path keyFile) throws Exception {
      Files.writeString(certFile, pem(certificate));
      if (keyFile != null) {
        Files.writeString(keyFile, "-----BEGIN PRIVATE KEY-----\n"
            + java.util.Base64.getMimeEncoder(64, "\n".getBytes()).encodeToString(key.getPrivate().getEncoded()) + "\n-----END PRIVATE KEY-----\n");
      }
    }
  }

  public static Issued ca(String subject) throws Exception { return issue(null, subject, true); }

  /** A server certificate for 127.0.0.1 (IP and DNS localhost alternative names). */
  public static Issued server(Issued ca) throws Exception {
    return issue(ca, "CN=127.0.0.1", false, new GeneralName(GeneralName.iPAddress, "127.0.0.1"), new GeneralName(GeneralName.dNSName, "localhost"));
  }

  private static Issued issue(Issued issuer, String subject, boolean isCa, GeneralName... alternativeNames) throws Exception {
    KeyPairGenerator gen = KeyPairGenerator.getInstance("EC");
    gen.initialize(256);
    KeyPair kp = gen.generateKeyPair();
    X500Name name = new X500Name(subject);
    X500Name issuerName = issuer == null ? name : X500Name.getInstance(issuer.certificate().getSubjectX500Principal().getEncoded());
    long now = System.currentTimeMillis();
    JcaX509v3CertificateBuilder b = new JcaX509v3CertificateBuilder(issuerName, BigInteger.valueOf(SERIAL.incrementAndGet()),
        new Date(now - 60_000), new Date(now + 86_400_000L), name, kp.getPublic());
    b.addExtension(Extension.basicConstraints, true, new BasicConstraints(isCa));
    if (isCa) b.addExtension(Extension.keyUsage, true, new KeyUsage(KeyUsage.keyCertSign | KeyUsage.cRLSign));
    if (alternativeNames.length > 0) b.addExtension(Extension.subjectAlternativeName, false, new GeneralNames(alternativeNames));
    KeyPair signer = issuer == null ? kp : issuer.key();
    X509Certificate cert = new JcaX509CertificateConverter().getCertificate(b.build(new JcaContentSignerBuilder("SHA256withECDSA").build(signer.getPrivate())));
    return new Issued(kp, cert);
  }

  public static String pem(Object o) throws Exception {
    StringWriter w = new StringWriter();
    try (JcaPEMWriter p = new JcaPEMWriter(w)) {
      p.writeObject(o);
    }
    return w.toString();
  }

  /**
   * A TLS context that trusts {@code serverCa} and, when {@code client} is not null, presents that
   * certificate (with its issuer's certificate, so that the chain is complete) when asked.
   */
  public static SSLContext context(X509Certificate serverCa, Issued client, X509Certificate clientIssuer) throws Exception {
    KeyStore trust = KeyStore.getInstance("PKCS12");
    trust.load(null, null);
    trust.setCertificateEntry("server-ca", serverCa);
    TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
    tmf.init(trust);
    KeyManagerFactory kmf = null;
    if (client != null) {
      KeyStore keys = KeyStore.getInstance("PKCS12");
      keys.load(null, null);
      List<X509Certificate> chain = new ArrayList<>(List.of(client.certificate()));
      if (clientIssuer != null) chain.add(clientIssuer);
      keys.setKeyEntry("client", client.key().getPrivate(), "pw".toCharArray(), chain.toArray(X509Certificate[]::new));
      kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
      kmf.init(keys, "pw".toCharArray());
    }
    SSLContext tls = SSLContext.getInstance("TLS");
    tls.init(kmf == null ? null : kmf.getKeyManagers(), tmf.getTrustManagers(), null);
    return tls;
  }
}

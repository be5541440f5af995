package io.portcullis.attest.trust;

import java.io.IOException;
import java.io.StringReader;
import java.nio.charset.StandardCharsets;
import java.security.KeyFactory;
import java.security.PublicKey;
import java.security.cert.CertificateException;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.security.spec.X509EncodedKeySpec;
import java.util.ArrayList;
import java.io.ByteArrayInputStream;
import java.util.List;
import org.bouncycastle.asn1.ASN1ObjectIdentifier;
import org.bouncycastle.asn1.edec.EdECObjectIdentifiers;
import org.bouncycastle.asn1.pkcs.PKCSObjectIdentifiers;
import org.bouncycastle.asn1.pkcs.RSAPublicKey;
import org.bouncycastle.asn1.x509.AlgorithmIdentifier;
import org.bouncycastle.asn1.x509.SubjectPublicKeyInfo;
import org.bouncycastle.asn1.x9.X9ObjectIdentifiers;
import org.bouncycastle.asn1.DERNull;
import org.bouncycastle.cert.X509CertificateHolder;
import org.bouncycastle.util.io.pem.PemObject;
import org.bouncycastle.util.io.pem.PemReader;

/**
 * Reads public keys from PEM (cosign {@code .pub} files, {@code PUBLIC KEY}, {@code RSA PUBLIC KEY},
 * or the key of a {@code CERTIFICATE}) and from DER SubjectPublicKeyInfo. Supports ECDSA
 * P-256/P-384/P-521, RSA (PKCS#1 and PSS keys) and Ed25519. Keys come back as JDK keys.
 */
public final class PublicKeyReader {
  private PublicKeyReader() {}

  /** @throws IOException when the text holds no usable public key */
  public static PublicKey fromPem(String pem) throws IOException {
    List<PublicKey> keys = allFromPem(pem);
    if (keys.isEmpty()) {
      throw new IOException("no public key in PEM text");
    }
    return keys.get(0);
  }

  public static PublicKey fromPem(byte[] pem) throws IOException {
    return fromPem(new String(pem, StandardCharsets.UTF_8));
  }

  /** Every public key in the PEM text, in order. */
  public static List<PublicKey> allFromPem(String pem) throws IOException {
    List<PublicKey> keys = new ArrayList<>();
    try (PemReader reader = new PemReader(new StringReader(pem))) {
      PemObject obj;
      while ((obj = reader.readPemObject()) != null) {
        switch (obj.getType()) {
          case "PUBLIC KEY" -> keys.add(fromDer(obj.getContent()));
          case "RSA PUBLIC KEY" -> {
            RSAPublicKey rsa = RSAPublicKey.getInstance(obj.getContent());
            SubjectPublicKeyInfo spki = new SubjectPublicKeyInfo(
                new AlgorithmIdentifier(PKCSObjectIdentifiers.rsaEncryption, DERNull.INSTANCE), rsa);
            keys.add(fromDer(spki.getEncoded()));
          }
          case "CERTIFICATE" -> keys.add(fromDer(certificateKey(obj.getContent())));
          default -> { }
        }
      }
    } catch (RuntimeException e) {
      throw new IOException("unreadable PEM: " + describe(e), e);
    }
    return keys;
  }

  private static byte[] certificateKey(byte[] der) throws IOException {
    try {
      return new X509CertificateHolder(der).getSubjectPublicKeyInfo().getEncoded();
    } catch (IOException e) { // truncated DER is an EOFException without a message
      throw new IOException("unreadable certificate: " + describe(e), e);
    }
  }

  private static String describe(Exception e) {
    return e.getMessage() != null ? e.getMessage() : e.getClass().getSimpleName();
  }

  /** A JDK public key from a DER SubjectPublicKeyInfo. */
  public static PublicKey fromDer(byte[] spkiDer) throws IOException {
    try {
      SubjectPublicKeyInfo spki = SubjectPublicKeyInfo.getInstance(spkiDer);
      ASN1ObjectIdentifier alg = spki.getAlgorithm().getAlgorithm();
      String jdkName;
      if (alg.equals(X9ObjectIdentifiers.id_ecPublicKey)) {
        jdkName = "EC";
      } else if (alg.equals(PKCSObjectIdentifiers.rsaEncryption)) {
        jdkName = "RSA";
      } else if (alg.equals(PKCSObjectIdentifiers.id_RSASSA_PSS)) {
        jdkName = "RSASSA-PSS";
      } else if (alg.equals(EdECObjectIdentifiers.id_Ed25519)) {
        jdkName = "Ed25519";
      } else {
        throw new IOException("unsupported public key algorithm " + alg);
      }
      return KeyFactory.getInstance(jdkName).generatePublic(new X509EncodedKeySpec(spki.getEncoded()));
    } catch (IOException e) {
      throw e;
    } catch (Exception e) {
      throw new IOException("unreadable public key: " + describe(e), e);
    }
  }

  /** Every certificate in PEM text (leaf first when it is a chain). */
  public static List<X509Certificate> certificatesFromPem(String pem) throws IOException {
    List<X509Certificate> certs = new ArrayList<>();
    try (PemReader reader = new PemReader(new StringReader(pem))) {
      PemObject obj;
      while ((obj = reader.readPemObject()) != null) {
        if (obj.getType().equals("CERTIFICATE")) {
          certs.add(certificateFromDer(obj.getContent()));
        }
      }
    } catch (RuntimeException e) {
      throw new IOException("unreadable PEM: " + describe(e), e);
    }
    return certs;
  }

  public static X509Certificate certificateFromDer(byte[] der) throws IOException {
    try {
      return (X509Certificate) CertificateFactory.getInstance("X.509")
          .generateCertificate(new ByteArrayInputStream(der));
    } catch (CertificateException | RuntimeException e) {
      throw new IOException("unreadable certificate: " + describe(e), e);
    }
  }
}

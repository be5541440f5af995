package io.portcullis.policy.builtins;

import static io.portcullis.policy.builtins.Operands.str;
import static io.portcullis.policy.builtins.Operands.string;

import io.portcullis.policy.value.ArrayValue;
import io.portcullis.policy.value.BooleanValue;
import io.portcullis.policy.value.NullValue;
import io.portcullis.policy.value.NumberValue;
import io.portcullis.policy.value.ObjectValue;
import io.portcullis.policy.value.StringValue;
import io.portcullis.policy.value.Value;
import java.io.ByteArrayInputStream;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.MessageDigest;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.cert.CertPath;
import java.security.cert.CertPathValidator;
import java.security.cert.CertificateFactory;
import java.security.cert.PKIXParameters;
import java.security.cert.TrustAnchor;
import java.security.cert.X509Certificate;
import java.security.interfaces.ECPrivateKey;
import java.security.interfaces.ECPublicKey;
import java.security.interfaces.RSAPrivateCrtKey;
import java.security.interfaces.RSAPublicKey;
import java.security.spec.PKCS8EncodedKeySpec;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Collection;
import java.util.List;
import java.util.Set;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/** Hashes, HMACs, X.509 certificates, CSRs and private keys, shaped like Go's structs as OPA returns them. */
final class CryptoBuiltins {
  private CryptoBuiltins() {}

  static void register(BuiltinRegistry.Builder b) {
    b.add("crypto.md5", 1, (ctx, a) -> str(hex(digest("MD5", string("crypto.md5", a, 0)))));
    b.add("crypto.sha1", 1, (ctx, a) -> str(hex(digest("SHA-1", string("crypto.sha1", a, 0)))));
    b.add("crypto.sha256", 1, (ctx, a) -> str(hex(digest("SHA-256", string("crypto.sha256", a, 0)))));
    b.add("crypto.hmac.md5", 2, (ctx, a) -> str(hex(hmac("HmacMD5", string("crypto.hmac.md5", a, 0), string("crypto.hmac.md5", a, 1)))));
    b.add("crypto.hmac.sha1", 2, (ctx, a) -> str(hex(hmac("HmacSHA1", string("crypto.hmac.sha1", a, 0), string("crypto.hmac.sha1", a, 1)))));
    b.add("crypto.hmac.sha256", 2, (ctx, a) -> str(hex(hmac("HmacSHA256", string("crypto.hmac.sha256", a, 0), string("crypto.hmac.sha256", a, 1)))));
    b.add("crypto.hmac.sha512", 2, (ctx, a) -> str(hex(hmac("HmacSHA512", string("crypto.hmac.sha512", a, 0), string("crypto.hmac.sha512", a, 1)))));
    b.add("crypto.hmac.equal", 2, (ctx, a) -> BooleanValue.of(MessageDigest.isEqual(
        string("crypto.hmac.equal", a, 0).getBytes(StandardCharsets.UTF_8), string("crypto.hmac.equal", a, 1).getBytes(StandardCharsets.UTF_8))));
    b.add("crypto.x509.parse_certificates", 1, (ctx, a) -> {
      String fn = "crypto.x509.parse_certificates";
      List<Value> out = new ArrayList<>();
      for (X509Certificate c : certificates(fn, string(fn, a, 0))) out.add(X509Json.certificate(c));
      return new ArrayValue(out);
    });
    b.add("crypto.x509.parse_and_verify_certificates", 1, (ctx, a) -> {
      String fn = "crypto.x509.parse_and_verify_certificates";
      List<X509Certificate> certs = certificates(fn, string(fn, a, 0));
      List<X509Certificate> chain = verify(certs, null, null);
      if (chain == null) return ArrayValue.of(BooleanValue.FALSE, ArrayValue.EMPTY);
      List<Value> out = new ArrayList<>();
      for (X509Certificate c : chain) out.add(X509Json.certificate(c));
      return ArrayValue.of(BooleanValue.TRUE, new ArrayValue(out));
    });
    b.add("crypto.x509.parse_and_verify_certificates_with_options", 2, (ctx, a) -> {
      String fn = "crypto.x509.parse_and_verify_certificates_with_options";
      List<X509Certificate> certs = certificates(fn, string(fn, a, 0));
      ObjectValue options = Operands.object(fn, a, 1);
      java.util.Date at = null;
      String dnsName = null;
      for (java.util.Map.Entry<Value, Value> e : options.entries().entrySet()) {
        String key = e.getKey() instanceof StringValue k ? k.value() : "";
        Value v = e.getValue();
        switch (key) {
          case "CurrentTime" -> {
            if (!(v instanceof NumberValue n)) throw BuiltinException.failure(fn, "'CurrentTime' should be a number");
            at = new java.util.Date(n.bigDecimal().divide(java.math.BigDecimal.valueOf(1_000_000L)).longValue());
          }
          case "DNSName" -> {
            if (!(v instanceof StringValue sv)) throw BuiltinException.failure(fn, "'DNSName' should be a string");
            dnsName = sv.value();
          }
          case "KeyUsages", "MaxConstraintComparisons" -> { }
          default -> throw BuiltinException.failure(fn, "invalid key option: " + key);
        }
      }
      List<X509Certificate> chain = verify(certs, at, dnsName);
      if (chain == null) return ArrayValue.of(BooleanValue.FALSE, ArrayValue.EMPTY);
      List<Value> out = new ArrayList<>();
      for (X509Certificate c : chain) out.add(X509Json.certificate(c));
      return ArrayValue.of(BooleanValue.TRUE, new ArrayValue(out));
    });
    b.add("crypto.x509.parse_certificate_request", 1, (ctx, a) -> {
      String fn = "crypto.x509.parse_certificate_request";
      byte[] der = pemOrBase64(fn, string(fn, a, 0), "CERTIFICATE REQUEST");
      try {
        return X509Json.certificateRequest(der);
      } catch (RuntimeException e) {
        throw BuiltinException.failure(fn, "x509: malformed certificate request");
      }
    });
    b.add("crypto.x509.parse_rsa_private_key", 1, (ctx, a) -> {
      String fn = "crypto.x509.parse_rsa_private_key";
      byte[] der = pemOrBase64(fn, string(fn, a, 0), null);
      PrivateKey key = privateKey(fn, der);
      if (!(key instanceof RSAPrivateCrtKey rsa)) throw BuiltinException.failure(fn, "not an RSA private key");
      return jwk(rsa);
    });
    b.add("crypto.parse_private_keys", 1, (ctx, a) -> {
      String fn = "crypto.parse_private_keys";
      String s = string(fn, a, 0);
      if (s.isEmpty()) return NullValue.NULL;
      String text = s;
      if (!s.startsWith("-----BEGIN")) {
        try {
          text = new String(Base64.getDecoder().decode(s), StandardCharsets.UTF_8);
        } catch (IllegalArgumentException e) {
          return ArrayValue.EMPTY;
        }
      }
      List<Value> out = new ArrayList<>();
      for (Pem block : Pem.decodeAll(text)) {
        if (!block.type().contains("PRIVATE KEY")) continue;
        PrivateKey key = privateKey(fn, block.der());
        out.add(key instanceof RSAPrivateCrtKey rsa ? jwk(rsa) : keyObject(key));
      }
      return new ArrayValue(out);
    });
    b.add("crypto.x509.parse_keypair", 2, (ctx, a) -> {
      String fn = "crypto.x509.parse_keypair";
      List<X509Certificate> certs = certificates(fn, string(fn, a, 0));
      byte[] keyDer = pemOrBase64(fn, string(fn, a, 1), null);
      PrivateKey key = privateKey(fn, keyDer);
      List<Value> raw = new ArrayList<>();
      try {
        for (X509Certificate c : certs) raw.add(str(Base64.getEncoder().encodeToString(c.getEncoded())));
      } catch (GeneralSecurityException e) {
        throw BuiltinException.failure(fn, e.getMessage());
      }
      return ObjectValue.builder()
          .put("Certificate", new ArrayValue(raw))
          .put("PrivateKey", key instanceof RSAPrivateCrtKey rsa ? jwk(rsa) : keyObject(key))
          .put("Leaf", certs.isEmpty() ? NullValue.NULL : X509Json.certificate(certs.get(0)))
          .build();
    });
  }

  static byte[] digest(String alg, String s) {
    try {
      return MessageDigest.getInstance(alg).digest(s.getBytes(StandardCharsets.UTF_8));
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException(e);
    }
  }

  static byte[] hmac(String alg, String message, String key) {
    try {
      Mac mac = Mac.getInstance(alg);
      byte[] k = key.getBytes(StandardCharsets.UTF_8);
      // HMAC pads keys with zeros, so an empty key is the same as one zero byte (which Java accepts).
      mac.init(new SecretKeySpec(k.length == 0 ? new byte[1] : k, alg));
      return mac.doFinal(message.getBytes(StandardCharsets.UTF_8));
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException(e);
    }
  }

  static String hex(byte[] b) {
    StringBuilder sb = new StringBuilder(b.length * 2);
    for (byte x : b) sb.append(Character.forDigit((x >> 4) & 0xf, 16)).append(Character.forDigit(x & 0xf, 16));
    return sb.toString();
  }

  /** A PEM block. */
  record Pem(String type, byte[] der) {
    static List<Pem> decodeAll(String text) {
      List<Pem> out = new ArrayList<>();
      int i = 0;
      while (true) {
        int begin = text.indexOf("-----BEGIN ", i);
        if (begin < 0) break;
        int typeEnd = text.indexOf("-----", begin + 11);
        if (typeEnd < 0) break;
        String type = text.substring(begin + 11, typeEnd);
        String endMarker = "-----END " + type + "-----";
        int end = text.indexOf(endMarker, typeEnd);
        if (end < 0) break;
        String body = text.substring(typeEnd + 5, end);
        StringBuilder b64 = new StringBuilder();
        for (String line : body.split("\r?\n")) {
          if (line.contains(":")) continue; // PEM headers
          b64.append(line.trim());
        }
        try {
          out.add(new Pem(type, Base64.getDecoder().decode(b64.toString())));
        } catch (IllegalArgumentException e) {
          break;
        }
        i = end + endMarker.length();
      }
      return out;
    }
  }

  /** DER bytes from PEM text, base64 of PEM, or base64 of DER. */
  private static byte[] pemOrBase64(String fn, String s, String type) throws BuiltinException {
    String text = s;
    if (!s.startsWith("-----BEGIN")) {
      byte[] decoded = EncodingBuiltins.base64(fn, s, false, true);
      String asText = new String(decoded, StandardCharsets.ISO_8859_1);
      if (!asText.startsWith("-----BEGIN")) return decoded;
      text = new String(decoded, StandardCharsets.UTF_8);
    }
    List<Pem> blocks = Pem.decodeAll(text);
    if (blocks.isEmpty()) throw BuiltinException.failure(fn, "failed to parse a PEM block");
    return blocks.get(0).der();
  }

  static List<X509Certificate> certificates(String fn, String s) throws BuiltinException {
    byte[] data;
    String text = s;
    if (!s.startsWith("-----BEGIN")) {
      data = EncodingBuiltins.base64(fn, s, false, true);
      if (!new String(data, StandardCharsets.ISO_8859_1).startsWith("-----BEGIN")) return parseDer(fn, data);
      text = new String(data, StandardCharsets.UTF_8);
    }
    List<X509Certificate> out = new ArrayList<>();
    for (Pem block : Pem.decodeAll(text)) {
      if (!block.type().equals("CERTIFICATE")) continue;
      out.addAll(parseDer(fn, block.der()));
    }
    if (out.isEmpty()) throw BuiltinException.failure(fn, "x509: malformed certificate");
    return out;
  }

  private static List<X509Certificate> parseDer(String fn, byte[] der) throws BuiltinException {
    try {
      CertificateFactory cf = CertificateFactory.getInstance("X.509");
      Collection<? extends java.security.cert.Certificate> certs = cf.generateCertificates(new ByteArrayInputStream(der));
      List<X509Certificate> out = new ArrayList<>();
      for (java.security.cert.Certificate c : certs) out.add((X509Certificate) c);
      if (out.isEmpty()) throw BuiltinException.failure(fn, "x509: malformed certificate");
      return out;
    } catch (GeneralSecurityException e) {
      throw BuiltinException.failure(fn, "x509: malformed certificate");
    }
  }

  /**
   * Verifies the chain as OPA does: certs[0] is the root, the last is the leaf, the others are
   * intermediates. Returns the verified chain from leaf to root, or null.
   */
  static List<X509Certificate> verify(List<X509Certificate> certs, java.util.Date at, String dnsName) {
    if (certs.size() < 2) return null;
    try {
      X509Certificate root = certs.get(0);
      X509Certificate leaf = certs.get(certs.size() - 1);
      List<X509Certificate> pool = new ArrayList<>(certs.subList(1, certs.size() - 1));
      List<X509Certificate> path = new ArrayList<>();
      path.add(leaf);
      X509Certificate current = leaf;
      while (!current.getIssuerX500Principal().equals(root.getSubjectX500Principal())) {
        X509Certificate next = null;
        for (X509Certificate c : pool) {
          if (c.getSubjectX500Principal().equals(current.getIssuerX500Principal())) next = c;
        }
        if (next == null) return null;
        pool.remove(next);
        path.add(next);
        current = next;
      }
      CertificateFactory cf = CertificateFactory.getInstance("X.509");
      CertPath certPath = cf.generateCertPath(path);
      PKIXParameters params = new PKIXParameters(Set.of(new TrustAnchor(root, null)));
      params.setRevocationEnabled(false);
      if (at != null) params.setDate(at);
      CertPathValidator.getInstance("PKIX").validate(certPath, params);
      if (dnsName != null && !matchesDns(leaf, dnsName)) return null;
      path.add(root);
      return path;
    } catch (GeneralSecurityException | RuntimeException e) {
      return null;
    }
  }

  private static boolean matchesDns(X509Certificate leaf, String name) throws GeneralSecurityException {
    if (leaf.getSubjectAlternativeNames() == null) return false;
    for (List<?> san : leaf.getSubjectAlternativeNames()) {
      if (!Integer.valueOf(2).equals(san.get(0))) continue;
      String pattern = String.valueOf(san.get(1)).toLowerCase();
      String host = name.toLowerCase();
      if (pattern.equals(host)) return true;
      if (pattern.startsWith("*.") && host.indexOf('.') > 0 && host.substring(host.indexOf('.')).equals(pattern.substring(1))) return true;
    }
    return false;
  }

  static PrivateKey privateKey(String fn, byte[] der) throws BuiltinException {
    byte[] pkcs8 = der;
    try {
      Der top = Der.read(der);
      List<Der> parts = top.children();
      // PKCS#1 RSAPrivateKey: SEQUENCE { version, n, e, d, p, q, dp, dq, qi }
      if (parts.size() >= 9 && parts.get(1).tag == 0x02 && parts.get(2).tag == 0x02) {
        pkcs8 = wrapPkcs1(der);
      }
    } catch (RuntimeException e) {
      throw BuiltinException.failure(fn, "failed to parse private key");
    }
    for (String alg : new String[] {"RSA", "EC", "Ed25519"}) {
      try {
        return KeyFactory.getInstance(alg).generatePrivate(new PKCS8EncodedKeySpec(pkcs8));
      } catch (GeneralSecurityException e) {
        // try the next algorithm
      }
    }
    throw BuiltinException.failure(fn, "failed to parse private key");
  }

  /** Wraps a PKCS#1 RSA key in a PKCS#8 PrivateKeyInfo. */
  private static byte[] wrapPkcs1(byte[] pkcs1) {
    byte[] algId = {0x30, 0x0d, 0x06, 0x09, 0x2a, (byte) 0x86, 0x48, (byte) 0x86, (byte) 0xf7, 0x0d, 0x01, 0x01, 0x01, 0x05, 0x00};
    byte[] version = {0x02, 0x01, 0x00};
    byte[] octet = tlv(0x04, pkcs1);
    byte[] body = new byte[version.length + algId.length + octet.length];
    System.arraycopy(version, 0, body, 0, version.length);
    System.arraycopy(algId, 0, body, version.length, algId.length);
    System.arraycopy(octet, 0, body, version.length + algId.length, octet.length);
    return tlv(0x30, body);
  }

  private static byte[] tlv(int tag, byte[] content) {
    int len = content.length;
    byte[] lenBytes;
    if (len < 128) {
      lenBytes = new byte[] {(byte) len};
    } else {
      byte[] raw = BigInteger.valueOf(len).toByteArray();
      int skip = raw[0] == 0 ? 1 : 0;
      lenBytes = new byte[raw.length - skip + 1];
      lenBytes[0] = (byte) (0x80 | (raw.length - skip));
      System.arraycopy(raw, skip, lenBytes, 1, raw.length - skip);
    }
    byte[] out = new byte[1 + lenBytes.length + len];
    out[0] = (byte) tag;
    System.arraycopy(lenBytes, 0, out, 1, lenBytes.length);
    System.arraycopy(content, 0, out, 1 + lenBytes.length, len);
    return out;
  }

  static String b64url(BigInteger n) {
    byte[] b = n.toByteArray();
    if (b.length > 1 && b[0] == 0) b = java.util.Arrays.copyOfRange(b, 1, b.length);
    return Base64.getUrlEncoder().withoutPadding().encodeToString(b);
  }

  static Value jwk(RSAPrivateCrtKey k) {
    return ObjectValue.builder()
        .put("kty", str("RSA"))
        .put("n", str(b64url(k.getModulus())))
        .put("e", str(b64url(k.getPublicExponent())))
        .put("d", str(b64url(k.getPrivateExponent())))
        .put("p", str(b64url(k.getPrimeP())))
        .put("q", str(b64url(k.getPrimeQ())))
        .put("dp", str(b64url(k.getPrimeExponentP())))
        .put("dq", str(b64url(k.getPrimeExponentQ())))
        .put("qi", str(b64url(k.getCrtCoefficient())))
        .build();
  }

  static Value keyObject(PrivateKey key) {
    if (key instanceof ECPrivateKey ec) {
      return ObjectValue.builder().put("kty", str("EC")).put("d", str(b64url(ec.getS()))).build();
    }
    return ObjectValue.builder().put("kty", str(key.getAlgorithm())).build();
  }

  static Value publicKey(PublicKey key) {
    if (key instanceof RSAPublicKey rsa) {
      return ObjectValue.builder().put("N", NumberValue.of(rsa.getModulus())).put("E", NumberValue.of(rsa.getPublicExponent())).build();
    }
    if (key instanceof ECPublicKey ec) {
      return ObjectValue.builder()
          .put("Curve", ObjectValue.EMPTY)
          .put("X", NumberValue.of(ec.getW().getAffineX()))
          .put("Y", NumberValue.of(ec.getW().getAffineY()))
          .build();
    }
    return str(Base64.getEncoder().encodeToString(key.getEncoded()));
  }

}

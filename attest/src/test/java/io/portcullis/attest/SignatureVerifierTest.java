package io.portcullis.attest;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.portcullis.attest.cosign.CosignLayerVerifier;
import io.portcullis.attest.cosign.SignatureLayer;
import io.portcullis.attest.cosign.SimpleSigningPayload;
import io.portcullis.attest.report.Reason;
import io.portcullis.attest.trust.PublicKeyReader;
import io.portcullis.attest.trust.TrustPolicy;
import io.portcullis.attest.trust.TrustedKey;
import io.portcullis.attest.verify.SignatureVerifier;
import java.io.IOException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.MessageDigest;
import java.security.Signature;
import java.security.spec.ECGenParameterSpec;
import java.security.spec.MGF1ParameterSpec;
import java.security.spec.PSSParameterSpec;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import org.bouncycastle.asn1.x509.SubjectPublicKeyInfo;
import org.junit.jupiter.api.Test;

/** Every supported key type, through PEM, as a cosign simple-signing signer. */
class SignatureVerifierTest {
  static final byte[] DATA = SimpleSigningPayload.create("r.example/app", "sha256:" + "ab".repeat(32));

  static String pem(String type, byte[] der) {
    return "-----BEGIN " + type + "-----\n" + Base64.getMimeEncoder(64, "\n".getBytes()).encodeToString(der)
        + "\n-----END " + type + "-----\n";
  }

  static KeyPair ec(String curve) throws Exception {
    KeyPairGenerator g = KeyPairGenerator.getInstance("EC");
    g.initialize(new ECGenParameterSpec(curve));
    return g.generateKeyPair();
  }

  static byte[] sign(String alg, java.security.spec.AlgorithmParameterSpec spec, KeyPair kp) throws Exception {
    Signature s = Signature.getInstance(alg);
    if (spec != null) {
      s.setParameter(spec);
    }
    s.initSign(kp.getPrivate());
    s.update(DATA);
    return s.sign();
  }

  static void assertCosignVerifies(KeyPair kp, byte[] sig) throws Exception {
    var key = PublicKeyReader.fromPem(pem("PUBLIC KEY", kp.getPublic().getEncoded()));
    assertTrue(SignatureVerifier.verify(key, DATA, sig));
    byte[] tampered = DATA.clone();
    tampered[5] ^= 1;
    assertFalse(SignatureVerifier.verify(key, tampered, sig));
    var layer = new SignatureLayer(SimpleSigningPayload.MEDIA_TYPE, DATA,
        Map.of(SignatureLayer.SIGNATURE_ANNOTATION, Base64.getEncoder().encodeToString(sig)), null);
    var policy = TrustPolicy.ofKeys("t", List.of(TrustedKey.of("k", key)), null);
    assertTrue(CosignLayerVerifier.verify(layer, "sha256:" + "ab".repeat(32), policy, 1 << 20).verified());
  }

  @Test
  void ecdsaCurvesWithTheirHashAndSha256() throws Exception {
    for (String[] c : new String[][] {{"secp256r1", "SHA256withECDSA"}, {"secp384r1", "SHA384withECDSA"},
        {"secp384r1", "SHA256withECDSA"}, {"secp521r1", "SHA512withECDSA"}}) {
      KeyPair kp = ec(c[0]);
      assertCosignVerifies(kp, sign(c[1], null, kp));
    }
  }

  @Test
  void rsaPkcs1AndPss() throws Exception {
    KeyPairGenerator g = KeyPairGenerator.getInstance("RSA");
    g.initialize(2048);
    KeyPair kp = g.generateKeyPair();
    assertCosignVerifies(kp, sign("SHA256withRSA", null, kp));
    assertCosignVerifies(kp, sign("RSASSA-PSS", new PSSParameterSpec("SHA-256", "MGF1", MGF1ParameterSpec.SHA256, 32, 1), kp));
    assertCosignVerifies(kp, sign("RSASSA-PSS", new PSSParameterSpec("SHA-256", "MGF1", MGF1ParameterSpec.SHA256, 222, 1), kp));
    // PKCS#1 "RSA PUBLIC KEY" PEM reads as the same key
    byte[] pkcs1 = SubjectPublicKeyInfo.getInstance(kp.getPublic().getEncoded()).parsePublicKey().getEncoded();
    assertArrayEquals(kp.getPublic().getEncoded(), PublicKeyReader.fromPem(pem("RSA PUBLIC KEY", pkcs1)).getEncoded());
    // digest-only verification (bundles checked against an image digest)
    byte[] digest = MessageDigest.getInstance("SHA-256").digest(DATA);
    assertTrue(SignatureVerifier.verifyDigest(kp.getPublic(), "SHA-256", digest, sign("SHA256withRSA", null, kp)));
  }

  @Test
  void ed25519() throws Exception {
    KeyPair kp = KeyPairGenerator.getInstance("Ed25519").generateKeyPair();
    assertCosignVerifies(kp, sign("Ed25519", null, kp));
  }

  @Test
  void ecdsaDigestOnly() throws Exception {
    KeyPair kp = ec("secp256r1");
    byte[] digest = MessageDigest.getInstance("SHA-256").digest(DATA);
    assertTrue(SignatureVerifier.verifyDigest(kp.getPublic(), "SHA-256", digest, sign("SHA256withECDSA", null, kp)));
  }

  @Test
  void payloadOfAnotherTypeIsMalformedEvenWhenSigned() throws Exception {
    KeyPair kp = ec("secp256r1");
    byte[] atomic = new String(DATA).replace(SimpleSigningPayload.TYPE, "atomic container signature").getBytes();
    Signature s = Signature.getInstance("SHA256withECDSA");
    s.initSign(kp.getPrivate());
    s.update(atomic);
    var layer = new SignatureLayer(SimpleSigningPayload.MEDIA_TYPE, atomic,
        Map.of(SignatureLayer.SIGNATURE_ANNOTATION, Base64.getEncoder().encodeToString(s.sign())), null);
    var policy = TrustPolicy.ofKeys("t", List.of(TrustedKey.of("k", kp.getPublic())), null);
    assertEquals(Reason.MALFORMED, CosignLayerVerifier.verify(layer, "sha256:" + "ab".repeat(32), policy, 1 << 20).reason());
  }

  @Test
  void garbageKeysAndSignatures() throws Exception {
    assertThrows(IOException.class, () -> PublicKeyReader.fromPem("not a pem"));
    assertThrows(IOException.class, () -> PublicKeyReader.fromPem(pem("PUBLIC KEY", new byte[] {1, 2, 3})));
    KeyPair kp = ec("secp256r1");
    assertFalse(SignatureVerifier.verify(kp.getPublic(), DATA, new byte[] {1, 2, 3}));
    assertFalse(SignatureVerifier.verify(kp.getPublic(), DATA, new byte[0]));
    var layer = new SignatureLayer(SimpleSigningPayload.MEDIA_TYPE, DATA, Map.of(SignatureLayer.SIGNATURE_ANNOTATION, ""), null);
    var policy = TrustPolicy.ofKeys("t", List.of(TrustedKey.of("k", kp.getPublic())), null);
    assertEquals(Reason.WRONG_KEY, CosignLayerVerifier.verify(layer, "sha256:" + "ab".repeat(32), policy, 1 << 20).reason());
  }
}

package io.portcullis.attest.keys;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.portcullis.attest.Fixtures;
import io.portcullis.attest.cosign.CosignLayerVerifier;
import io.portcullis.attest.cosign.SignatureLayer;
import io.portcullis.attest.cosign.SimpleSigningPayload;
import io.portcullis.attest.report.Reason;
import io.portcullis.attest.trust.PublicKeyReader;
import io.portcullis.attest.trust.TrustPolicy;
import io.portcullis.attest.trust.TrustedKey;
import java.security.GeneralSecurityException;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class CosignKeyPairTest {
  static final String K = "skopeo-sigstore/keys/";

  static char[] passphrase(String f) throws Exception {
    return new String(Fixtures.bytes(K + f)).strip().toCharArray();
  }

  @Test
  void decryptsLegacyCosignKeyMatchingItsPublicKey() throws Exception {
    CosignKeyPair kp = CosignKeyPair.decrypt(new String(Fixtures.bytes(K + "test-only-cosign.key")),
        passphrase("test-only-cosign.passphrase"));
    assertArrayEquals(PublicKeyReader.fromPem(Fixtures.bytes(K + "cosign.pub")).getEncoded(), kp.publicKey().getEncoded());
  }

  @Test
  void decryptsSigstoreKeyMatchingItsPublicKey() throws Exception {
    CosignKeyPair kp = CosignKeyPair.decrypt(new String(Fixtures.bytes(K + "test-only-cosign2.key")),
        passphrase("test-only-cosign2.passphrase"));
    assertArrayEquals(PublicKeyReader.fromPem(Fixtures.bytes(K + "cosign2.pub")).getEncoded(), kp.publicKey().getEncoded());
  }

  @Test
  void wrongPasswordIsRefused() {
    assertThrows(GeneralSecurityException.class, () -> CosignKeyPair.decrypt(
        new String(Fixtures.bytes(K + "test-only-cosign.key")), "nope".toCharArray()));
  }

  @Test
  void generatedKeyRoundTripsAndSignsVerifiableSignatures() throws Exception {
    CosignKeyPair kp = CosignKeyPair.generate();
    String pem = kp.encryptedPrivateKeyPem("pw".toCharArray());
    assertTrue(pem.startsWith("-----BEGIN ENCRYPTED SIGSTORE PRIVATE KEY-----"));
    CosignKeyPair back = CosignKeyPair.decrypt(pem, "pw".toCharArray());
    assertArrayEquals(kp.publicKey().getEncoded(), back.publicKey().getEncoded());

    String digest = "sha256:" + "ab".repeat(32);
    var signed = SimpleSigningSigner.sign(back.privateKey(), "registry.example/team/app", digest);
    assertEquals(digest, SimpleSigningPayload.parse(signed.payload()).manifestDigest());
    SignatureLayer layer = new SignatureLayer(SimpleSigningPayload.MEDIA_TYPE, signed.payload(),
        Map.of(SignatureLayer.SIGNATURE_ANNOTATION, signed.signatureBase64()), null);
    TrustPolicy p = TrustPolicy.ofKeys("gen", List.of(TrustedKey.of("gen",
        PublicKeyReader.fromPem(kp.publicKeyPem()))), null);
    assertTrue(CosignLayerVerifier.verify(layer, digest, p, 1 << 20).verified());
    assertEquals(Reason.DIGEST_MISMATCH, CosignLayerVerifier.verify(layer, "sha256:" + "cd".repeat(32), p, 1 << 20).reason());
  }
}

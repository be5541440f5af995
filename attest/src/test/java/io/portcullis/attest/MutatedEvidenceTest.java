package io.portcullis.attest;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;

import io.portcullis.attest.bundle.ArtifactExpectation;
import io.portcullis.attest.bundle.SigstoreBundleVerifier;
import io.portcullis.attest.cosign.CosignLayerVerifier;
import io.portcullis.attest.cosign.SignatureLayer;
import io.portcullis.attest.dsse.DsseVerifier;
import io.portcullis.attest.trust.KeylessIdentity;
import io.portcullis.attest.trust.PublicKeyReader;
import io.portcullis.attest.trust.StringMatch;
import io.portcullis.attest.trust.TrustPolicy;
import io.portcullis.attest.trust.TrustedKey;
import io.portcullis.attest.trust.TrustedRoot;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * Seeded random corruption of real evidence (byte flips, truncation, splices): verification must
 * always return an entry, never throw; a changed simple-signing payload must never verify.
 */
class MutatedEvidenceTest {
  static final int ROUNDS = 300;

  static byte[] mutate(byte[] in, Random r) {
    byte[] b = in.clone();
    switch (r.nextInt(4)) {
      case 0 -> b[r.nextInt(b.length)] ^= (byte) (1 << r.nextInt(8));
      case 1 -> b = Arrays.copyOf(b, r.nextInt(b.length));
      case 2 -> {
        int i = r.nextInt(b.length);
        String noise = "{}[]\":,0e-\\\u0000";
        b[i] = (byte) noise.charAt(r.nextInt(noise.length()));
      }
      default -> {
        int from = r.nextInt(b.length);
        int to = r.nextInt(b.length);
        int len = Math.min(r.nextInt(64), Math.min(b.length - from, b.length - to));
        System.arraycopy(in, from, b, to, len);
      }
    }
    return b;
  }

  @Test
  void mutatedBundlesNeverThrow() throws Exception {
    TrustPolicy keyless = TrustPolicy.ofIdentities("t",
        TrustedRoot.fromJson(Fixtures.path("sigstore-bundles/sigstore-go/trusted-roots/public-good.json")),
        List.of(new KeylessIdentity(StringMatch.regex(".*"), StringMatch.regex(".*"))));
    ArtifactExpectation artifact = ArtifactExpectation.ofContent(Fixtures.bytes("sigstore-bundles/conformance/a.txt"));
    Random r = new Random(42);
    for (String f : List.of("sigstore-bundles/conformance/happy-path-v0.3/bundle.sigstore.json",
        "sigstore-bundles/conformance/happy-path-intoto-in-dsse-v3/bundle.sigstore.json",
        "sigstore-bundles/conformance/happy-path-v0.1/bundle.sigstore.json")) {
      byte[] good = Fixtures.bytes(f);
      for (int i = 0; i < ROUNDS; i++) {
        byte[] bad = mutate(good, r);
        assertNotNull(assertDoesNotThrow(() -> SigstoreBundleVerifier.verify(bad, artifact, keyless, null, 1 << 20)));
      }
    }
  }

  @Test
  void mutatedCosignLayersNeverThrowAndNeverVerify() throws Exception {
    TrustPolicy keys = TrustPolicy.ofKeys("k", List.of(TrustedKey.of("k",
        PublicKeyReader.fromPem(Fixtures.bytes("cosign/containers-image/cosign.pub")))), null);
    SignatureLayer layer = Fixtures.containersImageSignature("cosign/containers-image/dir-img-cosign-valid/signature-1");
    String subject = Fixtures.sha256(Fixtures.bytes("cosign/containers-image/dir-img-cosign-valid/manifest.json"));
    Random r = new Random(7);
    for (int i = 0; i < ROUNDS; i++) {
      byte[] payload = mutate(layer.payload(), r);
      if (Arrays.equals(payload, layer.payload())) {
        continue;
      }
      var e = assertDoesNotThrow(() -> CosignLayerVerifier.verify(
          new SignatureLayer(layer.mediaType(), payload, layer.annotations(), null), subject, keys, 1 << 20));
      assertFalse(e.verified());
      String sig = layer.annotations().get(SignatureLayer.SIGNATURE_ANNOTATION);
      String badSig = new String(mutate(sig.getBytes(), r));
      var e2 = assertDoesNotThrow(() -> CosignLayerVerifier.verify(new SignatureLayer(layer.mediaType(), layer.payload(),
          Map.of(SignatureLayer.SIGNATURE_ANNOTATION, badSig), null), subject, keys, 1 << 20));
      assertNotNull(e2.reason() == null ? e2 : e2.reason());
    }
  }

  @Test
  void mutatedEnvelopesNeverThrow() throws Exception {
    TrustPolicy keys = TrustPolicy.ofKeys("k", List.of(TrustedKey.of("k",
        PublicKeyReader.fromPem(Fixtures.bytes("cosign/containers-image/cosign.pub")))), null);
    byte[] good = Fixtures.bytes("attestations/cosign-policy/valid-custom.json");
    Random r = new Random(9);
    for (int i = 0; i < ROUNDS; i++) {
      byte[] bad = mutate(good, r);
      assertDoesNotThrow(() -> DsseVerifier.verify(bad, Map.of(), ArtifactExpectation.none(), keys, null, 1 << 20));
    }
  }
}

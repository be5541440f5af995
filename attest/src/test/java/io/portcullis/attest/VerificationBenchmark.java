package io.portcullis.attest;

import io.portcullis.attest.bundle.ArtifactExpectation;
import io.portcullis.attest.bundle.SigstoreBundleVerifier;
import io.portcullis.attest.cosign.CosignLayerVerifier;
import io.portcullis.attest.cosign.SignatureLayer;
import io.portcullis.attest.trust.KeylessIdentity;
import io.portcullis.attest.trust.PublicKeyReader;
import io.portcullis.attest.trust.StringMatch;
import io.portcullis.attest.trust.TrustPolicy;
import io.portcullis.attest.trust.TrustedKey;
import io.portcullis.attest.trust.TrustedRoot;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * Verifications per second, uncached, for key-based and keyless evidence. Reports, never asserts a
 * speed. Excluded from the normal build; run with
 * {@code ./mvnw -q -pl attest test -Dtest=VerificationBenchmark -Dgroups=benchmark -DexcludedGroups=none}.
 * Results go to stdout and {@code attest/target/verification-benchmark.txt}.
 */
@Tag("benchmark")
class VerificationBenchmark {
  static final String CI = "cosign/containers-image/";

  static String measure(String name, BooleanSupplier op) {
    for (int i = 0; i < 200; i++) {
      if (!op.getAsBoolean()) {
        throw new IllegalStateException(name + " did not verify");
      }
    }
    long start = System.nanoTime();
    int n = 0;
    while (System.nanoTime() - start < 3_000_000_000L) {
      op.getAsBoolean();
      n++;
    }
    double perSecond = n / ((System.nanoTime() - start) / 1e9);
    return String.format("%-45s %10.0f verifications/s%n", name, perSecond);
  }

  @Test
  void run() throws Exception {
    TrustPolicy keys = TrustPolicy.ofKeys("k", List.of(TrustedKey.of("k", PublicKeyReader.fromPem(Fixtures.bytes(CI + "cosign.pub")))), null);
    SignatureLayer keyed = Fixtures.containersImageSignature(CI + "dir-img-cosign-valid/signature-1");
    String keyedSubject = Fixtures.sha256(Fixtures.bytes(CI + "dir-img-cosign-valid/manifest.json"));

    TrustedRoot pemRoot = TrustedRoot.fromPem(PublicKeyReader.certificatesFromPem(new String(Fixtures.bytes(CI + "fulcio_v1.crt.pem"))),
        List.of(PublicKeyReader.fromPem(Fixtures.bytes(CI + "rekor.pub"))));
    TrustPolicy keyless = TrustPolicy.ofIdentities("kl", pemRoot, List.of(new KeylessIdentity(
        StringMatch.exact("mitr@redhat.com"), StringMatch.exact("https://github.com/login/oauth")))).withRequirements(true, false);
    SignatureLayer kl = Fixtures.containersImageSignature(CI + "dir-img-cosign-fulcio-rekor-valid/signature-1");
    String klSubject = Fixtures.sha256(Fixtures.bytes(CI + "dir-img-cosign-fulcio-rekor-valid/manifest.json"));

    TrustPolicy bundlePolicy = TrustPolicy.ofIdentities("b",
        TrustedRoot.fromJson(Fixtures.path("sigstore-bundles/sigstore-go/trusted-roots/public-good.json")),
        List.of(new KeylessIdentity(StringMatch.exact(
            "https://github.com/sigstore-conformance/extremely-dangerous-public-oidc-beacon/.github/workflows/extremely-dangerous-oidc-beacon.yml@refs/heads/main"),
            StringMatch.exact("https://token.actions.githubusercontent.com"))));
    byte[] bundle = Fixtures.bytes("sigstore-bundles/conformance/happy-path-v0.3/bundle.sigstore.json");
    ArtifactExpectation artifact = ArtifactExpectation.ofContent(Fixtures.bytes("sigstore-bundles/conformance/a.txt"));

    StringBuilder out = new StringBuilder("attest verification benchmark (one thread, uncached)\n");
    out.append(measure("cosign key-based (ECDSA P-256)", () -> CosignLayerVerifier.verify(keyed, keyedSubject, keys, 1 << 20).verified()));
    out.append(measure("cosign keyless (Fulcio chain + Rekor SET)", () -> CosignLayerVerifier.verify(kl, klSubject, keyless, 1 << 20).verified()));
    out.append(measure("Sigstore bundle v0.3 keyless (+SCT, proof)", () -> SigstoreBundleVerifier.verify(bundle, artifact, bundlePolicy, null, 1 << 20).verified()));
    System.out.print(out);
    Files.writeString(Path.of("target/verification-benchmark.txt"), out);
  }
}

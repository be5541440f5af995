package io.portcullis.attest.bundle;

import io.portcullis.attest.Fixtures;
import io.portcullis.attest.report.VerificationEntry;
import io.portcullis.attest.trust.KeylessIdentity;
import io.portcullis.attest.trust.PublicKeyReader;
import io.portcullis.attest.trust.StringMatch;
import io.portcullis.attest.trust.TrustPolicy;
import io.portcullis.attest.trust.TrustedKey;
import io.portcullis.attest.trust.TrustedRoot;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

/**
 * One directory of the Sigstore conformance suite ({@code fixtures/sigstore-bundles/conformance}),
 * with the suite's defaults: artifact {@code a.txt}, the beacon identity and issuer, the public-good
 * trusted root, and {@code key.pub} meaning key-based verification.
 */
public record ConformanceCase(String name, Path dir) {
  public static final String DEFAULT_IDENTITY =
      "https://github.com/sigstore-conformance/extremely-dangerous-public-oidc-beacon/.github/workflows/extremely-dangerous-oidc-beacon.yml@refs/heads/main";
  public static final String DEFAULT_ISSUER = "https://token.actions.githubusercontent.com";

  public static Stream<ConformanceCase> all() throws IOException {
    Path base = Fixtures.path("sigstore-bundles/conformance");
    try (Stream<Path> s = Files.list(base)) {
      return s.filter(Files::isDirectory).sorted()
          .map(d -> new ConformanceCase(d.getFileName().toString(), d)).toList().stream();
    }
  }

  public boolean shouldFail() {
    return name.endsWith("_fail");
  }

  public Path bundle() {
    return dir.resolve("bundle.sigstore.json");
  }

  public Path artifact() {
    Path own = dir.resolve("artifact");
    return Files.exists(own) ? own : dir.getParent().resolve("a.txt");
  }

  public Path trustedRoot() {
    Path own = dir.resolve("trusted_root.json");
    return Files.exists(own) ? own : Fixtures.path("sigstore-bundles/sigstore-go/trusted-roots/public-good.json");
  }

  public Path key() {
    Path k = dir.resolve("key.pub");
    return Files.exists(k) ? k : null;
  }

  public String identity() throws IOException {
    Path f = dir.resolve("identity");
    return Files.exists(f) ? Files.readString(f).trim() : DEFAULT_IDENTITY;
  }

  public String issuer() throws IOException {
    Path f = dir.resolve("issuer");
    return Files.exists(f) ? Files.readString(f).trim() : DEFAULT_ISSUER;
  }

  public TrustPolicy policy() throws IOException {
    TrustedRoot root = TrustedRoot.fromJson(trustedRoot());
    if (key() != null) {
      return TrustPolicy.ofKeys("conformance", List.of(TrustedKey.of("key.pub",
          PublicKeyReader.fromPem(Files.readAllBytes(key())))), root);
    }
    return TrustPolicy.ofIdentities("conformance", root,
        List.of(new KeylessIdentity(StringMatch.exact(identity()), StringMatch.exact(issuer()))));
  }

  /** The artifact is the signed content for message signatures and the statement's subject for DSSE. */
  public VerificationEntry verify() throws IOException {
    return SigstoreBundleVerifier.verify(Files.readAllBytes(bundle()),
        ArtifactExpectation.ofContent(Files.readAllBytes(artifact())), policy(), null, 1 << 24);
  }

  @Override
  public String toString() {
    return name;
  }
}

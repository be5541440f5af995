package io.portcullis.attest.bundle;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.sigstore.KeylessVerifier;
import dev.sigstore.TrustedRootProvider;
import dev.sigstore.VerificationOptions;
import dev.sigstore.bundle.Bundle;
import dev.sigstore.strings.StringMatcher;
import io.portcullis.attest.report.VerificationEntry;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.security.MessageDigest;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Differential check: on every keyless conformance case that sigstore-java 2.0.0's
 * {@link KeylessVerifier} can process offline, our verdict equals its verdict. (Our pipeline also
 * handles what it refuses: public-key bundles, SHA-384 digests, TSA-only bundles, Rekor v2 DSSE.)
 */
class AgreementWithSigstoreJavaTest {
  /** Cases sigstore-java 2.0.0 cannot process (it refuses them, whatever the verdict should be). */
  static final Set<String> UNSUPPORTED_BY_SIGSTORE_JAVA = Set.of("rekor2-dsse-happy-path");

  static Stream<ConformanceCase> keylessCases() throws Exception {
    return ConformanceCase.all().filter(c -> c.key() == null && !UNSUPPORTED_BY_SIGSTORE_JAVA.contains(c.name()));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("keylessCases")
  void sameVerdict(ConformanceCase c) throws Exception {
    boolean theirs;
    try {
      KeylessVerifier v = KeylessVerifier.builder().trustedRootProvider(TrustedRootProvider.from(c.trustedRoot())).build();
      byte[] digest = MessageDigest.getInstance("SHA-256").digest(Files.readAllBytes(c.artifact()));
      v.verify(digest, Bundle.from(Files.newBufferedReader(c.bundle(), StandardCharsets.UTF_8)),
          VerificationOptions.builder().addCertificateMatchers(VerificationOptions.CertificateMatcher.fulcio()
              .subjectAlternativeName(StringMatcher.string(c.identity()))
              .issuer(StringMatcher.string(c.issuer())).build()).build());
      theirs = true;
    } catch (Exception e) {
      theirs = false;
    }
    VerificationEntry ours = c.verify();
    assertEquals(theirs, ours.verified(), c.name() + ": ours " + ours.reason() + " " + ours.detail());
  }
}

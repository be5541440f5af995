package io.portcullis.attest.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import io.portcullis.attest.bundle.ArtifactExpectation;
import io.portcullis.attest.bundle.SigstoreBundleVerifier;
import io.portcullis.attest.report.VerificationEntry;
import io.portcullis.attest.trust.TrustPolicy;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/**
 * {@code portcullis verify-blob}: like {@code cosign verify-blob --bundle}. For a DSSE bundle the
 * FILE is the attestation's subject (its SHA-256 must be a statement subject).
 */
@Command(name = "verify-blob", mixinStandardHelpOptions = true,
    description = "Verify a Sigstore bundle for FILE; prints the result as JSON, exit 0 only when it verifies.")
public final class VerifyBlobCommand implements Callable<Integer> {
  static final long MAX_BUNDLE = 16L << 20;

  @Mixin
  TrustOptions trust;

  @Option(names = "--bundle", required = true, paramLabel = "B", description = "Sigstore bundle (v0.1 to v0.3).")
  Path bundle;

  @Parameters(paramLabel = "FILE")
  Path file;

  @Spec
  CommandSpec spec;

  @Override
  public Integer call() throws Exception {
    var err = spec.commandLine().getErr();
    TrustPolicy policy;
    byte[] bundleBytes;
    byte[] content;
    try {
      policy = trust.toPolicy();
      if (Files.size(bundle) > MAX_BUNDLE) {
        err.println("verify-blob: bundle larger than " + MAX_BUNDLE + " bytes");
        return 1;
      }
      bundleBytes = Files.readAllBytes(bundle);
      content = Files.readAllBytes(file);
    } catch (IllegalArgumentException | java.io.IOException e) {
      err.println("verify-blob: " + e.getMessage());
      return 2;
    }
    VerificationEntry e = SigstoreBundleVerifier.verify(bundleBytes, ArtifactExpectation.ofContent(content), policy,
        null, MAX_BUNDLE);
    spec.commandLine().getOut().println(new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT).writeValueAsString(e));
    return e.verified() ? 0 : 1;
  }
}

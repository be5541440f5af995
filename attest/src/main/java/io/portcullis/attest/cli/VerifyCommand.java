package io.portcullis.attest.cli;

import io.portcullis.attest.discovery.SubjectVerifier;
import io.portcullis.attest.discovery.VerificationLimits;
import io.portcullis.attest.registry.ImageReference;
import io.portcullis.attest.registry.RegistryClient;
import io.portcullis.attest.report.VerificationReport;
import io.portcullis.attest.trust.TrustPolicy;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code portcullis verify}: finds and verifies the signatures of an image in any registry; prints the report. */
@Command(name = "verify", mixinStandardHelpOptions = true,
    description = "Verify the signatures and attestations of REGISTRY/REPO:TAG or @DIGEST; prints the report as JSON, "
        + "exit 0 only if at least one signature verifies.")
public final class VerifyCommand implements Callable<Integer> {
  @Mixin
  TrustOptions trust;

  @Option(names = "--insecure", description = "Plain HTTP.")
  boolean insecure;

  @Parameters(paramLabel = "REGISTRY/REPO:TAG|@DIGEST")
  String reference;

  @Spec
  CommandSpec spec;

  @Override
  public Integer call() throws Exception {
    var err = spec.commandLine().getErr();
    ImageReference ref;
    TrustPolicy policy;
    try {
      ref = ImageReference.parse(reference);
      policy = trust.toPolicy();
    } catch (IllegalArgumentException | java.io.IOException e) {
      err.println("verify: " + e.getMessage());
      return 2;
    }
    RegistryClient client = new RegistryClient(ref.registry(), insecure);
    String digest = ref.digest();
    if (digest == null) {
      var m = client.fetchManifest(ref.repository(), ref.tag());
      if (m.isEmpty()) {
        err.println("verify: " + ref + " not found");
        return 1;
      }
      digest = m.get().digest();
    }
    VerificationReport report = new SubjectVerifier(VerificationLimits.DEFAULT, 64)
        .verify(client, ref.repository(), digest, List.of(policy));
    spec.commandLine().getOut().println(report.toJson());
    return report.hasVerifiedSignature() ? 0 : 1;
  }
}

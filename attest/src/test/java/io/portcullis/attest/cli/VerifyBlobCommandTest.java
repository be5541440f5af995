package io.portcullis.attest.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.portcullis.attest.Fixtures;
import io.portcullis.attest.bundle.ConformanceCase;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import picocli.CommandLine;

/** {@code verify-blob} over every Sigstore conformance case, with the suite's defaults as flags. */
class VerifyBlobCommandTest {
  static Stream<ConformanceCase> cases() throws Exception {
    return ConformanceCase.all();
  }

  static int run(List<String> args, StringWriter out) {
    CommandLine cl = new CommandLine(new VerifyBlobCommand());
    cl.setOut(new PrintWriter(out));
    cl.setErr(new PrintWriter(new StringWriter()));
    return cl.execute(args.toArray(String[]::new));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("cases")
  void conformanceCase(ConformanceCase c) throws Exception {
    List<String> args = new ArrayList<>(List.of("--bundle", c.bundle().toString(), "--trusted-root", c.trustedRoot().toString()));
    if (c.key() != null) {
      args.addAll(List.of("--key", c.key().toString()));
    } else {
      args.addAll(List.of("--certificate-identity", c.identity(), "--certificate-oidc-issuer", c.issuer()));
    }
    args.add(c.artifact().toString());
    StringWriter out = new StringWriter();
    assertEquals(c.shouldFail() ? 1 : 0, run(args, out), c.name() + "\n" + out);
  }

  @Test
  void regexpIdentityAndUsageErrors() throws Exception {
    String sj = Fixtures.path("sigstore-bundles/sigstore-java/").toString() + "/";
    assertEquals(0, run(List.of("--bundle", sj + "bundle.v3.sigstore", "--trusted-root", sj + "trusted_root.json",
        "--certificate-identity-regexp", ".*@google\\.com", "--certificate-oidc-issuer-regexp", "https://accounts\\..*",
        sj + "artifact.txt"), new StringWriter()));
    // keyless without issuer, and no trust at all, are usage errors
    assertEquals(2, run(List.of("--bundle", sj + "bundle.v3.sigstore", "--trusted-root", sj + "trusted_root.json",
        "--certificate-identity", "appu@google.com", sj + "artifact.txt"), new StringWriter()));
    assertEquals(2, run(List.of("--bundle", sj + "bundle.v3.sigstore", sj + "artifact.txt"), new StringWriter()));
  }
}

package io.portcullis.attest.bundle;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.portcullis.attest.report.Reason;
import io.portcullis.attest.report.VerificationEntry;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** Every case of the Sigstore conformance suite in the shared fixtures, with the reason each failure must give. */
class ConformanceTest {
  static final Map<String, Reason> EXPECTED = Map.ofEntries(
      Map.entry("bundle-malformed-json_fail", Reason.MALFORMED),
      Map.entry("bundle-negative-log-index_fail", Reason.TLOG_INVALID),
      Map.entry("bundle-unknown-version_fail", Reason.MALFORMED),
      Map.entry("checkpoint-wrong-roothash_fail", Reason.TLOG_INVALID),
      Map.entry("dsse-invalid-sig_fail", Reason.BAD_SIGNATURE),
      Map.entry("dsse-mismatch-envelope_fail", Reason.TLOG_INVALID),
      Map.entry("incorrect-public-key_fail", Reason.TLOG_INVALID),
      Map.entry("intoto-expired-certificate_fail", Reason.EXPIRED_AT_SIGNING_TIME),
      Map.entry("invalid-inclusion-proof_fail", Reason.TLOG_INVALID),
      Map.entry("managed-key-wrong-key_fail", Reason.WRONG_KEY),
      Map.entry("message-digest-mismatch_fail", Reason.DIGEST_MISMATCH),
      Map.entry("set-invalid-signature_fail", Reason.TLOG_INVALID),
      Map.entry("signature-mismatch_fail", Reason.BAD_SIGNATURE),
      Map.entry("wrong-material_fail", Reason.DIGEST_MISMATCH));

  static Stream<ConformanceCase> cases() throws Exception {
    return ConformanceCase.all();
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("cases")
  void behavesAsNamed(ConformanceCase c) throws Exception {
    VerificationEntry e = c.verify();
    if (c.shouldFail()) {
      assertFalse(e.verified(), c.name() + " must fail");
      assertEquals(EXPECTED.get(c.name()), e.reason(), c.name() + ": " + e.detail());
    } else {
      assertTrue(e.verified(), c.name() + ": " + e.reason() + " " + e.detail());
      assertNull(e.reason());
    }
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("cases")
  void everyFailingCaseHasAnExpectedReason(ConformanceCase c) {
    assertEquals(c.shouldFail(), EXPECTED.containsKey(c.name()), c.name());
  }
}

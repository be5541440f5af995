package io.portcullis.attest.verify;

import com.fasterxml.jackson.databind.JsonNode;
import io.portcullis.attest.report.Reason;
import io.portcullis.attest.report.TimestampSource;
import io.portcullis.attest.report.VerificationEntry;
import io.portcullis.attest.trust.KeylessIdentity;
import io.portcullis.attest.trust.TrustPolicy;
import io.portcullis.attest.trust.TrustedKey;
import java.security.PublicKey;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * Decides whether a signature was made by someone a trust policy trusts. Composes the single-service
 * verifiers in a fixed order: signature, transparency log (and that the entry is about this
 * signature), timestamps, certificate chain at the signing time, identity. Fills the signer fields
 * of the report entry and returns the first failed check.
 */
public final class SignerVerifier {
  private SignerVerifier() {}

  public static Check verify(Evidence evidence, TrustPolicy policy, VerificationEntry.Builder out) {
    out.policy(policy.name());
    return evidence.keyless() ? keyless(evidence, policy, out) : keyBased(evidence, policy, out);
  }

  private static Check keyBased(Evidence ev, TrustPolicy policy, VerificationEntry.Builder out) {
    if (policy.keys().isEmpty()) {
      return Check.fail(Reason.NO_TRUST_CONFIGURED, "policy " + policy.name() + " trusts no keys");
    }
    TrustedKey signer = null;
    for (TrustedKey k : policy.keys()) {
      if (ev.signatureValidWith().test(k.key())) {
        signer = k;
        break;
      }
    }
    if (signer == null) {
      return Check.fail(Reason.WRONG_KEY, "signature does not verify with any key of policy " + policy.name());
    }
    out.keyId(signer.id());
    var root = policy.trustedRoot();
    if (root == null) {
      return policy.requireTransparencyLog()
          ? Check.fail(Reason.TLOG_MISSING, "policy requires a log entry but has no trusted root") : Check.OK;
    }
    // Log entries are checked when the root has log keys; timestamps when it has authorities.
    boolean logs = !root.transparencyLogs().isEmpty();
    boolean stamps = !root.timestampAuthorities().isEmpty();
    TimesOrFailure times = trustedTimes(ev, signer.key(), policy, out, logs, stamps);
    return times.failure != null ? times.failure : Check.OK;
  }

  private static Check keyless(Evidence ev, TrustPolicy policy, VerificationEntry.Builder out) {
    FulcioCertificate fulcio = FulcioCertificate.of(ev.certificate());
    out.identity(fulcio.identity()).issuer(fulcio.issuer());
    if (!policy.allowsKeyless()) {
      return Check.fail(Reason.NO_TRUST_CONFIGURED,
          "policy " + policy.name() + " has no keyless identities or no trusted root");
    }
    PublicKey key = ev.certificate().getPublicKey();
    if (!ev.signatureValidWith().test(key)) {
      return Check.fail(Reason.BAD_SIGNATURE, "signature does not verify with the signing certificate's key");
    }
    TimesOrFailure times = trustedTimes(ev, key, policy, out, true, true);
    if (times.failure != null) {
      return times.failure;
    }
    if (times.times.isEmpty()) {
      return Check.fail(Reason.TLOG_MISSING, "keyless signature without a trusted signing time");
    }
    Check chain = CertificateChainVerifier.verify(ev.certificate(), ev.chain(), times.times, policy.trustedRoot(),
        policy.requireSct());
    if (!chain.passed()) {
      return chain;
    }
    for (KeylessIdentity id : policy.identities()) {
      for (String san : fulcio.subjectAlternativeNames()) {
        if (id.matches(san, fulcio.issuer())) {
          out.identity(san);
          return Check.OK;
        }
      }
    }
    return Check.fail(Reason.IDENTITY_MISMATCH, "certificate identity " + fulcio.subjectAlternativeNames()
        + " from " + fulcio.issuer() + " matches none of " + policy.identities());
  }

  private record TimesOrFailure(List<Instant> times, Check failure) {}

  /** Verifies log entries (each must verify and be about this signature) and timestamps. */
  private static TimesOrFailure trustedTimes(Evidence ev, PublicKey key, TrustPolicy policy,
      VerificationEntry.Builder out, boolean checkLogs, boolean checkTimestamps) {
    List<Instant> times = new ArrayList<>();
    var root = policy.trustedRoot();
    LogEntryBinding binding = ev.binding().apply(key);
    List<TransparencyLogVerifier.Result> results = new ArrayList<>();
    if (checkLogs && ev.cosignBundleAnnotation() != null) {
      results.add(TransparencyLogVerifier.verifyCosignBundle(ev.cosignBundleAnnotation(), root));
    }
    for (JsonNode e : checkLogs ? ev.bundleLogEntries() : List.<JsonNode>of()) {
      results.add(TransparencyLogVerifier.verifyBundleEntry(e, root));
    }
    boolean logged = false;
    for (TransparencyLogVerifier.Result r : results) {
      if (!r.passed()) {
        return new TimesOrFailure(times, r.failure());
      }
      Check bound = binding.check(r.entry().body());
      if (!bound.passed()) {
        return new TimesOrFailure(times, bound);
      }
      logged = true;
      if (r.entry().integratedTime() != null) {
        times.add(r.entry().integratedTime());
        out.timestamp(r.entry().source(), r.entry().integratedTime());
      }
    }
    if (!logged && policy.requireTransparencyLog()) {
      return new TimesOrFailure(times, Check.fail(Reason.TLOG_MISSING, "no transparency-log entry"));
    }
    for (byte[] token : checkTimestamps ? ev.timestamps() : List.<byte[]>of()) {
      Instant t = TimestampVerifier.verify(token, ev.signature(), root);
      if (t == null) {
        return new TimesOrFailure(times, Check.fail(Reason.TIMESTAMP_INVALID,
            "RFC 3161 timestamp does not verify against the trusted timestamp authorities"));
      }
      times.add(t);
      if (times.size() == 1) {
        out.timestamp(TimestampSource.RFC3161, t);
      }
    }
    return new TimesOrFailure(times, null);
  }
}

package io.portcullis.attest.verify;

import dev.sigstore.fulcio.client.FulcioVerifier;
import io.portcullis.attest.report.Reason;
import io.portcullis.attest.trust.TrustedRoot;
import java.security.cert.CertPathBuilder;
import java.security.cert.CertStore;
import java.security.cert.CertificateExpiredException;
import java.security.cert.CertificateFactory;
import java.security.cert.CertificateNotYetValidException;
import java.security.cert.CollectionCertStoreParameters;
import java.security.cert.PKIXBuilderParameters;
import java.security.cert.TrustAnchor;
import java.security.cert.X509CertSelector;
import java.security.cert.X509Certificate;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Date;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * Checks that a signing certificate is a code-signing leaf (codeSigning EKU, not a CA), was valid at
 * every trusted signing time, chains (PKIX) to a
 * certificate authority of the trusted root that was valid when the certificate was issued, and,
 * when required, carries a valid SCT from a CT log of the root.
 */
public final class CertificateChainVerifier {
  private static final String CODE_SIGNING = "1.3.6.1.5.5.7.3.3";
  private CertificateChainVerifier() {}

  /**
   * @param leaf the signing certificate
   * @param presented further certificates that came with the evidence (intermediates, maybe the root);
   *     they are only candidates for path building, never trust anchors
   * @param signingTimes trusted signing times (log integrated time, RFC 3161 times); must not be empty
   */
  public static Check verify(X509Certificate leaf, List<X509Certificate> presented, List<Instant> signingTimes,
      TrustedRoot root, boolean requireSct) {
    if (signingTimes.isEmpty()) {
      return Check.fail(Reason.TLOG_MISSING, "no trusted signing time to check the certificate against");
    }
    for (Instant t : signingTimes) {
      try {
        leaf.checkValidity(Date.from(t));
      } catch (CertificateExpiredException | CertificateNotYetValidException e) {
        return Check.fail(Reason.EXPIRED_AT_SIGNING_TIME, "certificate valid " + leaf.getNotBefore().toInstant()
            + " to " + leaf.getNotAfter().toInstant() + ", signed at " + t);
      }
    }
    try {
      List<String> eku = leaf.getExtendedKeyUsage();
      if (eku == null || !eku.contains(CODE_SIGNING)) {
        return Check.fail(Reason.UNTRUSTED_CHAIN, "signing certificate lacks the codeSigning extended key usage");
      }
    } catch (java.security.cert.CertificateParsingException e) {
      return Check.fail(Reason.UNTRUSTED_CHAIN, "unreadable extended key usage");
    }
    if (leaf.getBasicConstraints() >= 0) {
      return Check.fail(Reason.UNTRUSTED_CHAIN, "signing certificate is a CA certificate");
    }
    Instant issued = leaf.getNotBefore().toInstant();
    List<TrustedRoot.CertificateAuthority> cas = root.certificateAuthorities().stream()
        .filter(ca -> ca.validAt(issued)).toList();
    if (cas.isEmpty()) {
      return Check.fail(Reason.UNTRUSTED_CHAIN, "no trusted certificate authority was valid at " + issued);
    }
    String lastError = "no path";
    for (TrustedRoot.CertificateAuthority ca : cas) {
      try {
        Set<TrustAnchor> anchors = new HashSet<>();
        List<X509Certificate> candidates = new ArrayList<>();
        candidates.add(leaf);
        for (X509Certificate c : ca.chain()) {
          if (selfSigned(c)) {
            anchors.add(new TrustAnchor(c, null));
          } else {
            candidates.add(c);
          }
        }
        if (anchors.isEmpty()) {
          anchors.add(new TrustAnchor(ca.chain().get(ca.chain().size() - 1), null));
        }
        for (X509Certificate c : presented) {
          if (!selfSigned(c)) {
            candidates.add(c);
          }
        }
        X509CertSelector target = new X509CertSelector();
        target.setCertificate(leaf);
        PKIXBuilderParameters params = new PKIXBuilderParameters(anchors, target);
        params.setRevocationEnabled(false);
        params.setDate(Date.from(signingTimes.get(0)));
        params.addCertStore(CertStore.getInstance("Collection", new CollectionCertStoreParameters(candidates)));
        CertPathBuilder.getInstance("PKIX").build(params);
        return requireSct ? checkSct(leaf, presented, root) : Check.OK;
      } catch (Exception e) {
        lastError = e.getMessage();
      }
    }
    return Check.fail(Reason.UNTRUSTED_CHAIN, "certificate does not chain to the trusted root: " + lastError);
  }

  private static Check checkSct(X509Certificate leaf, List<X509Certificate> presented, TrustedRoot root) {
    if (!root.hasCtLogs() || root.sigstore().isEmpty()) {
      return Check.fail(Reason.UNTRUSTED_CHAIN, "SCT required but the trusted root has no CT logs");
    }
    try {
      List<X509Certificate> path = new ArrayList<>();
      path.add(leaf);
      path.addAll(presented);
      FulcioVerifier.newFulcioVerifier(root.sigstore().get())
          .verifySigningCertificate(CertificateFactory.getInstance("X.509").generateCertPath(path));
      return Check.OK;
    } catch (Exception e) {
      return Check.fail(Reason.UNTRUSTED_CHAIN, "certificate transparency check failed: " + e.getMessage());
    }
  }

  private static boolean selfSigned(X509Certificate c) {
    if (!c.getSubjectX500Principal().equals(c.getIssuerX500Principal())) {
      return false;
    }
    try {
      c.verify(c.getPublicKey());
      return true;
    } catch (Exception e) {
      return false;
    }
  }
}

package io.portcullis.attest.verify;

import io.portcullis.attest.trust.TrustedRoot;
import java.security.MessageDigest;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.bouncycastle.cert.X509CertificateHolder;
import org.bouncycastle.cms.SignerInformationVerifier;
import org.bouncycastle.cms.jcajce.JcaSimpleSignerInfoVerifierBuilder;
import org.bouncycastle.operator.jcajce.JcaContentVerifierProviderBuilder;
import org.bouncycastle.tsp.TimeStampResponse;
import org.bouncycastle.tsp.TimeStampToken;

/**
 * Verifies an RFC 3161 timestamp over a signature: the token's message imprint is the hash of the
 * signature bytes, the token is signed by a timestamp authority of the trusted root (its signing
 * certificate, or an embedded one issued by that authority's chain) that was valid at the
 * timestamp's time. Returns the trusted time.
 */
public final class TimestampVerifier {
  /** Bouncy Castle as a local provider (not registered globally): it accepts TSA certificates the JDK refuses. */
  private static final java.security.Provider BC = io.portcullis.attest.Providers.BOUNCY_CASTLE;

  private TimestampVerifier() {}

  /** The verified time, or null when the token does not verify. */
  public static Instant verify(byte[] tokenOrResponse, byte[] signature, TrustedRoot root) {
    try {
      TimeStampToken token = parse(tokenOrResponse);
      var info = token.getTimeStampInfo();
      String alg = switch (info.getMessageImprintAlgOID().getId()) {
        case "2.16.840.1.101.3.4.2.1" -> "SHA-256";
        case "2.16.840.1.101.3.4.2.2" -> "SHA-384";
        case "2.16.840.1.101.3.4.2.3" -> "SHA-512";
        default -> null;
      };
      if (alg == null || !MessageDigest.isEqual(MessageDigest.getInstance(alg).digest(signature),
          info.getMessageImprintDigest())) {
        return null;
      }
      Instant genTime = info.getGenTime().toInstant();
      List<X509CertificateHolder> embedded = new ArrayList<>();
      for (Object o : token.getCertificates().getMatches(null)) {
        embedded.add((X509CertificateHolder) o);
      }
      for (TrustedRoot.TimestampAuthority tsa : root.timestampAuthorities()) {
        if (!tsa.validAt(genTime) || tsa.chain().isEmpty()) {
          continue;
        }
        List<X509CertificateHolder> signers = new ArrayList<>();
        signers.add(tsa.chain().get(0));
        for (X509CertificateHolder e : embedded) {
          if (issuedByChain(e, tsa.chain())) {
            signers.add(e);
          }
        }
        for (X509CertificateHolder signer : signers) {
          if (!signer.isValidOn(info.getGenTime())) {
            continue;
          }
          try {
            SignerInformationVerifier v = new JcaSimpleSignerInfoVerifierBuilder().setProvider(BC).build(signer);
            token.validate(v);
            return genTime;
          } catch (Exception e) {
            // try the next candidate
          }
        }
      }
      return null;
    } catch (Exception e) {
      return null;
    }
  }

  private static boolean issuedByChain(X509CertificateHolder cert, List<X509CertificateHolder> chain) {
    for (X509CertificateHolder issuer : chain) {
      try {
        if (Arrays.equals(cert.getEncoded(), issuer.getEncoded())) {
          return true;
        }
        if (cert.getIssuer().equals(issuer.getSubject()) && cert.isSignatureValid(
            new JcaContentVerifierProviderBuilder().setProvider(BC).build(issuer))) {
          return true;
        }
      } catch (Exception e) {
        // not this issuer
      }
    }
    return false;
  }

  private static TimeStampToken parse(byte[] bytes) throws Exception {
    try {
      TimeStampResponse resp = new TimeStampResponse(bytes);
      if (resp.getTimeStampToken() != null) {
        return resp.getTimeStampToken();
      }
    } catch (Exception e) {
      // not a response; maybe a bare token
    }
    return new TimeStampToken(new org.bouncycastle.cms.CMSSignedData(bytes));
  }
}

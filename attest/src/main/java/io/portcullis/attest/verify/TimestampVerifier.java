package io.portcullis.attest.verify;

import io.portcullis.attest.trust.TrustedRoot;
import java.time.Instant;

/** Verifies RFC 3161 timestamps over a signature against the timestamp authorities of a trusted root. */
public final class TimestampVerifier {
  private TimestampVerifier() {}

  /** The verified time, or null when the token does not verify. */
  public static Instant verify(byte[] token, byte[] signature, TrustedRoot root) {
    if (root.sigstore().isEmpty() || root.sigstore().get().getTSAs().isEmpty()) {
      return null;
    }
    try {
      var verifier = dev.sigstore.timestamp.client.TimestampVerifier.newTimestampVerifier(root.sigstore().get());
      dev.sigstore.timestamp.client.TimestampResponse response = () -> token;
      verifier.verify(response, signature);
      return response.getGenTime().toInstant();
    } catch (Exception e) {
      return null;
    }
  }
}

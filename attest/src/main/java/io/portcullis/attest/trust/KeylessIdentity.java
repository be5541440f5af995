package io.portcullis.attest.trust;

import java.util.Objects;

/**
 * A trusted keyless signer: the certificate's subject alternative name and the OIDC issuer recorded
 * by Fulcio must both match. Both are required: there is no "any identity" default.
 */
public record KeylessIdentity(StringMatch subject, StringMatch issuer) {
  public KeylessIdentity {
    Objects.requireNonNull(subject, "keyless identity needs a subject (SAN) matcher");
    Objects.requireNonNull(issuer, "keyless identity needs an OIDC issuer matcher");
  }

  public boolean matches(String san, String oidcIssuer) {
    return subject.matches(san) && issuer.matches(oidcIssuer);
  }

  @Override
  public String toString() {
    return subject + " from " + issuer;
  }
}

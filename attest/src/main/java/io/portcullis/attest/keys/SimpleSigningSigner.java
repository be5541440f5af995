package io.portcullis.attest.keys;

import io.portcullis.attest.cosign.SimpleSigningPayload;
import java.security.GeneralSecurityException;
import java.security.PrivateKey;
import java.security.Signature;
import java.util.Base64;

/**
 * Makes a cosign simple-signing signature: the payload bytes for (docker reference, manifest digest)
 * and the base64 ECDSA-SHA256 signature over exactly those bytes, for the
 * {@code dev.cosignproject.cosign/signature} annotation.
 */
public final class SimpleSigningSigner {
  /** The layer blob and its signature annotation value. */
  public record SignedPayload(byte[] payload, String signatureBase64) {}

  private SimpleSigningSigner() {}

  public static SignedPayload sign(PrivateKey key, String dockerReference, String manifestDigest)
      throws GeneralSecurityException {
    byte[] payload = SimpleSigningPayload.create(dockerReference, manifestDigest);
    Signature s = Signature.getInstance(key.getAlgorithm().equals("EC") ? "SHA256withECDSA"
        : key.getAlgorithm().equals("RSA") ? "SHA256withRSA" : "Ed25519");
    s.initSign(key);
    s.update(payload);
    return new SignedPayload(payload, Base64.getEncoder().encodeToString(s.sign()));
  }
}

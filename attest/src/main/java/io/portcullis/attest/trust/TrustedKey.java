package io.portcullis.attest.trust;

import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.PublicKey;
import java.util.HexFormat;

/**
 * A trusted public key.
 *
 * @param name what the administrator called it (file name or configuration key)
 * @param id {@code sha256:<hex>} of the DER SubjectPublicKeyInfo, reported as the signer key id
 * @param key the key
 */
public record TrustedKey(String name, String id, PublicKey key) {

  public static TrustedKey of(String name, PublicKey key) {
    return new TrustedKey(name, idOf(key), key);
  }

  public static String idOf(PublicKey key) {
    try {
      return "sha256:" + HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(key.getEncoded()));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is always available", e);
    }
  }
}

package io.portcullis.attest.bundle;

import java.security.MessageDigest;
import java.util.HexFormat;

/**
 * What the evidence must be about: the artifact's bytes (verify-blob), or only its SHA-256 digest
 * (an image manifest digest), or nothing (check signature and log only).
 *
 * @param sha256Hex lower-case hex SHA-256 of the artifact, or null
 * @param content the artifact bytes, or null
 */
public record ArtifactExpectation(String sha256Hex, byte[] content) {

  public static ArtifactExpectation none() {
    return new ArtifactExpectation(null, null);
  }

  /** From an OCI digest string {@code sha256:<hex>}. */
  public static ArtifactExpectation ofDigest(String digest) {
    if (!digest.startsWith("sha256:")) {
      throw new IllegalArgumentException("only sha256 subjects are supported: " + digest);
    }
    return new ArtifactExpectation(digest.substring(7).toLowerCase(java.util.Locale.ROOT), null);
  }

  public static ArtifactExpectation ofContent(byte[] content) {
    try {
      return new ArtifactExpectation(
          HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(content)), content);
    } catch (java.security.NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  public boolean checksSubject() {
    return sha256Hex != null;
  }

  /** The artifact's digests an in-toto subject may name: sha256 always, sha512 when the bytes are known. */
  public java.util.Map<String, String> subjectDigests() {
    if (content == null) {
      return java.util.Map.of("sha256", sha256Hex);
    }
    try {
      return java.util.Map.of("sha256", sha256Hex,
          "sha512", HexFormat.of().formatHex(MessageDigest.getInstance("SHA-512").digest(content)));
    } catch (java.security.NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}

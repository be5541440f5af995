package io.portcullis.gateway.http;

import io.portcullis.storage.model.Digest;
import io.portcullis.storage.model.InvalidDigestException;
import java.util.Map;

/** Digests that arrive in paths and query strings. */
public final class DigestParameter {
  private DigestParameter() {}

  /** Parses a digest, answering 400 DIGEST_INVALID with the reason when it is malformed or missing. */
  public static Digest parse(String text) {
    if (text == null || text.isEmpty()) throw RegistryException.of(ErrorCode.DIGEST_INVALID, "a digest is required");
    try {
      return Digest.parse(text);
    } catch (InvalidDigestException e) {
      throw RegistryException.of(ErrorCode.DIGEST_INVALID, e.getMessage(), Map.of("digest", text));
    }
  }
}

package io.portcullis.storage.model;

/** A manifest body that cannot be accepted: malformed JSON, a wrong media type, a bad descriptor. */
public final class InvalidManifestException extends Exception {
  public InvalidManifestException(String message) { super(message); }
}

package io.portcullis.storage.model;

/** A digest string that is not {@code sha256:<64 hex>} or {@code sha512:<128 hex>}. */
public final class InvalidDigestException extends IllegalArgumentException {
  private final String text;

  public InvalidDigestException(String text, String reason) {
    super("invalid digest '" + text + "': " + reason);
    this.text = text;
  }

  public String text() { return text; }
}

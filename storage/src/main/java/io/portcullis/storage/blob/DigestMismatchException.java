package io.portcullis.storage.blob;

import io.portcullis.storage.model.Digest;
import java.io.IOException;

/** Uploaded bytes whose digest is not the one the client announced. */
public final class DigestMismatchException extends IOException {
  private final Digest expected;
  private final Digest actual;

  public DigestMismatchException(Digest expected, Digest actual) {
    super("the uploaded content has digest " + actual + ", not " + expected);
    this.expected = expected;
    this.actual = actual;
  }

  public Digest expected() { return expected; }
  public Digest actual() { return actual; }
}

package io.portcullis.storage.meta;

/** The metadata database failed (I/O, corruption, a full disk). */
public final class MetadataException extends RuntimeException {
  public MetadataException(String message, Throwable cause) { super(message, cause); }
}

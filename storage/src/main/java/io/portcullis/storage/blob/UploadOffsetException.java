package io.portcullis.storage.blob;

import java.io.IOException;

/** A chunk that does not start where the upload ends (out of order or overlapping). */
public final class UploadOffsetException extends IOException {
  private final long currentSize;

  public UploadOffsetException(long expectedOffset, long currentSize) {
    super("the chunk starts at byte " + expectedOffset + " but the upload has " + currentSize + " bytes");
    this.currentSize = currentSize;
  }

  public long currentSize() { return currentSize; }
}

package io.portcullis.storage.blob;

import java.io.IOException;

/** A request body longer than the limit it was read under. */
public final class UploadTooLargeException extends IOException {
  public UploadTooLargeException(long limit) { super("the content exceeds the limit of " + limit + " bytes"); }
}

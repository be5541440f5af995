package io.portcullis.storage.blob;

import java.io.IOException;

/** No upload under that id (never started, finished, cancelled or expired). */
public final class UploadNotFoundException extends IOException {
  public UploadNotFoundException(String uploadId) { super("no upload with id " + uploadId); }
}

package io.portcullis.storage.blob;

import io.portcullis.storage.model.Digest;
import java.io.IOException;

/** The blob is not in the store. */
public final class BlobNotFoundException extends IOException {
  public BlobNotFoundException(Digest digest) { super("blob " + digest + " is not stored"); }
}

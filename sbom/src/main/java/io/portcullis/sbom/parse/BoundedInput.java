package io.portcullis.sbom.parse;

import io.portcullis.sbom.model.SbomEncoding;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;

/** Reads a stream into memory, refusing it as soon as it exceeds the size limit. */
final class BoundedInput {
  private BoundedInput() {}

  static byte[] readAll(InputStream in, long maxBytes) throws RejectedDocument {
    ByteArrayOutputStream out = new ByteArrayOutputStream(8192);
    byte[] buffer = new byte[64 * 1024];
    long total = 0;
    try {
      int n;
      while ((n = in.read(buffer)) != -1) {
        total += n;
        if (total > maxBytes) {
          throw new RejectedDocument(
              FailureKind.TOO_LARGE, SbomEncoding.UNKNOWN, "document exceeds the size limit of " + maxBytes + " bytes");
        }
        out.write(buffer, 0, n);
      }
    } catch (IOException e) {
      throw new RejectedDocument(FailureKind.IO_ERROR, SbomEncoding.UNKNOWN, "cannot read document: " + e.getMessage());
    }
    return out.toByteArray();
  }
}

package io.portcullis.sbom.parse;

import io.portcullis.sbom.model.SbomEncoding;
import java.util.List;

/** Internal: carries a failure out of the reading steps; turned into {@link SbomParseResult.Failed} by the parser. */
final class RejectedDocument extends Exception {
  private final SbomParseResult.Failed failure;

  RejectedDocument(FailureKind kind, SbomEncoding encoding, String reason) {
    this(new SbomParseResult.Failed(kind, encoding, reason, List.of()));
  }

  RejectedDocument(FailureKind kind, SbomEncoding encoding, String reason, List<String> details) {
    this(new SbomParseResult.Failed(kind, encoding, reason, details));
  }

  RejectedDocument(SbomParseResult.Failed failure) {
    super(failure.reason(), null, false, false);
    this.failure = failure;
  }

  SbomParseResult.Failed failure() {
    return failure;
  }
}

package io.portcullis.sbom.parse;

import io.portcullis.sbom.model.SbomDocument;
import io.portcullis.sbom.model.SbomEncoding;
import java.util.List;

/** The outcome of parsing one document: the normalised SBOM, or what went wrong. Never an exception. */
public sealed interface SbomParseResult permits SbomParseResult.Parsed, SbomParseResult.Failed {

  /** True when this is a {@link Parsed}. */
  default boolean ok() {
    return this instanceof Parsed;
  }

  /** A successfully parsed SBOM. */
  record Parsed(SbomDocument document) implements SbomParseResult {}

  /**
   * A document that could not be parsed.
   *
   * @param kind the category of failure
   * @param encoding the encoding detected (or {@link SbomEncoding#UNKNOWN})
   * @param reason one line saying what went wrong, including the parser's own message
   * @param details further messages (e.g. every schema violation, capped), possibly empty
   */
  record Failed(FailureKind kind, SbomEncoding encoding, String reason, List<String> details)
      implements SbomParseResult {
    public Failed {
      encoding = encoding == null ? SbomEncoding.UNKNOWN : encoding;
      reason = reason == null ? kind.name() : reason;
      details = details == null ? List.of() : List.copyOf(details);
    }

    Failed(FailureKind kind, SbomEncoding encoding, String reason) {
      this(kind, encoding, reason, List.of());
    }
  }
}

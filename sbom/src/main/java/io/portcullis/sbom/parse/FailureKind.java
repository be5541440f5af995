package io.portcullis.sbom.parse;

/** Why a document could not be turned into an {@code SbomDocument}. */
public enum FailureKind {
  /** Larger than the configured size limit. */
  TOO_LARGE,
  /** Refused for safety before parsing: DTDs/entities in XML, nesting deeper than the limit. */
  UNSAFE,
  /** Not well-formed, or not readable as the format it claims to be. */
  MALFORMED,
  /** Well-formed but not a valid document of its format (schema violations, missing required fields). */
  INVALID,
  /** A recognised SBOM encoding this module cannot read (SPDX RDF/XML, SPDX 3.0 JSON-LD). */
  UNSUPPORTED,
  /** Readable, but not an SBOM (e.g. an in-toto statement with a provenance predicate). */
  NOT_AN_SBOM,
  /** The input could not be read. */
  IO_ERROR
}

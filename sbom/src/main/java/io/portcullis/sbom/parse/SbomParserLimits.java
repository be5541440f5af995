package io.portcullis.sbom.parse;

/**
 * Bounds applied while reading an SBOM.
 *
 * @param maxBytes the largest document accepted, checked while streaming (default 64 MiB)
 * @param maxNestingDepth the deepest JSON/XML nesting accepted (default 256)
 * @param maxUnwrapDepth how many envelopes (DSSE, in-toto statement, bundle) may be nested (default 4)
 * @param validateSchema whether CycloneDX documents are checked against the schema of their spec version
 *     (default true; documents of a version newer than the library's schemas are parsed with a warning)
 */
public record SbomParserLimits(long maxBytes, int maxNestingDepth, int maxUnwrapDepth, boolean validateSchema) {
  public static final long DEFAULT_MAX_BYTES = 64L * 1024 * 1024;
  public static final SbomParserLimits DEFAULT = new SbomParserLimits(DEFAULT_MAX_BYTES, 256, 4, true);

  public SbomParserLimits {
    if (maxBytes <= 0 || maxBytes > Integer.MAX_VALUE - 16) {
      throw new IllegalArgumentException("maxBytes must be between 1 and " + (Integer.MAX_VALUE - 16) + ": " + maxBytes);
    }
    if (maxNestingDepth < 8) {
      throw new IllegalArgumentException("maxNestingDepth must be at least 8: " + maxNestingDepth);
    }
    if (maxUnwrapDepth < 1) {
      throw new IllegalArgumentException("maxUnwrapDepth must be at least 1: " + maxUnwrapDepth);
    }
  }

  public SbomParserLimits withMaxBytes(long bytes) {
    return new SbomParserLimits(bytes, maxNestingDepth, maxUnwrapDepth, validateSchema);
  }

  public SbomParserLimits withValidateSchema(boolean validate) {
    return new SbomParserLimits(maxBytes, maxNestingDepth, maxUnwrapDepth, validate);
  }
}

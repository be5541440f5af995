package io.portcullis.sbom.model;

/** How an SBOM (or the envelope around one) is written down. */
public enum SbomEncoding {
  CYCLONEDX_JSON("cyclonedx-json", SbomFormat.CYCLONEDX),
  CYCLONEDX_XML("cyclonedx-xml", SbomFormat.CYCLONEDX),
  SPDX_JSON("spdx-json", SbomFormat.SPDX),
  SPDX_TAG_VALUE("spdx-tag-value", SbomFormat.SPDX),
  SPDX_YAML("spdx-yaml", SbomFormat.SPDX),
  SPDX_XML("spdx-xml", SbomFormat.SPDX),
  SPDX_RDF_XML("spdx-rdf-xml", SbomFormat.SPDX),
  SPDX3_JSON_LD("spdx3-json-ld", SbomFormat.SPDX),
  IN_TOTO_STATEMENT("in-toto-statement", null),
  DSSE_ENVELOPE("dsse-envelope", null),
  SIGSTORE_BUNDLE("sigstore-bundle", null),
  UNKNOWN("unknown", null);

  private final String label;
  private final SbomFormat format;

  SbomEncoding(String label, SbomFormat format) {
    this.label = label;
    this.format = format;
  }

  /** A short stable name ("cyclonedx-json"). */
  public String label() {
    return label;
  }

  /** The SBOM format this encoding carries; null for envelopes and {@link #UNKNOWN}. */
  public SbomFormat format() {
    return format;
  }

  /** True for envelopes (in-toto statement, DSSE, Sigstore bundle) that carry an SBOM inside. */
  public boolean isEnvelope() {
    return this == IN_TOTO_STATEMENT || this == DSSE_ENVELOPE || this == SIGSTORE_BUNDLE;
  }
}

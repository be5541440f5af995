package io.portcullis.sbom.model;

/** The SBOM standard a document follows. */
public enum SbomFormat {
  CYCLONEDX,
  SPDX
}

package io.portcullis.sbom.index;

import java.util.List;

/**
 * One component of one SBOM, flattened for an index table. Every lookup column is pre-normalised so that an
 * equality match (SQL {@code =} on an indexed column) answers the query; see {@link SbomIndexer} for the
 * query-side normalisation.
 *
 * @param purlBase purl without version, qualifiers and subpath ({@link PackageUrlKey#base()}); null without purl
 * @param purl purl with version, without qualifiers and subpath; null without purl or version
 * @param name component name, lower case (CycloneDX group is not included; see {@code group})
 * @param group CycloneDX group, lower case; null when absent
 * @param version version as written; may be null
 * @param licenseIds license ids found in the component's license expressions (as written; look up lower-cased
 *     via {@link SbomIndexer#licenseKey(String)})
 * @param rawPurl the purl exactly as the document wrote it (for display)
 */
public record ComponentIndexRow(
    String purlBase, String purl, String name, String group, String version, List<String> licenseIds, String rawPurl) {

  public ComponentIndexRow {
    licenseIds = licenseIds == null ? List.of() : List.copyOf(licenseIds);
  }
}

package io.portcullis.sbom.model;

import java.util.List;

/**
 * One component (CycloneDX component, SPDX package) in normalised form.
 *
 * @param ref the document-local identifier (CycloneDX {@code bom-ref}, SPDX {@code SPDXID}); may be null
 * @param name the component name (CycloneDX {@code group/name} is kept as name, group in {@code group})
 * @param group CycloneDX group (Maven groupId, npm scope); null for SPDX
 * @param version the version string as written; may be null
 * @param purl the package URL as written; may be null
 * @param type CycloneDX component type ("library", "container", ...) or SPDX primary package purpose
 *     in lower case; may be null
 * @param licenses SPDX license expressions, one per license statement; never null
 * @param hashes checksums; never null
 * @param supplier supplier name; may be null
 */
public record SbomComponent(
    String ref,
    String name,
    String group,
    String version,
    String purl,
    String type,
    List<String> licenses,
    List<ComponentHash> hashes,
    String supplier) {

  public SbomComponent {
    licenses = licenses == null ? List.of() : List.copyOf(licenses);
    hashes = hashes == null ? List.of() : List.copyOf(hashes);
  }
}

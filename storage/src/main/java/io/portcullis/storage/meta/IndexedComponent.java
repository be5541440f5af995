package io.portcullis.storage.meta;

import java.util.List;

/**
 * One SBOM component as the search index stores it; lookup columns are normalised by the caller
 * (the sbom module's {@code SbomIndexer}) the same way queries are.
 *
 * @param purlBase the package URL without version, or null
 * @param purl the package URL with version, or null
 * @param name the lower-cased name
 * @param version the version as written, or null
 * @param licenses lower-cased license ids
 * @param displayPurl the package URL as the document wrote it, or null
 */
public record IndexedComponent(String purlBase, String purl, String name, String version, List<String> licenses, String displayPurl) {
  public IndexedComponent {
    licenses = licenses == null ? List.of() : List.copyOf(licenses);
  }
}

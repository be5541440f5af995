package io.portcullis.sbom.model;

/**
 * How much dependency information a document carries.
 *
 * @param dependents components that declare at least one dependency
 * @param edges dependency edges in total (CycloneDX {@code dependsOn} entries, SPDX dependency relationships)
 */
public record DependencySummary(int dependents, int edges) {
  public static final DependencySummary NONE = new DependencySummary(0, 0);
}

package io.portcullis.sbom.model;

import java.time.Instant;
import java.util.List;

/**
 * One SBOM in normalised form, whatever its format and encoding.
 *
 * @param format CycloneDX or SPDX
 * @param specVersion the specification version as the document declares it ("1.6", "2.3")
 * @param encoding how it was written (the innermost encoding when the SBOM was wrapped in an attestation)
 * @param serialNumber CycloneDX serial number or SPDX document namespace; may be null
 * @param name CycloneDX metadata component name (with version when present) or SPDX document name; may be null
 * @param created creation time; null when absent or unparseable
 * @param tools the tools that produced the document ("syft 0.58.0", "Tool: syft-0.58.0")
 * @param components every component, nested ones flattened in document order
 * @param dependencies dependency counts
 * @param vulnerabilities vulnerabilities the document carries (CycloneDX only), never null
 * @param warnings problems that did not prevent parsing (schema notes, dropped entries)
 */
public record SbomDocument(
    SbomFormat format,
    String specVersion,
    SbomEncoding encoding,
    String serialNumber,
    String name,
    Instant created,
    List<String> tools,
    List<SbomComponent> components,
    DependencySummary dependencies,
    VulnerabilitySummary vulnerabilities,
    List<String> warnings) {

  public SbomDocument {
    tools = tools == null ? List.of() : List.copyOf(tools);
    components = components == null ? List.of() : List.copyOf(components);
    dependencies = dependencies == null ? DependencySummary.NONE : dependencies;
    vulnerabilities = vulnerabilities == null ? VulnerabilitySummary.NONE : vulnerabilities;
    warnings = warnings == null ? List.of() : List.copyOf(warnings);
  }
}

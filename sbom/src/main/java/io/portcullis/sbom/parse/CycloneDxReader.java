package io.portcullis.sbom.parse;

import io.portcullis.sbom.license.LicenseExpressions;
import io.portcullis.sbom.model.ComponentHash;
import io.portcullis.sbom.model.DependencySummary;
import io.portcullis.sbom.model.SbomComponent;
import io.portcullis.sbom.model.SbomDocument;
import io.portcullis.sbom.model.SbomEncoding;
import io.portcullis.sbom.model.SbomFormat;
import io.portcullis.sbom.model.SbomVulnerability;
import io.portcullis.sbom.model.Severity;
import io.portcullis.sbom.model.VulnerabilitySummary;
import java.io.IOException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import org.cyclonedx.Format;
import org.cyclonedx.Version;
import org.cyclonedx.exception.ParseException;
import org.cyclonedx.model.Bom;
import org.cyclonedx.model.Component;
import org.cyclonedx.model.Dependency;
import org.cyclonedx.model.Hash;
import org.cyclonedx.model.License;
import org.cyclonedx.model.LicenseChoice;
import org.cyclonedx.model.Metadata;
import org.cyclonedx.model.Service;
import org.cyclonedx.model.Tool;
import org.cyclonedx.model.metadata.ToolInformation;
import org.cyclonedx.model.vulnerability.Vulnerability;
import org.cyclonedx.parsers.JsonParser;
import org.cyclonedx.parsers.Parser;
import org.cyclonedx.parsers.XmlParser;

/**
 * Reads CycloneDX: schema validation with CycloneDX Core Java for the versions it has schemas for, then the
 * library's data binding for validated JSON, and {@link CycloneDxTreeReader} for XML and for anything not
 * validated.
 */
final class CycloneDxReader {
  private static final int MAX_DETAILS = 20;

  private final boolean validateSchema;
  private final CycloneDxTreeReader tree;

  CycloneDxReader(boolean validateSchema, CycloneDxTreeReader tree) {
    this.validateSchema = validateSchema;
    this.tree = tree;
  }

  /**
   * @param bytes the document, already checked by {@link ContentSniffer}
   * @param sniffedVersion the spec version seen by the sniffer (JSON {@code specVersion}, XML namespace), or null
   */
  SbomDocument read(byte[] bytes, SbomEncoding encoding, String sniffedVersion) throws RejectedDocument {
    boolean xml = encoding == SbomEncoding.CYCLONEDX_XML;
    Parser parser = xml ? new XmlParser() : new JsonParser();
    List<String> warnings = new ArrayList<>();

    Version version = knownVersion(sniffedVersion, xml ? Format.XML : Format.JSON);
    boolean validated = false;
    if (validateSchema) {
      if (version != null) {
        validate(parser, bytes, version, encoding);
        validated = true;
      } else {
        warnings.add("not schema-validated: CycloneDX " + (sniffedVersion == null ? "(no spec version)" : sniffedVersion)
            + " has no schema in the CycloneDX library");
      }
    }
    // The library's data binding is only safe on a document the schema has vetted, and only for JSON: there the
    // schema forbids unknown properties, while XML may carry foreign-namespace elements that the binding would
    // read as CycloneDX fields (an extension <foo:name> renaming a component). Everything else is read field
    // by field.
    if (xml) {
      return tree.readXml(bytes, sniffedVersion, warnings);
    }
    if (!validated) {
      return tree.readJson(bytes, sniffedVersion, warnings);
    }
    return readWithLibrary(parser, bytes, encoding, sniffedVersion, warnings);
  }

  /** The CycloneDX library's data binding; package-private so tests can compare it with {@link CycloneDxTreeReader}. */
  SbomDocument readWithLibrary(Parser parser, byte[] bytes, SbomEncoding encoding, String sniffedVersion, List<String> warnings)
      throws RejectedDocument {
    // The library fills in "now" when metadata has no timestamp; anything at or after this instant is that default.
    Instant parseStart = Instant.now().minusMillis(1);
    Bom bom;
    try {
      bom = parser.parse(bytes);
    } catch (ParseException e) {
      throw new RejectedDocument(FailureKind.MALFORMED, encoding, "CycloneDX parser: " + ContentSniffer.oneLine(rootMessage(e)));
    } catch (RuntimeException e) {
      throw new RejectedDocument(FailureKind.MALFORMED, encoding, "CycloneDX parser: " + ContentSniffer.oneLine(rootMessage(e)));
    }
    if (bom == null) {
      throw new RejectedDocument(FailureKind.MALFORMED, encoding, "CycloneDX parser returned no BOM");
    }

    String specVersion = bom.getSpecVersion() != null ? bom.getSpecVersion() : sniffedVersion;
    Metadata metadata = bom.getMetadata();

    List<SbomComponent> components = new ArrayList<>();
    int[] skipped = {0};
    collect(bom.getComponents(), components, skipped, 0);
    if (skipped[0] > 0) {
      warnings.add(skipped[0] + " component entries without name or purl were ignored");
    }

    return new SbomDocument(
        SbomFormat.CYCLONEDX,
        specVersion,
        encoding,
        bom.getSerialNumber(),
        metadata != null && metadata.getComponent() != null ? metadata.getComponent().getName() : null,
        timestamp(metadata, parseStart),
        tools(metadata),
        components,
        dependencies(bom.getDependencies()),
        vulnerabilities(bom.getVulnerabilities(), components),
        warnings);
  }

  private static Instant timestamp(Metadata metadata, Instant parseStart) {
    if (metadata == null || metadata.getTimestamp() == null) {
      return null;
    }
    Instant t = metadata.getTimestamp().toInstant();
    return t.isBefore(parseStart) ? t : null;
  }

  private static Version knownVersion(String specVersion, Format format) {
    if (specVersion == null) {
      return null;
    }
    for (Version v : Version.values()) {
      if (v.getVersionString().equals(specVersion.strip()) && v.getFormats().contains(format)) {
        return v;
      }
    }
    return null;
  }

  private static void validate(Parser parser, byte[] bytes, Version version, SbomEncoding encoding) throws RejectedDocument {
    List<ParseException> problems;
    try {
      problems = parser.validate(bytes, version);
    } catch (IOException | RuntimeException e) {
      throw new RejectedDocument(FailureKind.MALFORMED, encoding, "CycloneDX schema validation could not run: "
          + ContentSniffer.oneLine(rootMessage(e)));
    }
    List<String> messages = new ArrayList<>();
    for (ParseException p : problems) {
      String m = ContentSniffer.oneLine(p.getMessage());
      // "$schema" only names a schema file; the 1.2 schema accepts a single spelling of it, real tools
      // write others. The document's content is what is validated.
      if (m.contains("$schema") || (m.contains("enumeration") && m.contains(".schema.json"))) {
        continue;
      }
      messages.add(m);
    }
    if (!messages.isEmpty()) {
      throw new RejectedDocument(FailureKind.INVALID, encoding,
          "CycloneDX " + version.getVersionString() + " schema: " + messages.size() + " violation(s), first: " + messages.get(0),
          messages.subList(0, Math.min(MAX_DETAILS, messages.size())));
    }
  }

  private static void collect(List<Component> list, List<SbomComponent> out, int[] skipped, int depth) {
    if (list == null || depth > 64) {
      return;
    }
    for (Component c : list) {
      if (c == null) {
        skipped[0]++;
        continue;
      }
      if (c.getName() == null && c.getPurl() == null) {
        // The library turns an unknown object-valued field into an extra, empty component.
        skipped[0]++;
      } else {
        out.add(component(c));
      }
      collect(c.getComponents(), out, skipped, depth + 1);
    }
  }

  private static SbomComponent component(Component c) {
    List<ComponentHash> hashes = new ArrayList<>();
    if (c.getHashes() != null) {
      for (Hash h : c.getHashes()) {
        if (h != null && h.getAlgorithm() != null && h.getValue() != null) {
          hashes.add(new ComponentHash(h.getAlgorithm(), h.getValue()));
        }
      }
    }
    return new SbomComponent(
        c.getBomRef(),
        c.getName(),
        c.getGroup(),
        c.getVersion(),
        c.getPurl(),
        c.getType() != null ? c.getType().getTypeName() : null,
        licenses(c.getLicenses()),
        hashes,
        c.getSupplier() != null ? c.getSupplier().getName() : null);
  }

  static List<String> licenses(LicenseChoice choice) {
    if (choice == null) {
      return List.of();
    }
    Set<String> out = new LinkedHashSet<>();
    if (choice.getExpression() != null) {
      String e = LicenseExpressions.normalise(choice.getExpression().getValue());
      if (e != null) {
        out.add(e);
      }
    }
    if (choice.getLicenses() != null) {
      for (License l : choice.getLicenses()) {
        if (l == null) {
          continue;
        }
        String e = l.getId() != null ? LicenseExpressions.fromId(l.getId()) : LicenseExpressions.fromName(l.getName());
        if (e != null) {
          out.add(e);
        }
      }
    }
    return List.copyOf(out);
  }

  private static List<String> tools(Metadata metadata) {
    if (metadata == null) {
      return List.of();
    }
    Set<String> tools = new LinkedHashSet<>();
    if (metadata.getTools() != null) {
      for (Tool t : metadata.getTools()) {
        if (t != null && t.getName() != null) {
          tools.add(join(t.getVendor(), t.getName(), t.getVersion()));
        }
      }
    }
    ToolInformation info = metadata.getToolChoice();
    if (info != null) {
      if (info.getComponents() != null) {
        for (Component t : info.getComponents()) {
          if (t != null && t.getName() != null) {
            tools.add(join(t.getGroup(), t.getName(), t.getVersion()));
          }
        }
      }
      if (info.getServices() != null) {
        for (Service s : info.getServices()) {
          if (s != null && s.getName() != null) {
            tools.add(join(s.getGroup(), s.getName(), s.getVersion()));
          }
        }
      }
    }
    return List.copyOf(tools);
  }

  static String join(String group, String name, String version) {
    StringBuilder b = new StringBuilder();
    if (group != null && !group.isBlank()) {
      b.append(group).append('/');
    }
    b.append(name);
    if (version != null && !version.isBlank()) {
      b.append(' ').append(version);
    }
    return b.toString();
  }

  private static DependencySummary dependencies(List<Dependency> dependencies) {
    if (dependencies == null) {
      return DependencySummary.NONE;
    }
    int dependents = 0;
    int edges = 0;
    for (Dependency d : dependencies) {
      if (d == null || d.getDependencies() == null || d.getDependencies().isEmpty()) {
        continue;
      }
      dependents++;
      edges += d.getDependencies().size();
    }
    return new DependencySummary(dependents, edges);
  }

  private static VulnerabilitySummary vulnerabilities(List<Vulnerability> vulnerabilities, List<SbomComponent> components) {
    if (vulnerabilities == null || vulnerabilities.isEmpty()) {
      return VulnerabilitySummary.NONE;
    }
    java.util.Map<String, String> purlByRef = new java.util.HashMap<>();
    for (SbomComponent c : components) {
      if (c.ref() != null && c.purl() != null) {
        purlByRef.putIfAbsent(c.ref(), c.purl());
      }
    }
    List<SbomVulnerability> out = new ArrayList<>();
    for (Vulnerability v : vulnerabilities) {
      if (v == null) {
        continue;
      }
      Severity severity = Severity.UNKNOWN;
      if (v.getRatings() != null) {
        for (Vulnerability.Rating r : v.getRatings()) {
          if (r != null && r.getSeverity() != null) {
            Severity s = Severity.fromLabel(r.getSeverity().name());
            if (s.ordinal() < severity.ordinal()) {
              severity = s;
            }
          }
        }
      }
      List<String> refs = new ArrayList<>();
      Set<String> purls = new LinkedHashSet<>();
      if (v.getAffects() != null) {
        for (Vulnerability.Affect a : v.getAffects()) {
          if (a != null && a.getRef() != null) {
            refs.add(a.getRef());
            String purl = affectedPurl(a.getRef(), purlByRef);
            if (purl != null) {
              purls.add(purl);
            }
          }
        }
      }
      String state = v.getAnalysis() != null && v.getAnalysis().getState() != null
          ? v.getAnalysis().getState().getStateName() : null;
      out.add(new SbomVulnerability(v.getId(), v.getSource() != null ? v.getSource().getName() : null, severity, refs,
          List.copyOf(purls), state));
    }
    return VulnerabilitySummary.of(out);
  }

  /** The component with this bom-ref in the document, or the purl a ref / BOM-Link fragment spells out. */
  static String affectedPurl(String ref, java.util.Map<String, String> purlByRef) {
    String own = purlByRef.get(ref);
    if (own != null) {
      return own;
    }
    String candidate = ref;
    int hash = ref.indexOf('#');
    if (ref.startsWith("urn:cdx:") && hash > 0) {
      candidate = java.net.URLDecoder.decode(ref.substring(hash + 1), java.nio.charset.StandardCharsets.UTF_8);
      own = purlByRef.get(candidate);
      if (own != null) {
        return own;
      }
    }
    return candidate.startsWith("pkg:") ? candidate : null;
  }

  static String rootMessage(Throwable e) {
    Throwable t = e;
    String message = e.getMessage();
    while (t.getCause() != null && t.getCause() != t) {
      t = t.getCause();
      if (t.getMessage() != null) {
        message = t.getMessage();
      }
    }
    return message == null ? e.getClass().getSimpleName() : message;
  }
}

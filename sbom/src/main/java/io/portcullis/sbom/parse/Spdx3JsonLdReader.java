package io.portcullis.sbom.parse;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.portcullis.sbom.license.LicenseExpressions;
import io.portcullis.sbom.model.ComponentHash;
import io.portcullis.sbom.model.DependencySummary;
import io.portcullis.sbom.model.SbomComponent;
import io.portcullis.sbom.model.SbomDocument;
import io.portcullis.sbom.model.SbomEncoding;
import io.portcullis.sbom.model.SbomFormat;
import io.portcullis.sbom.model.VulnerabilitySummary;
import java.io.IOException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * Reads SPDX 3.0 JSON-LD (compacted with the SPDX context, as the spec's serialisation and the example
 * documents use it) by walking the {@code @graph}. The SPDX Java library in this build has the SPDX 3 model
 * but no JSON-LD store, so this walk is ours; it reads packages (including AI and dataset packages), their
 * purl, version, supplier, hashes, and declared/concluded licenses from the license relationships.
 */
final class Spdx3JsonLdReader {
  private static final Set<String> PACKAGE_TYPES = Set.of("software_Package", "ai_AIPackage", "dataset_DatasetPackage");
  private static final String LISTED_LICENSE_PREFIX = "https://spdx.org/licenses/";

  private final ObjectMapper json;

  Spdx3JsonLdReader(ObjectMapper json) {
    this.json = json;
  }

  SbomDocument read(byte[] bytes) throws RejectedDocument {
    JsonNode root;
    try {
      root = json.readTree(bytes);
    } catch (IOException e) {
      throw new RejectedDocument(FailureKind.MALFORMED, SbomEncoding.SPDX3_JSON_LD, "not well-formed JSON: " + ContentSniffer.oneLine(e.getMessage()));
    }
    JsonNode graph = root.get("@graph");
    if (graph == null || !graph.isArray()) {
      throw new RejectedDocument(FailureKind.INVALID, SbomEncoding.SPDX3_JSON_LD, "SPDX 3 JSON-LD: @graph must be an array");
    }

    Map<String, JsonNode> byId = new HashMap<>();
    for (JsonNode e : graph) {
      String id = id(e);
      if (id != null) {
        byId.put(id, e);
      }
    }
    JsonNode document = null;
    List<JsonNode> packages = new ArrayList<>();
    Map<String, List<String>> declared = new LinkedHashMap<>();
    Map<String, List<String>> concluded = new LinkedHashMap<>();
    Set<String> dependents = new HashSet<>();
    int edges = 0;
    for (JsonNode e : graph) {
      String type = type(e);
      if (type == null) {
        continue;
      }
      if (type.equals("SpdxDocument") && document == null) {
        document = e;
      } else if (PACKAGE_TYPES.contains(type)) {
        packages.add(e);
      } else if (type.equals("Relationship") || type.equals("LifecycleScopedRelationship")) {
        String relationship = e.path("relationshipType").asText("");
        String from = e.path("from").asText(null);
        List<String> to = strings(e.get("to"));
        if (from == null) {
          continue;
        }
        switch (relationship) {
          case "hasDeclaredLicense" -> declared.computeIfAbsent(from, k -> new ArrayList<>()).addAll(to);
          case "hasConcludedLicense" -> concluded.computeIfAbsent(from, k -> new ArrayList<>()).addAll(to);
          case "dependsOn" -> {
            if (!to.isEmpty()) {
              dependents.add(from);
              edges += to.size();
            }
          }
          default -> { }
        }
      }
    }

    JsonNode creationInfo = document == null ? null : resolve(document.get("creationInfo"), byId);
    if (creationInfo == null) {
      for (JsonNode e : graph) {
        if ("CreationInfo".equals(type(e))) {
          creationInfo = e;
          break;
        }
      }
    }
    String specVersion = creationInfo == null ? null : creationInfo.path("specVersion").asText(null);
    if (specVersion == null || !specVersion.startsWith("3.")) {
      throw new RejectedDocument(FailureKind.INVALID, SbomEncoding.SPDX3_JSON_LD,
          "SPDX 3 JSON-LD: no CreationInfo with a 3.x specVersion (found " + specVersion + ")");
    }
    if (document == null) {
      throw new RejectedDocument(FailureKind.INVALID, SbomEncoding.SPDX3_JSON_LD, "SPDX 3 JSON-LD: no SpdxDocument element");
    }

    List<SbomComponent> components = new ArrayList<>();
    for (JsonNode p : packages) {
      String id = id(p);
      Set<String> licenses = new LinkedHashSet<>();
      for (List<String> refs : List.of(declared.getOrDefault(id, List.of()), concluded.getOrDefault(id, List.of()))) {
        for (String ref : refs) {
          String e = LicenseExpressions.normalise(licenseExpression(ref, byId));
          if (e != null) {
            licenses.add(e);
          }
        }
      }
      List<ComponentHash> hashes = new ArrayList<>();
      for (JsonNode v : iterable(p.get("verifiedUsing"))) {
        if ("Hash".equals(type(v)) && v.hasNonNull("algorithm") && v.hasNonNull("hashValue")) {
          hashes.add(new ComponentHash(hashAlgorithm(v.path("algorithm").asText()), v.path("hashValue").asText()));
        }
      }
      JsonNode supplier = resolve(p.get("suppliedBy"), byId);
      components.add(new SbomComponent(
          id,
          p.path("name").asText(null),
          null,
          p.path("software_packageVersion").asText(null),
          purl(p),
          p.path("software_primaryPurpose").asText(null),
          List.copyOf(licenses),
          hashes,
          supplier == null ? null : supplier.path("name").asText(null)));
    }

    List<String> tools = new ArrayList<>();
    for (String toolId : strings(creationInfo.get("createdUsing"))) {
      JsonNode tool = byId.get(toolId);
      tools.add(tool != null && tool.hasNonNull("name") ? tool.path("name").asText() : toolId);
    }
    return new SbomDocument(
        SbomFormat.SPDX,
        specVersion,
        SbomEncoding.SPDX3_JSON_LD,
        id(document),
        document.path("name").asText(null),
        SpdxReader.instant(creationInfo.path("created").asText(null)),
        tools,
        components,
        new DependencySummary(dependents.size(), edges),
        VulnerabilitySummary.NONE,
        List.of("read by Portcullis' SPDX 3 JSON-LD reader (the SPDX Java library build has no JSON-LD store); not validated against the SPDX 3 SHACL model"));
  }

  private static String purl(JsonNode p) {
    if (p.hasNonNull("software_packageUrl")) {
      return p.path("software_packageUrl").asText();
    }
    for (JsonNode x : iterable(p.get("externalIdentifier"))) {
      if ("packageUrl".equals(x.path("externalIdentifierType").asText()) && x.hasNonNull("identifier")) {
        return x.path("identifier").asText();
      }
    }
    return null;
  }

  /** A license element's expression: simple-licensing expression, listed license id, or a LicenseRef. */
  private static String licenseExpression(String ref, Map<String, JsonNode> byId) {
    JsonNode license = byId.get(ref);
    if (license != null && license.hasNonNull("simplelicensing_licenseExpression")) {
      return license.path("simplelicensing_licenseExpression").asText();
    }
    if (ref.startsWith(LISTED_LICENSE_PREFIX)) {
      return ref.substring(LISTED_LICENSE_PREFIX.length());
    }
    if (license != null && license.hasNonNull("name")) {
      return LicenseExpressions.fromName(license.path("name").asText());
    }
    int cut = Math.max(ref.lastIndexOf('/'), ref.lastIndexOf('#'));
    String tail = cut >= 0 ? ref.substring(cut + 1) : ref;
    return tail.startsWith("LicenseRef-") ? tail : LicenseExpressions.fromName(tail);
  }

  /** SPDX 3 hash names ("sha256", "sha3_256") in CycloneDX's spelling ("SHA-256", "SHA3-256"). */
  private static String hashAlgorithm(String spdx3) {
    return SpdxReader.algorithmName(spdx3.toUpperCase(Locale.ROOT));
  }

  private static JsonNode resolve(JsonNode reference, Map<String, JsonNode> byId) {
    if (reference == null || reference.isNull()) {
      return null;
    }
    return reference.isObject() ? reference : byId.get(reference.asText());
  }

  private static String id(JsonNode e) {
    if (e.hasNonNull("spdxId")) {
      return e.path("spdxId").asText();
    }
    if (e.hasNonNull("@id")) {
      return e.path("@id").asText();
    }
    return null;
  }

  private static String type(JsonNode e) {
    JsonNode t = e.has("type") ? e.get("type") : e.get("@type");
    return t == null || !t.isTextual() ? null : t.asText();
  }

  private static List<String> strings(JsonNode n) {
    List<String> out = new ArrayList<>();
    for (JsonNode x : iterable(n)) {
      if (x.isTextual()) {
        out.add(x.asText());
      }
    }
    return out;
  }

  private static Iterable<JsonNode> iterable(JsonNode n) {
    if (n == null || n.isNull()) {
      return List.of();
    }
    return n.isArray() ? n : List.of(n);
  }
}

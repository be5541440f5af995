package io.portcullis.sbom.json;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.portcullis.sbom.model.ComponentHash;
import io.portcullis.sbom.model.SbomComponent;
import io.portcullis.sbom.model.SbomDocument;
import io.portcullis.sbom.model.SbomVulnerability;
import io.portcullis.sbom.model.Severity;
import io.portcullis.sbom.parse.SbomParseResult;

/**
 * The JSON form of the normalised model, shared by {@code portcullis sbom inspect --json}, the registry's
 * SBOM endpoint and the policy input's {@code sboms} entries. Field names are stable.
 */
public final class SbomJson {
  private static final ObjectMapper MAPPER = new ObjectMapper();

  private SbomJson() {}

  /** The whole document: its fields, {@code components}, {@code dependencies}, {@code vulnerabilities}, {@code warnings}. */
  public static ObjectNode document(SbomDocument d) {
    ObjectNode o = MAPPER.createObjectNode();
    o.put("format", d.format().name().toLowerCase());
    o.put("specVersion", d.specVersion());
    o.put("encoding", d.encoding().label());
    o.put("serialNumber", d.serialNumber());
    o.put("name", d.name());
    o.put("created", d.created() == null ? null : d.created().toString());
    ArrayNode tools = o.putArray("tools");
    d.tools().forEach(tools::add);
    o.put("componentCount", d.components().size());
    ObjectNode deps = o.putObject("dependencies");
    deps.put("dependents", d.dependencies().dependents());
    deps.put("edges", d.dependencies().edges());
    o.set("vulnerabilities", vulnerabilities(d));
    ArrayNode warnings = o.putArray("warnings");
    d.warnings().forEach(warnings::add);
    ArrayNode components = o.putArray("components");
    for (SbomComponent c : d.components()) {
      components.add(component(c));
    }
    return o;
  }

  public static ObjectNode component(SbomComponent c) {
    ObjectNode o = MAPPER.createObjectNode();
    o.put("name", c.name());
    o.put("version", c.version());
    o.put("purl", c.purl());
    ArrayNode licenses = o.putArray("licenses");
    c.licenses().forEach(licenses::add);
    if (c.group() != null) {
      o.put("group", c.group());
    }
    o.put("type", c.type());
    o.put("supplier", c.supplier());
    o.put("ref", c.ref());
    ArrayNode hashes = o.putArray("hashes");
    for (ComponentHash h : c.hashes()) {
      hashes.addObject().put("algorithm", h.algorithm()).put("value", h.value());
    }
    return o;
  }

  /**
   * {@code {"counts": {"critical": n, ...}, "applicable": {...}, "total": n, "items": [...]}}; "applicable"
   * leaves out what a VEX analysis marks not affected, resolved or a false positive.
   */
  public static ObjectNode vulnerabilities(SbomDocument d) {
    ObjectNode o = MAPPER.createObjectNode();
    ObjectNode counts = o.putObject("counts");
    ObjectNode applicable = o.putObject("applicable");
    for (Severity s : Severity.values()) {
      counts.put(s.label(), d.vulnerabilities().count(s));
      applicable.put(s.label(), d.vulnerabilities().applicableCount(s));
    }
    o.put("total", d.vulnerabilities().total());
    ArrayNode items = o.putArray("items");
    for (SbomVulnerability v : d.vulnerabilities().vulnerabilities()) {
      ObjectNode i = items.addObject();
      i.put("id", v.id());
      i.put("source", v.source());
      i.put("severity", v.severity().label());
      i.put("analysisState", v.analysisState());
      ArrayNode refs = i.putArray("affects");
      v.affectedRefs().forEach(refs::add);
      ArrayNode purls = i.putArray("affectedPurls");
      v.affectedPurls().forEach(purls::add);
    }
    return o;
  }

  /**
   * One entry of the policy input's {@code sboms} array (policy input version 1):
   * {@code {"format", "specVersion", "digest", "components": [{"name", "version", "purl", "licenses"}]}}.
   *
   * @param digest the digest of the SBOM artifact (manifest) the document came from
   */
  public static ObjectNode policyEntry(SbomDocument d, String digest) {
    ObjectNode o = MAPPER.createObjectNode();
    o.put("format", d.format().name().toLowerCase());
    o.put("specVersion", d.specVersion());
    o.put("digest", digest);
    ArrayNode components = o.putArray("components");
    for (SbomComponent c : d.components()) {
      ObjectNode x = components.addObject();
      x.put("name", c.name());
      x.put("version", c.version());
      x.put("purl", c.purl());
      ArrayNode licenses = x.putArray("licenses");
      c.licenses().forEach(licenses::add);
    }
    return o;
  }

  /**
   * The policy input's {@code vulnerabilities} object: applicable counts per severity (VEX not-affected,
   * resolved and false-positive statements left out) summed over the given documents, {@code "suppressed"}
   * (how many were left out) and {@code "source": "sbom"}.
   */
  public static ObjectNode policyVulnerabilities(java.util.List<SbomDocument> documents) {
    java.util.EnumMap<Severity, Integer> sums = new java.util.EnumMap<>(Severity.class);
    int suppressed = 0;
    for (SbomDocument d : documents) {
      for (Severity s : Severity.values()) {
        sums.merge(s, d.vulnerabilities().applicableCount(s), Integer::sum);
        suppressed += d.vulnerabilities().count(s) - d.vulnerabilities().applicableCount(s);
      }
    }
    ObjectNode o = MAPPER.createObjectNode();
    for (Severity s : Severity.values()) {
      o.put(s.label(), sums.getOrDefault(s, 0));
    }
    o.put("suppressed", suppressed);
    o.put("source", "sbom");
    return o;
  }

  /** A failure: {@code {"error": kind, "encoding", "reason", "details": [...]}}. */
  public static ObjectNode failure(SbomParseResult.Failed f) {
    ObjectNode o = MAPPER.createObjectNode();
    o.put("error", f.kind().name().toLowerCase());
    o.put("encoding", f.encoding().label());
    o.put("reason", f.reason());
    ArrayNode details = o.putArray("details");
    f.details().forEach(details::add);
    return o;
  }

  public static String toPrettyString(ObjectNode node) {
    return node.toPrettyString();
  }
}

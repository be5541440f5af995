package io.portcullis.sbom.parse;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import javax.xml.parsers.DocumentBuilderFactory;
import org.w3c.dom.Element;
import org.w3c.dom.Node;

/**
 * Reads the expected components straight from the fixture files (Jackson trees, DOM, a line reader for
 * tag-value), without any code under test, so that the parser's output can be checked against it.
 */
final class IndependentReading {
  private IndependentReading() {}

  /**
   * One expected component.
   *
   * @param key SPDXID for SPDX; position-independent name|version|purl for CycloneDX
   * @param licenseTokens license ids mentioned (from ids and expressions), plus "name:" + free-text names
   */
  record Expected(String key, String name, String version, String purl, Set<String> licenseTokens, int licenseStatements) {}

  // ---------------------------------------------------------------- CycloneDX

  static List<Expected> cycloneDxJson(Path file) throws IOException {
    JsonNode root = new ObjectMapper().readTree(file.toFile());
    List<Expected> out = new ArrayList<>();
    walkJsonComponents(root.path("components"), out);
    return out;
  }

  private static void walkJsonComponents(JsonNode components, List<Expected> out) {
    for (JsonNode c : components) {
      if (c.isObject() && (c.hasNonNull("name") || c.hasNonNull("purl"))) {
        Set<String> tokens = new LinkedHashSet<>();
        int statements = 0;
        for (JsonNode l : c.path("licenses")) {
          if (l.has("expression")) {
            tokens.addAll(tokens(l.path("expression").asText()));
            statements++;
          } else if (l.path("license").has("id")) {
            tokens.add(l.path("license").path("id").asText());
            statements++;
          } else if (l.path("license").has("name")) {
            tokens.add("name:" + l.path("license").path("name").asText());
            statements++;
          }
        }
        out.add(new Expected(null, text(c, "name"), text(c, "version"), text(c, "purl"), tokens, statements));
      }
      walkJsonComponents(c.path("components"), out);
    }
  }

  static List<Expected> cycloneDxXml(Path file) throws Exception {
    DocumentBuilderFactory f = DocumentBuilderFactory.newInstance();
    f.setNamespaceAware(true);
    Element root = f.newDocumentBuilder().parse(file.toFile()).getDocumentElement();
    List<Expected> out = new ArrayList<>();
    for (Element components : children(root, "components")) {
      walkXmlComponents(components, out);
    }
    return out;
  }

  private static void walkXmlComponents(Element components, List<Expected> out) {
    for (Element c : children(components, "component")) {
      String name = childText(c, "name");
      String purl = childText(c, "purl");
      if (name != null || purl != null) {
        Set<String> tokens = new LinkedHashSet<>();
        int statements = 0;
        for (Element licenses : children(c, "licenses")) {
          for (Element l : children(licenses, "license")) {
            if (childText(l, "id") != null) {
              tokens.add(childText(l, "id"));
            } else if (childText(l, "name") != null) {
              tokens.add("name:" + childText(l, "name"));
            }
            statements++;
          }
          for (Element e : children(licenses, "expression")) {
            tokens.addAll(tokens(e.getTextContent()));
            statements++;
          }
        }
        out.add(new Expected(null, name, childText(c, "version"), purl, tokens, statements));
      }
      for (Element nested : children(c, "components")) {
        walkXmlComponents(nested, out);
      }
    }
  }

  // ---------------------------------------------------------------- SPDX

  static List<Expected> spdxJsonOrYaml(Path file) throws IOException {
    ObjectMapper mapper = file.toString().endsWith(".yaml") ? new YAMLMapper() : new ObjectMapper();
    JsonNode root = mapper.readTree(file.toFile());
    List<Expected> out = new ArrayList<>();
    for (JsonNode p : root.path("packages")) {
      String purl = null;
      for (JsonNode ref : p.path("externalRefs")) {
        String type = ref.path("referenceType").asText();
        if (purl == null && (type.equals("purl") || type.endsWith("#purl"))) {
          purl = ref.path("referenceLocator").asText();
        }
      }
      Set<String> tokens = new LinkedHashSet<>();
      tokens.addAll(tokens(p.path("licenseDeclared").asText("")));
      tokens.addAll(tokens(p.path("licenseConcluded").asText("")));
      out.add(new Expected(text(p, "SPDXID"), text(p, "name"), text(p, "versionInfo"), purl, tokens, -1));
    }
    return out;
  }

  /** SPDX 3 JSON-LD: package elements of the @graph; licenses through hasDeclared/ConcludedLicense relationships. */
  static List<Expected> spdx3JsonLd(Path file) throws IOException {
    JsonNode graph = new ObjectMapper().readTree(file.toFile()).path("@graph");
    java.util.Map<String, String> expressions = new java.util.HashMap<>();
    java.util.Map<String, Set<String>> licensesOf = new java.util.HashMap<>();
    for (JsonNode e : graph) {
      if (e.has("simplelicensing_licenseExpression")) {
        expressions.put(e.path("spdxId").asText(), e.path("simplelicensing_licenseExpression").asText());
      }
    }
    for (JsonNode e : graph) {
      String rel = e.path("relationshipType").asText();
      if (rel.equals("hasDeclaredLicense") || rel.equals("hasConcludedLicense")) {
        for (JsonNode to : e.path("to")) {
          licensesOf.computeIfAbsent(e.path("from").asText(), k -> new LinkedHashSet<>())
              .addAll(tokens(expressions.getOrDefault(to.asText(), "")));
        }
      }
    }
    List<Expected> out = new ArrayList<>();
    for (JsonNode e : graph) {
      String type = e.path("type").asText();
      if (type.equals("software_Package") || type.equals("ai_AIPackage") || type.equals("dataset_DatasetPackage")) {
        String id = e.path("spdxId").asText();
        out.add(new Expected(id, text(e, "name"), text(e, "software_packageVersion"), text(e, "software_packageUrl"),
            licensesOf.getOrDefault(id, Set.of()), -1));
      }
    }
    return out;
  }

  static List<Expected> spdxXml(Path file) throws Exception {
    DocumentBuilderFactory f = DocumentBuilderFactory.newInstance();
    Element root = f.newDocumentBuilder().parse(file.toFile()).getDocumentElement();
    List<Expected> out = new ArrayList<>();
    for (Element p : children(root, "packages")) {
      String purl = null;
      for (Element ref : children(p, "externalRefs")) {
        String type = childText(ref, "referenceType");
        if (purl == null && type != null && (type.equals("purl") || type.endsWith("#purl"))) {
          purl = childText(ref, "referenceLocator");
        }
      }
      Set<String> tokens = new LinkedHashSet<>();
      for (String field : List.of("licenseDeclared", "licenseConcluded")) {
        String value = childText(p, field);
        if (value != null) {
          tokens.addAll(tokens(value));
        }
      }
      out.add(new Expected(childText(p, "SPDXID"), childText(p, "name"), childText(p, "versionInfo"), purl, tokens, -1));
    }
    return out;
  }

  /** A deliberately small tag-value reader: packages, their SPDXID, version, purl and license fields. */
  static List<Expected> spdxTagValue(Path file) throws IOException {
    List<Expected> out = new ArrayList<>();
    String id = null;
    String name = null;
    String version = null;
    String purl = null;
    Set<String> tokens = new LinkedHashSet<>();
    boolean inPackage = false;
    boolean inText = false;
    for (String line : Files.readAllLines(file)) {
      if (inText) {
        if (line.contains("</text>")) {
          inText = false;
        }
        continue;
      }
      if (line.contains("<text>") && !line.contains("</text>")) {
        inText = true;
      }
      int colon = line.indexOf(':');
      if (line.startsWith("#") || colon < 0) {
        continue;
      }
      String tag = line.substring(0, colon).strip();
      String value = line.substring(colon + 1).strip();
      if (tag.equals("PackageName") || tag.equals("FileName") || tag.equals("SnippetSPDXID")
          || tag.equals("LicenseID")) {
        if (inPackage) {
          out.add(new Expected(id, name, version, purl, tokens, -1));
        }
        inPackage = tag.equals("PackageName");
        id = null;
        name = inPackage ? value : null;
        version = null;
        purl = null;
        tokens = new LinkedHashSet<>();
        continue;
      }
      if (!inPackage) {
        continue;
      }
      switch (tag) {
        case "SPDXID" -> id = id == null ? value : id;
        case "PackageVersion" -> version = value;
        case "ExternalRef" -> {
          String[] parts = value.split("\\s+");
          if (parts.length >= 3 && parts[1].equals("purl") && purl == null) {
            purl = parts[2];
          }
        }
        case "PackageLicenseDeclared", "PackageLicenseConcluded" -> tokens.addAll(tokens(value));
        default -> { }
      }
    }
    if (inPackage) {
      out.add(new Expected(id, name, version, purl, tokens, -1));
    }
    return out;
  }

  // ---------------------------------------------------------------- dependency edges

  /** CycloneDX JSON: total dependsOn entries; XML: nested dependency elements. */
  static int cycloneDxEdges(Path file) throws Exception {
    int edges = 0;
    if (file.toString().endsWith(".xml")) {
      DocumentBuilderFactory f = DocumentBuilderFactory.newInstance();
      f.setNamespaceAware(true);
      Element root = f.newDocumentBuilder().parse(file.toFile()).getDocumentElement();
      for (Element deps : children(root, "dependencies")) {
        for (Element d : children(deps, "dependency")) {
          edges += children(d, "dependency").size();
        }
      }
      return edges;
    }
    for (JsonNode d : new ObjectMapper().readTree(file.toFile()).path("dependencies")) {
      edges += d.path("dependsOn").size();
    }
    return edges;
  }

  /** SPDX JSON: dependency relationships whose source is a package. */
  static int spdxJsonDependencyEdges(Path file) throws IOException {
    JsonNode root = new ObjectMapper().readTree(file.toFile());
    Set<String> packages = new java.util.HashSet<>();
    for (JsonNode p : root.path("packages")) {
      packages.add(p.path("SPDXID").asText());
    }
    int edges = 0;
    for (JsonNode r : root.path("relationships")) {
      String type = r.path("relationshipType").asText();
      boolean dependency = type.equals("DEPENDS_ON") || type.endsWith("DEPENDENCY_OF");
      if (dependency && packages.contains(r.path("spdxElementId").asText())) {
        edges++;
      }
    }
    return edges;
  }

  // ---------------------------------------------------------------- shared

  /** License ids in an expression, without operators, exceptions, NOASSERTION and NONE. */
  static Set<String> tokens(String expression) {
    Set<String> out = new LinkedHashSet<>();
    boolean afterWith = false;
    for (String t : expression.replace("(", " ").replace(")", " ").strip().split("\\s+")) {
      String u = t.toUpperCase(Locale.ROOT);
      if (t.isEmpty() || u.equals("AND") || u.equals("OR") || u.equals("NOASSERTION") || u.equals("NONE")) {
        continue;
      }
      if (u.equals("WITH")) {
        afterWith = true;
        continue;
      }
      if (afterWith) {
        afterWith = false;
        continue;
      }
      out.add(t);
    }
    return out;
  }

  private static String text(JsonNode n, String field) {
    JsonNode v = n.get(field);
    return v == null || v.isNull() ? null : v.asText();
  }

  private static List<Element> children(Element parent, String localName) {
    List<Element> out = new ArrayList<>();
    for (Node n = parent.getFirstChild(); n != null; n = n.getNextSibling()) {
      if (n instanceof Element e && localName.equals(e.getLocalName() != null ? e.getLocalName() : e.getTagName())) {
        out.add(e);
      }
    }
    return out;
  }

  private static String childText(Element parent, String localName) {
    List<Element> c = children(parent, localName);
    return c.isEmpty() ? null : c.get(0).getTextContent().strip();
  }
}

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
import io.portcullis.sbom.model.SbomVulnerability;
import io.portcullis.sbom.model.Severity;
import io.portcullis.sbom.model.VulnerabilitySummary;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import javax.xml.XMLConstants;
import javax.xml.parsers.DocumentBuilderFactory;
import javax.xml.parsers.ParserConfigurationException;
import org.w3c.dom.Element;
import org.w3c.dom.Node;
import org.xml.sax.SAXException;

/**
 * Reads CycloneDX JSON and XML field by field, looking only at the fields it knows (and, in XML, only at
 * elements in the document's CycloneDX namespace). Used for documents the CycloneDX library cannot
 * schema-validate (1.7, or validation switched off): the library's data binding lets an unknown object-valued
 * field, or a foreign-namespace XML element, overwrite a component's name and purl, which an unvalidated
 * document must not be able to do.
 */
final class CycloneDxTreeReader {
  private static final int MAX_COMPONENT_DEPTH = 64;

  private final ObjectMapper json;

  CycloneDxTreeReader(ObjectMapper json) {
    this.json = json;
  }

  /** The parts every front end fills in, turned into a document at the end. */
  private static final class Parts {
    String serialNumber;
    String name;
    Instant created;
    final Set<String> tools = new LinkedHashSet<>();
    final List<SbomComponent> components = new ArrayList<>();
    int skipped;
    int dependents;
    int edges;
    final List<RawVulnerability> vulnerabilities = new ArrayList<>();
  }

  private record RawVulnerability(String id, String source, List<String> severities, List<String> refs, String state) {}

  // ---------------------------------------------------------------- JSON

  SbomDocument readJson(byte[] bytes, String specVersion, List<String> warnings) throws RejectedDocument {
    JsonNode root;
    try {
      root = json.readTree(bytes);
    } catch (IOException e) {
      throw new RejectedDocument(FailureKind.MALFORMED, SbomEncoding.CYCLONEDX_JSON, "not well-formed JSON: " + ContentSniffer.oneLine(e.getMessage()));
    }
    Parts parts = new Parts();
    parts.serialNumber = text(root, "serialNumber");
    JsonNode metadata = root.path("metadata");
    parts.name = text(metadata.path("component"), "name");
    parts.created = instant(text(metadata, "timestamp"));
    JsonNode tools = metadata.get("tools");
    if (tools != null && tools.isArray()) {
      for (JsonNode t : tools) {
        addTool(parts, text(t, "vendor"), text(t, "name"), text(t, "version"));
      }
    } else if (tools != null && tools.isObject()) {
      for (String kind : List.of("components", "services")) {
        for (JsonNode t : tools.path(kind)) {
          addTool(parts, text(t, "group"), text(t, "name"), text(t, "version"));
        }
      }
    }
    jsonComponents(root.get("components"), parts, 0);
    for (JsonNode d : root.path("dependencies")) {
      int n = d.path("dependsOn").isArray() ? d.path("dependsOn").size() : 0;
      if (n > 0) {
        parts.dependents++;
        parts.edges += n;
      }
    }
    for (JsonNode v : root.path("vulnerabilities")) {
      if (!v.isObject()) {
        continue;
      }
      List<String> severities = new ArrayList<>();
      for (JsonNode r : v.path("ratings")) {
        if (text(r, "severity") != null) {
          severities.add(text(r, "severity"));
        }
      }
      List<String> refs = new ArrayList<>();
      for (JsonNode a : v.path("affects")) {
        if (text(a, "ref") != null) {
          refs.add(text(a, "ref"));
        }
      }
      parts.vulnerabilities.add(new RawVulnerability(text(v, "id"), text(v.path("source"), "name"), severities, refs,
          text(v.path("analysis"), "state")));
    }
    return document(parts, specVersion, SbomEncoding.CYCLONEDX_JSON, warnings);
  }

  private static void jsonComponents(JsonNode list, Parts parts, int depth) {
    if (list == null || !list.isArray() || depth > MAX_COMPONENT_DEPTH) {
      return;
    }
    for (JsonNode c : list) {
      if (!c.isObject()) {
        parts.skipped++;
        continue;
      }
      String name = text(c, "name");
      String purl = text(c, "purl");
      if (name == null && purl == null) {
        parts.skipped++;
      } else {
        Set<String> licenses = new LinkedHashSet<>();
        for (JsonNode l : c.path("licenses")) {
          if (text(l, "expression") != null) {
            add(licenses, LicenseExpressions.normalise(text(l, "expression")));
          } else if (text(l.path("license"), "id") != null) {
            add(licenses, LicenseExpressions.fromId(text(l.path("license"), "id")));
          } else if (text(l.path("license"), "name") != null) {
            add(licenses, LicenseExpressions.fromName(text(l.path("license"), "name")));
          }
        }
        List<ComponentHash> hashes = new ArrayList<>();
        for (JsonNode h : c.path("hashes")) {
          if (text(h, "alg") != null && text(h, "content") != null) {
            hashes.add(new ComponentHash(text(h, "alg"), text(h, "content")));
          }
        }
        parts.components.add(new SbomComponent(text(c, "bom-ref"), name, text(c, "group"), text(c, "version"), purl,
            text(c, "type"), List.copyOf(licenses), hashes, text(c.path("supplier"), "name")));
      }
      jsonComponents(c.get("components"), parts, depth + 1);
    }
  }

  private static String text(JsonNode node, String field) {
    JsonNode v = node == null ? null : node.get(field);
    return v == null || !v.isValueNode() || v.isNull() ? null : v.asText();
  }

  // ---------------------------------------------------------------- XML

  SbomDocument readXml(byte[] bytes, String specVersion, List<String> warnings) throws RejectedDocument {
    Element root;
    try {
      DocumentBuilderFactory f = DocumentBuilderFactory.newInstance();
      f.setNamespaceAware(true);
      f.setFeature("http://apache.org/xml/features/disallow-doctype-decl", true);
      f.setFeature(XMLConstants.FEATURE_SECURE_PROCESSING, true);
      f.setXIncludeAware(false);
      f.setExpandEntityReferences(false);
      var builder = f.newDocumentBuilder();
      builder.setErrorHandler(new QuietErrorHandler());
      root = builder.parse(new ByteArrayInputStream(bytes)).getDocumentElement();
    } catch (ParserConfigurationException | SAXException | IOException e) {
      throw new RejectedDocument(FailureKind.MALFORMED, SbomEncoding.CYCLONEDX_XML, "not well-formed XML: " + ContentSniffer.oneLine(e.getMessage()));
    }
    String ns = root.getNamespaceURI();
    Parts parts = new Parts();
    parts.serialNumber = attribute(root, "serialNumber");
    Element metadata = child(root, ns, "metadata");
    if (metadata != null) {
      parts.name = childText(child(metadata, ns, "component"), ns, "name");
      parts.created = instant(childText(metadata, ns, "timestamp"));
      Element tools = child(metadata, ns, "tools");
      if (tools != null) {
        for (Element t : children(tools, ns, "tool")) {
          addTool(parts, childText(t, ns, "vendor"), childText(t, ns, "name"), childText(t, ns, "version"));
        }
        for (String kind : List.of("components", "services")) {
          Element list = child(tools, ns, kind);
          if (list != null) {
            for (Element t : children(list, ns, kind.equals("components") ? "component" : "service")) {
              addTool(parts, childText(t, ns, "group"), childText(t, ns, "name"), childText(t, ns, "version"));
            }
          }
        }
      }
    }
    xmlComponents(child(root, ns, "components"), ns, parts, 0);
    Element dependencies = child(root, ns, "dependencies");
    if (dependencies != null) {
      for (Element d : children(dependencies, ns, "dependency")) {
        int n = children(d, ns, "dependency").size();
        if (n > 0) {
          parts.dependents++;
          parts.edges += n;
        }
      }
    }
    Element vulnerabilities = child(root, ns, "vulnerabilities");
    if (vulnerabilities != null) {
      for (Element v : children(vulnerabilities, ns, "vulnerability")) {
        List<String> severities = new ArrayList<>();
        Element ratings = child(v, ns, "ratings");
        if (ratings != null) {
          for (Element r : children(ratings, ns, "rating")) {
            if (childText(r, ns, "severity") != null) {
              severities.add(childText(r, ns, "severity"));
            }
          }
        }
        List<String> refs = new ArrayList<>();
        Element affects = child(v, ns, "affects");
        if (affects != null) {
          for (Element target : children(affects, ns, "target")) {
            if (childText(target, ns, "ref") != null) {
              refs.add(childText(target, ns, "ref"));
            }
          }
        }
        parts.vulnerabilities.add(new RawVulnerability(childText(v, ns, "id"), childText(child(v, ns, "source"), ns, "name"),
            severities, refs, childText(child(v, ns, "analysis"), ns, "state")));
      }
    }
    return document(parts, specVersion, SbomEncoding.CYCLONEDX_XML, warnings);
  }

  private static void xmlComponents(Element list, String ns, Parts parts, int depth) {
    if (list == null || depth > MAX_COMPONENT_DEPTH) {
      return;
    }
    for (Element c : children(list, ns, "component")) {
      String name = childText(c, ns, "name");
      String purl = childText(c, ns, "purl");
      if (name == null && purl == null) {
        parts.skipped++;
      } else {
        Set<String> licenses = new LinkedHashSet<>();
        Element licenseList = child(c, ns, "licenses");
        if (licenseList != null) {
          for (Element e : children(licenseList, ns, "expression")) {
            add(licenses, LicenseExpressions.normalise(e.getTextContent()));
          }
          for (Element l : children(licenseList, ns, "license")) {
            if (childText(l, ns, "id") != null) {
              add(licenses, LicenseExpressions.fromId(childText(l, ns, "id")));
            } else if (childText(l, ns, "name") != null) {
              add(licenses, LicenseExpressions.fromName(childText(l, ns, "name")));
            }
          }
        }
        List<ComponentHash> hashes = new ArrayList<>();
        Element hashList = child(c, ns, "hashes");
        if (hashList != null) {
          for (Element h : children(hashList, ns, "hash")) {
            if (attribute(h, "alg") != null) {
              hashes.add(new ComponentHash(attribute(h, "alg"), h.getTextContent().strip()));
            }
          }
        }
        parts.components.add(new SbomComponent(attribute(c, "bom-ref"), name, childText(c, ns, "group"),
            childText(c, ns, "version"), purl, attribute(c, "type"), List.copyOf(licenses), hashes,
            childText(child(c, ns, "supplier"), ns, "name")));
      }
      xmlComponents(child(c, ns, "components"), ns, parts, depth + 1);
    }
  }

  /** Child elements with this local name in the document's namespace only: foreign extension elements are ignored. */
  private static List<Element> children(Element parent, String ns, String localName) {
    List<Element> out = new ArrayList<>();
    if (parent == null) {
      return out;
    }
    for (Node n = parent.getFirstChild(); n != null; n = n.getNextSibling()) {
      if (n instanceof Element e && localName.equals(e.getLocalName()) && java.util.Objects.equals(ns, e.getNamespaceURI())) {
        out.add(e);
      }
    }
    return out;
  }

  private static Element child(Element parent, String ns, String localName) {
    List<Element> c = children(parent, ns, localName);
    return c.isEmpty() ? null : c.get(0);
  }

  private static String childText(Element parent, String ns, String localName) {
    Element c = child(parent, ns, localName);
    if (c == null) {
      return null;
    }
    String t = c.getTextContent().strip();
    return t.isEmpty() ? null : t;
  }

  /** Un-namespaced attributes only. */
  private static String attribute(Element e, String name) {
    if (!e.hasAttributeNS(null, name)) {
      return null;
    }
    String v = e.getAttributeNS(null, name);
    return v.isEmpty() ? null : v;
  }

  /** Errors become exceptions (and the reason in the result) instead of lines on stderr. */
  private static final class QuietErrorHandler implements org.xml.sax.ErrorHandler {
    @Override
    public void warning(org.xml.sax.SAXParseException e) {
      // not fatal; nothing to report
    }

    @Override
    public void error(org.xml.sax.SAXParseException e) throws SAXException {
      throw e;
    }

    @Override
    public void fatalError(org.xml.sax.SAXParseException e) throws SAXException {
      throw e;
    }
  }

  // ---------------------------------------------------------------- shared

  private static void addTool(Parts parts, String vendorOrGroup, String name, String version) {
    if (name != null) {
      parts.tools.add(CycloneDxReader.join(vendorOrGroup, name, version));
    }
  }

  private static void add(Set<String> licenses, String expression) {
    if (expression != null) {
      licenses.add(expression);
    }
  }

  private static Instant instant(String text) {
    return SpdxReader.instant(text);
  }

  private static SbomDocument document(Parts parts, String specVersion, SbomEncoding encoding, List<String> warnings) {
    if (parts.skipped > 0) {
      warnings.add(parts.skipped + " component entries without name or purl were ignored");
    }
    Map<String, String> purlByRef = new HashMap<>();
    for (SbomComponent c : parts.components) {
      if (c.ref() != null && c.purl() != null) {
        purlByRef.putIfAbsent(c.ref(), c.purl());
      }
    }
    List<SbomVulnerability> vulnerabilities = new ArrayList<>();
    for (RawVulnerability v : parts.vulnerabilities) {
      Severity severity = Severity.UNKNOWN;
      for (String s : v.severities()) {
        Severity rated = Severity.fromLabel(s);
        if (rated.ordinal() < severity.ordinal()) {
          severity = rated;
        }
      }
      Set<String> purls = new LinkedHashSet<>();
      for (String ref : v.refs()) {
        String purl = CycloneDxReader.affectedPurl(ref, purlByRef);
        if (purl != null) {
          purls.add(purl);
        }
      }
      vulnerabilities.add(new SbomVulnerability(v.id(), v.source(), severity, v.refs(), List.copyOf(purls), v.state()));
    }
    return new SbomDocument(SbomFormat.CYCLONEDX, specVersion, encoding, parts.serialNumber, parts.name, parts.created,
        List.copyOf(parts.tools), parts.components, new DependencySummary(parts.dependents, parts.edges),
        vulnerabilities.isEmpty() ? VulnerabilitySummary.NONE : VulnerabilitySummary.of(vulnerabilities), warnings);
  }
}

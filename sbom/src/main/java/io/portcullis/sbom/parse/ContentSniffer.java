package io.portcullis.sbom.parse;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.exc.StreamConstraintsException;
import io.portcullis.sbom.model.SbomEncoding;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import javax.xml.stream.XMLInputFactory;
import javax.xml.stream.XMLStreamConstants;
import javax.xml.stream.XMLStreamException;
import javax.xml.stream.XMLStreamReader;

/**
 * Decides what a document is from its bytes alone, and refuses unsafe input on the way: one streaming pass
 * over JSON (nesting depth, well-formedness, the top-level keys) or XML (no DTD, no entity references,
 * nesting depth, the root element).
 */
final class ContentSniffer {
  private static final String CYCLONEDX_XML_NS = "http://cyclonedx.org/schema/bom/";
  private static final String SPDX_RDF_TERMS = "http://spdx.org/rdf/terms";
  private static final Set<String> JSON_KEYS_OF_INTEREST =
      Set.of("bomFormat", "specVersion", "$schema", "spdxVersion", "@context", "@graph", "_type", "predicateType",
          "predicate", "subject", "payloadType", "payload", "mediaType", "dsseEnvelope");

  /** What the content is, with the spec version when it can be read cheaply (null otherwise). */
  record Sniffed(SbomEncoding encoding, String specVersion) {}

  private final JsonFactory jsonFactory;
  private final int maxDepth;

  ContentSniffer(JsonFactory jsonFactory, int maxDepth) {
    this.jsonFactory = jsonFactory;
    this.maxDepth = maxDepth;
  }

  Sniffed sniff(byte[] bytes) throws RejectedDocument {
    int start = firstSignificantByte(bytes);
    if (start < 0) {
      throw new RejectedDocument(FailureKind.MALFORMED, SbomEncoding.UNKNOWN, "document is empty");
    }
    byte first = bytes[start];
    if (first == '{') {
      return sniffJson(bytes);
    }
    if (first == '<') {
      return sniffXml(bytes);
    }
    if (first == '[') {
      throw new RejectedDocument(
          FailureKind.NOT_AN_SBOM, SbomEncoding.UNKNOWN, "a JSON array is not an SBOM (CycloneDX and SPDX documents are objects)");
    }
    return sniffText(bytes, start);
  }

  private static int firstSignificantByte(byte[] bytes) {
    int i = 0;
    if (bytes.length >= 3 && (bytes[0] & 0xff) == 0xef && (bytes[1] & 0xff) == 0xbb && (bytes[2] & 0xff) == 0xbf) {
      i = 3;
    }
    for (; i < bytes.length; i++) {
      byte b = bytes[i];
      if (b != ' ' && b != '\t' && b != '\r' && b != '\n') {
        return i;
      }
    }
    return -1;
  }

  // ---------------------------------------------------------------- JSON

  private Sniffed sniffJson(byte[] bytes) throws RejectedDocument {
    Map<String, String> top = new HashMap<>();
    try (JsonParser p = jsonFactory.createParser(bytes)) {
      if (p.nextToken() != JsonToken.START_OBJECT) {
        throw new RejectedDocument(FailureKind.MALFORMED, SbomEncoding.UNKNOWN, "JSON document is not an object");
      }
      JsonToken t;
      while ((t = p.nextToken()) == JsonToken.FIELD_NAME) {
        String name = p.currentName();
        JsonToken value = p.nextToken();
        if (value == JsonToken.START_OBJECT || value == JsonToken.START_ARRAY) {
          String firstString = skipStructure(p);
          if (JSON_KEYS_OF_INTEREST.contains(name)) {
            top.put(name, firstString == null ? "" : firstString);
          }
        } else if (JSON_KEYS_OF_INTEREST.contains(name)) {
          top.put(name, value == JsonToken.VALUE_NULL ? "" : p.getText());
        }
      }
      if (t != JsonToken.END_OBJECT) {
        throw new RejectedDocument(FailureKind.MALFORMED, SbomEncoding.UNKNOWN, "JSON object is not closed");
      }
      if (p.nextToken() != null) {
        throw new RejectedDocument(FailureKind.MALFORMED, SbomEncoding.UNKNOWN, "trailing content after the JSON object");
      }
    } catch (StreamConstraintsException e) {
      throw new RejectedDocument(FailureKind.UNSAFE, SbomEncoding.UNKNOWN, "JSON exceeds a parser limit: " + e.getOriginalMessage());
    } catch (IOException e) {
      throw new RejectedDocument(FailureKind.MALFORMED, SbomEncoding.UNKNOWN, "not well-formed JSON: " + oneLine(e.getMessage()));
    }
    return classifyJson(top);
  }

  /** Skips the object or array the parser is on; returns the first string value met directly inside it (for "@context": [..]). */
  private String skipStructure(JsonParser p) throws IOException, RejectedDocument {
    int depth = 2; // the root object plus the structure we are on
    String firstString = null;
    while (depth > 1) {
      JsonToken t = p.nextToken();
      if (t == null) {
        throw new RejectedDocument(FailureKind.MALFORMED, SbomEncoding.UNKNOWN, "JSON ends inside a structure");
      }
      if (t == JsonToken.START_OBJECT || t == JsonToken.START_ARRAY) {
        depth++;
        if (depth > maxDepth) {
          throw new RejectedDocument(
              FailureKind.UNSAFE, SbomEncoding.UNKNOWN, "JSON nesting deeper than the limit of " + maxDepth);
        }
      } else if (t == JsonToken.END_OBJECT || t == JsonToken.END_ARRAY) {
        depth--;
      } else if (t == JsonToken.VALUE_STRING && depth == 2 && firstString == null) {
        firstString = p.getText();
      }
    }
    return firstString;
  }

  private static Sniffed classifyJson(Map<String, String> top) {
    String schema = top.getOrDefault("$schema", "").toLowerCase(Locale.ROOT);
    if (top.containsKey("bomFormat") || schema.contains("cyclonedx.org")) {
      return new Sniffed(SbomEncoding.CYCLONEDX_JSON, blankToNull(top.get("specVersion")));
    }
    if (top.containsKey("spdxVersion")) {
      String v = top.get("spdxVersion");
      return new Sniffed(SbomEncoding.SPDX_JSON, v.startsWith("SPDX-") ? v.substring(5) : blankToNull(v));
    }
    String context = top.getOrDefault("@context", "");
    if (context.contains("spdx.org/rdf/3") || (top.containsKey("@graph") && context.contains("spdx"))) {
      return new Sniffed(SbomEncoding.SPDX3_JSON_LD, spdx3Version(context));
    }
    if (top.containsKey("payloadType") && top.containsKey("payload")) {
      return new Sniffed(SbomEncoding.DSSE_ENVELOPE, null);
    }
    if (top.containsKey("dsseEnvelope") || top.getOrDefault("mediaType", "").startsWith("application/vnd.dev.sigstore.bundle")) {
      return new Sniffed(SbomEncoding.SIGSTORE_BUNDLE, null);
    }
    if (top.getOrDefault("_type", "").contains("in-toto.io/Statement")
        || (top.containsKey("predicateType") && top.containsKey("subject"))) {
      return new Sniffed(SbomEncoding.IN_TOTO_STATEMENT, null);
    }
    return new Sniffed(SbomEncoding.UNKNOWN, null);
  }

  private static String spdx3Version(String context) {
    // https://spdx.org/rdf/3.0.1/spdx-context.jsonld
    int i = context.indexOf("spdx.org/rdf/");
    if (i < 0) {
      return null;
    }
    String rest = context.substring(i + "spdx.org/rdf/".length());
    int slash = rest.indexOf('/');
    return slash > 0 ? rest.substring(0, slash) : null;
  }

  // ---------------------------------------------------------------- XML

  private Sniffed sniffXml(byte[] bytes) throws RejectedDocument {
    XMLInputFactory factory = XMLInputFactory.newFactory();
    factory.setProperty(XMLInputFactory.SUPPORT_DTD, Boolean.FALSE);
    factory.setProperty(XMLInputFactory.IS_SUPPORTING_EXTERNAL_ENTITIES, Boolean.FALSE);
    factory.setProperty(XMLInputFactory.IS_REPLACING_ENTITY_REFERENCES, Boolean.FALSE);
    String rootNs = null;
    String rootName = null;
    boolean declaresSpdxRdf = false;
    XMLStreamReader r = null;
    try {
      r = factory.createXMLStreamReader(new ByteArrayInputStream(bytes));
      int depth = 0;
      while (r.hasNext()) {
        int event = r.next();
        switch (event) {
          case XMLStreamConstants.DTD ->
              throw new RejectedDocument(
                  FailureKind.UNSAFE, SbomEncoding.UNKNOWN, "XML document type declarations (DTDs) are not accepted");
          case XMLStreamConstants.ENTITY_REFERENCE ->
              throw new RejectedDocument(
                  FailureKind.UNSAFE, SbomEncoding.UNKNOWN, "XML entity references are not accepted: &" + r.getLocalName() + ";");
          case XMLStreamConstants.START_ELEMENT -> {
            depth++;
            if (depth > maxDepth) {
              throw new RejectedDocument(
                  FailureKind.UNSAFE, SbomEncoding.UNKNOWN, "XML nesting deeper than the limit of " + maxDepth);
            }
            if (depth == 1) {
              rootNs = r.getNamespaceURI();
              rootName = r.getLocalName();
              for (int i = 0; i < r.getNamespaceCount(); i++) {
                String ns = r.getNamespaceURI(i);
                if (ns != null && ns.startsWith(SPDX_RDF_TERMS)) {
                  declaresSpdxRdf = true;
                }
              }
            }
          }
          case XMLStreamConstants.END_ELEMENT -> depth--;
          default -> { }
        }
      }
    } catch (XMLStreamException e) {
      throw new RejectedDocument(FailureKind.MALFORMED, SbomEncoding.UNKNOWN, "not well-formed XML: " + oneLine(e.getMessage()));
    } catch (RuntimeException e) {
      throw new RejectedDocument(FailureKind.MALFORMED, SbomEncoding.UNKNOWN, "not well-formed XML: " + oneLine(String.valueOf(e.getMessage())));
    } finally {
      if (r != null) {
        try {
          r.close();
        } catch (XMLStreamException ignored) {
          // nothing held open: the input is an in-memory array
        }
      }
    }
    if (rootName == null) {
      throw new RejectedDocument(FailureKind.MALFORMED, SbomEncoding.UNKNOWN, "XML document has no root element");
    }
    if ("bom".equals(rootName) && rootNs != null && rootNs.startsWith(CYCLONEDX_XML_NS)) {
      return new Sniffed(SbomEncoding.CYCLONEDX_XML, blankToNull(rootNs.substring(CYCLONEDX_XML_NS.length())));
    }
    if ("RDF".equals(rootName) && declaresSpdxRdf) {
      return new Sniffed(SbomEncoding.SPDX_RDF_XML, null);
    }
    if ("Document".equals(rootName) && (rootNs == null || rootNs.isEmpty())) {
      return new Sniffed(SbomEncoding.SPDX_XML, null);
    }
    return new Sniffed(SbomEncoding.UNKNOWN, null);
  }

  // ---------------------------------------------------------------- text

  private static Sniffed sniffText(byte[] bytes, int start) {
    // Only the head matters: both SPDX tag-value and SPDX YAML state their version near the top.
    int end = Math.min(bytes.length, start + 64 * 1024);
    String head = new String(bytes, start, end - start, StandardCharsets.UTF_8);
    int lines = 0;
    for (String line : head.split("\r?\n", 200)) {
      if (++lines > 199) {
        break;
      }
      String trimmed = line.strip();
      if (trimmed.startsWith("SPDXVersion:")) {
        return new Sniffed(SbomEncoding.SPDX_TAG_VALUE, spdxVersionFrom(trimmed.substring("SPDXVersion:".length())));
      }
      if (line.startsWith("spdxVersion:")) {
        return new Sniffed(SbomEncoding.SPDX_YAML, spdxVersionFrom(line.substring("spdxVersion:".length())));
      }
    }
    return new Sniffed(SbomEncoding.UNKNOWN, null);
  }

  private static String spdxVersionFrom(String value) {
    String v = value.strip();
    if (v.length() >= 2 && (v.charAt(0) == '"' || v.charAt(0) == '\'')) {
      v = v.substring(1, v.length() - 1);
    }
    return v.startsWith("SPDX-") ? v.substring(5) : blankToNull(v);
  }

  private static String blankToNull(String s) {
    return s == null || s.isBlank() ? null : s.strip();
  }

  static String oneLine(String message) {
    if (message == null) {
      return "(no message)";
    }
    String s = message.replaceAll("\\s*\\R\\s*", " ").strip();
    return s.length() > 500 ? s.substring(0, 500) + "..." : s;
  }
}

package io.portcullis.sbom.parse;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.portcullis.sbom.license.LicenseExpressions;
import io.portcullis.sbom.license.SpdxLibrary;
import io.portcullis.sbom.model.ComponentHash;
import io.portcullis.sbom.model.DependencySummary;
import io.portcullis.sbom.model.SbomComponent;
import io.portcullis.sbom.model.SbomDocument;
import io.portcullis.sbom.model.SbomEncoding;
import io.portcullis.sbom.model.SbomFormat;
import io.portcullis.sbom.model.VulnerabilitySummary;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.Iterator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Stream;
import org.spdx.core.CoreModelObject;
import org.spdx.core.InvalidSPDXAnalysisException;
import org.spdx.jacksonstore.MultiFormatStore;
import org.spdx.library.SpdxModelFactory;
import org.spdx.library.model.v2.Checksum;
import org.spdx.library.model.v2.ExternalRef;
import org.spdx.library.model.v2.Relationship;
import org.spdx.library.model.v2.SpdxConstantsCompatV2;
import org.spdx.library.model.v2.SpdxCreatorInformation;
import org.spdx.library.model.v2.SpdxDocument;
import org.spdx.library.model.v2.SpdxElement;
import org.spdx.library.model.v2.SpdxPackage;
import org.spdx.library.model.v2.license.AnyLicenseInfo;
import org.spdx.storage.ISerializableModelStore;
import org.spdx.storage.simple.InMemSpdxStore;
import org.spdx.tagvaluestore.TagValueStore;

/** Reads SPDX 2.x (JSON, tag-value, YAML, XML) with the SPDX Java library into the normalised model. */
final class SpdxReader {
  private static final int MAX_WARNINGS = 20;
  private static final Set<String> DEPENDENCY_OF = Set.of("DEPENDENCY_OF", "DEV_DEPENDENCY_OF", "BUILD_DEPENDENCY_OF",
      "RUNTIME_DEPENDENCY_OF", "OPTIONAL_DEPENDENCY_OF", "PROVIDED_DEPENDENCY_OF", "TEST_DEPENDENCY_OF");

  private final ObjectMapper json;

  SpdxReader(ObjectMapper json) {
    this.json = json;
  }

  SbomDocument read(byte[] bytes, SbomEncoding encoding) throws RejectedDocument {
    List<String> warnings = new ArrayList<>();
    byte[] input = bytes;
    boolean createdDropped = false;
    if (encoding == SbomEncoding.SPDX_JSON) {
      input = checkJsonShape(bytes, warnings);
    } else if (encoding == SbomEncoding.SPDX_TAG_VALUE) {
      byte[] prepared = prepareTagValue(bytes, warnings);
      createdDropped = warnings.stream().anyMatch(w -> w.startsWith("Created '"));
      input = prepared;
    }
    SpdxLibrary.ensureInitialised();
    synchronized (SpdxLibrary.LOCK) {
      try {
        return readWithLibrary(input, encoding, warnings, createdDropped);
      } catch (InvalidSPDXAnalysisException e) {
        throw new RejectedDocument(FailureKind.INVALID, encoding, "SPDX library: " + ContentSniffer.oneLine(CycloneDxReader.rootMessage(e)));
      } catch (IOException | RuntimeException e) {
        throw new RejectedDocument(FailureKind.MALFORMED, encoding, "SPDX library: " + ContentSniffer.oneLine(CycloneDxReader.rootMessage(e)));
      }
    }
  }

  // ------------------------------------------------------------ JSON shape, before the library sees it

  /**
   * The library accepts some documents the SPDX 2.x JSON schema forbids (creators as a string, null package
   * names, filesAnalyzed as a string) and refuses others over a dangling relationship. Check the shape here;
   * drop relationships whose ends are not in the document (with a warning). Returns the bytes to parse.
   */
  private byte[] checkJsonShape(byte[] bytes, List<String> warnings) throws RejectedDocument {
    JsonNode root;
    try {
      root = json.readTree(bytes);
    } catch (IOException e) {
      throw new RejectedDocument(FailureKind.MALFORMED, SbomEncoding.SPDX_JSON, "not well-formed JSON: " + ContentSniffer.oneLine(e.getMessage()));
    }
    List<String> problems = new ArrayList<>();
    requireString(root, "spdxVersion", "document", problems);
    requireString(root, "SPDXID", "document", problems);
    requireString(root, "name", "document", problems);
    requireString(root, "documentNamespace", "document", problems);
    JsonNode creation = root.get("creationInfo");
    if (creation == null || !creation.isObject()) {
      problems.add("document: creationInfo must be an object");
    } else {
      requireString(creation, "created", "creationInfo", problems);
      JsonNode creators = creation.get("creators");
      if (creators == null || !creators.isArray() || creators.isEmpty()) {
        problems.add("creationInfo: creators must be a non-empty array");
      } else {
        for (JsonNode c : creators) {
          if (!c.isTextual()) {
            problems.add("creationInfo: creators must hold strings");
            break;
          }
        }
      }
    }
    Set<String> ids = new HashSet<>();
    ids.add(root.path("SPDXID").asText("SPDXRef-DOCUMENT"));
    JsonNode packages = root.get("packages");
    if (packages != null && !packages.isArray()) {
      problems.add("document: packages must be an array");
    } else if (packages != null) {
      int i = 0;
      for (JsonNode p : packages) {
        String where = "packages[" + i++ + "]";
        if (!p.isObject()) {
          problems.add(where + ": must be an object");
          continue;
        }
        requireString(p, "name", where, problems);
        requireString(p, "SPDXID", where, problems);
        JsonNode filesAnalyzed = p.get("filesAnalyzed");
        if (filesAnalyzed != null && !filesAnalyzed.isBoolean()) {
          problems.add(where + ": filesAnalyzed must be a boolean");
        }
        for (String arrayField : List.of("externalRefs", "checksums", "hasFiles", "licenseInfoFromFiles")) {
          JsonNode a = p.get(arrayField);
          if (a != null && !a.isArray()) {
            problems.add(where + ": " + arrayField + " must be an array");
          }
        }
        ids.add(p.path("SPDXID").asText(""));
      }
    }
    for (String elements : List.of("files", "snippets")) {
      JsonNode list = root.get(elements);
      if (list != null && !list.isArray()) {
        problems.add("document: " + elements + " must be an array");
      } else if (list != null) {
        int i = 0;
        for (JsonNode f : list) {
          String where = elements + "[" + i++ + "]";
          if (!f.isObject()) {
            problems.add(where + ": must be an object");
            continue;
          }
          requireString(f, "SPDXID", where, problems);
          if (elements.equals("files")) {
            requireString(f, "fileName", where, problems);
          }
          ids.add(f.path("SPDXID").asText(""));
        }
      }
    }
    JsonNode relationships = root.get("relationships");
    if (relationships != null && !relationships.isArray()) {
      problems.add("document: relationships must be an array");
    }
    if (!problems.isEmpty()) {
      throw new RejectedDocument(FailureKind.INVALID, SbomEncoding.SPDX_JSON,
          "SPDX JSON: " + problems.size() + " problem(s), first: " + problems.get(0),
          problems.subList(0, Math.min(MAX_WARNINGS, problems.size())));
    }
    int dropped = 0;
    if (relationships != null) {
      Iterator<JsonNode> it = ((ArrayNode) relationships).elements();
      while (it.hasNext()) {
        JsonNode r = it.next();
        if (dangling(r.path("spdxElementId").asText(""), ids) || dangling(r.path("relatedSpdxElement").asText(""), ids)) {
          it.remove();
          dropped++;
        }
      }
    }
    dropped += dropDanglingIds(root.get("documentDescribes"), ids);
    if (packages != null) {
      for (JsonNode p : packages) {
        dropped += dropDanglingIds(p.get("hasFiles"), ids);
      }
    }
    if (dropped == 0) {
      return bytes;
    }
    warnings.add(dropped + " relationship(s) or reference(s) naming elements absent from the document were ignored");
    try {
      return json.writeValueAsBytes((ObjectNode) root);
    } catch (IOException e) {
      throw new RejectedDocument(FailureKind.MALFORMED, SbomEncoding.SPDX_JSON, "cannot re-encode document: " + e.getMessage());
    }
  }

  private static int dropDanglingIds(JsonNode list, Set<String> ids) {
    if (list == null || !list.isArray()) {
      return 0;
    }
    int dropped = 0;
    Iterator<JsonNode> it = list.elements();
    while (it.hasNext()) {
      if (dangling(it.next().asText(""), ids)) {
        it.remove();
        dropped++;
      }
    }
    return dropped;
  }

  private static boolean dangling(String id, Set<String> ids) {
    if (id.isEmpty() || id.equals("NONE") || id.equals("NOASSERTION") || id.startsWith("DocumentRef-")) {
      return false;
    }
    return !ids.contains(id);
  }

  private static void requireString(JsonNode node, String field, String where, List<String> problems) {
    JsonNode v = node.get(field);
    if (v == null || !v.isTextual() || v.asText().isBlank()) {
      problems.add(where + ": " + field + " must be a non-empty string");
    }
  }

  // ------------------------------------------------------------ tag-value, before the library sees it

  /**
   * The tag-value store refuses the whole document when {@code Created:} is not a date (syft's test goldens
   * write "redacted") or when a {@code Relationship:} names an element the document does not contain (syft
   * relates packages to files it leaves out). Neither is content the gate needs: drop such lines with a
   * warning so that the components can still be read. Returns the input itself when nothing was dropped.
   */
  private static byte[] prepareTagValue(byte[] bytes, List<String> warnings) {
    String text = new String(bytes, StandardCharsets.UTF_8);
    String[] lines = text.split("(?<=\\n)");
    Set<String> ids = new HashSet<>();
    for (String line : lines) {
      String stripped = line.strip();
      if (stripped.startsWith("SPDXID:")) {
        ids.add(stripped.substring("SPDXID:".length()).strip());
      }
    }
    StringBuilder out = new StringBuilder(text.length());
    boolean changed = false;
    int droppedRelationships = 0;
    for (String line : lines) {
      String stripped = line.strip();
      if (stripped.startsWith("Created:")) {
        String value = stripped.substring("Created:".length()).strip();
        if (instant(value) == null) {
          warnings.add("Created '" + value + "' is not a date and was ignored");
          changed = true;
          continue;
        }
      } else if (stripped.startsWith("Relationship:")) {
        String[] parts = stripped.substring("Relationship:".length()).strip().split("\\s+");
        if (parts.length == 3 && (dangling(parts[0], ids) || dangling(parts[2], ids))) {
          droppedRelationships++;
          changed = true;
          continue;
        }
      }
      out.append(line);
    }
    if (droppedRelationships > 0) {
      warnings.add(droppedRelationships + " relationship(s) naming elements absent from the document were ignored");
    }
    return changed ? out.toString().getBytes(StandardCharsets.UTF_8) : bytes;
  }

  // ------------------------------------------------------------ the library

  private SbomDocument readWithLibrary(byte[] bytes, SbomEncoding encoding, List<String> warnings, boolean createdDropped)
      throws InvalidSPDXAnalysisException, IOException, RejectedDocument {
    ISerializableModelStore store = switch (encoding) {
      case SPDX_TAG_VALUE -> new TagValueStore(new InMemSpdxStore());
      case SPDX_YAML -> new MultiFormatStore(new InMemSpdxStore(), MultiFormatStore.Format.YAML);
      case SPDX_XML -> new MultiFormatStore(new InMemSpdxStore(), MultiFormatStore.Format.XML);
      default -> new MultiFormatStore(new InMemSpdxStore(), MultiFormatStore.Format.JSON);
    };
    CoreModelObject top = store.deSerialize(new ByteArrayInputStream(bytes), false);
    if (!(top instanceof SpdxDocument doc)) {
      throw new RejectedDocument(FailureKind.MALFORMED, encoding, "SPDX library found no SPDX document");
    }
    String specVersion = doc.getSpecVersion();
    if (specVersion == null || !specVersion.startsWith("SPDX-2.")) {
      throw new RejectedDocument(FailureKind.UNSUPPORTED, encoding, "unsupported SPDX version: " + specVersion);
    }
    List<String> verify = doc.verify();
    List<String> missing = new ArrayList<>();
    for (String message : verify) {
      boolean aboutCreated = message.toLowerCase(Locale.ROOT).contains("created");
      if (message.contains("Missing required") && !(createdDropped && aboutCreated)) {
        missing.add(message);
      } else if (warnings.size() < MAX_WARNINGS) {
        warnings.add(message);
      }
    }
    if (!missing.isEmpty()) {
      // Fields the declared SPDX version requires are absent: not a valid document of that version.
      throw new RejectedDocument(FailureKind.INVALID, encoding,
          specVersion + ": " + missing.size() + " required field(s) missing, first: " + ContentSniffer.oneLine(missing.get(0)),
          missing.subList(0, Math.min(MAX_WARNINGS, missing.size())));
    }

    List<SbomComponent> components = new ArrayList<>();
    Set<String> dependents = new HashSet<>();
    int edges = 0;
    List<SpdxPackage> packages = new ArrayList<>();
    try (Stream<?> s = SpdxModelFactory.getSpdxObjects(store, null, SpdxConstantsCompatV2.CLASS_SPDX_PACKAGE, null, doc.getDocumentUri())) {
      s.forEach(o -> packages.add((SpdxPackage) o));
    }
    for (SpdxPackage p : packages) {
      components.add(component(p));
      for (Relationship r : p.getRelationships()) {
        String type = r.getRelationshipType() == null ? "" : r.getRelationshipType().name();
        if (type.equals("DEPENDS_ON")) {
          edges++;
          dependents.add(p.getId());
        } else if (DEPENDENCY_OF.contains(type)) {
          edges++;
          Optional<SpdxElement> related = r.getRelatedSpdxElement();
          related.ifPresent(e -> dependents.add(e.getId()));
        }
      }
    }

    SpdxCreatorInformation info = doc.getCreationInfo();
    List<String> tools = new ArrayList<>();
    Instant created = null;
    if (info != null) {
      for (String creator : info.getCreators()) {
        if (creator != null && creator.startsWith("Tool:")) {
          tools.add(creator.substring("Tool:".length()).strip());
        }
      }
      created = instant(info.getCreated());
    }
    return new SbomDocument(
        SbomFormat.SPDX,
        specVersion.substring("SPDX-".length()),
        encoding,
        doc.getDocumentUri(),
        doc.getName().orElse(null),
        created,
        tools,
        components,
        new DependencySummary(dependents.size(), edges),
        VulnerabilitySummary.NONE,
        warnings);
  }

  private static SbomComponent component(SpdxPackage p) throws InvalidSPDXAnalysisException {
    String purl = null;
    for (ExternalRef r : p.getExternalRefs()) {
      String type = r.getReferenceType() == null ? "" : r.getReferenceType().getIndividualURI();
      if (purl == null && (type.endsWith("/purl") || type.endsWith("#purl") || type.equals("purl"))) {
        purl = r.getReferenceLocator();
      }
    }
    Set<String> licenses = new LinkedHashSet<>();
    addLicense(licenses, p.getLicenseDeclared());
    addLicense(licenses, p.getLicenseConcluded());
    List<ComponentHash> hashes = new ArrayList<>();
    for (Checksum c : p.getChecksums()) {
      if (c.getAlgorithm() != null && c.getValue() != null) {
        hashes.add(new ComponentHash(algorithmName(c.getAlgorithm().name()), c.getValue()));
      }
    }
    return new SbomComponent(
        p.getId(),
        p.getName().orElse(null),
        null,
        p.getVersionInfo().orElse(null),
        purl,
        p.getPrimaryPurpose().map(x -> x.name().toLowerCase(Locale.ROOT)).orElse(null),
        List.copyOf(licenses),
        hashes,
        party(p.getSupplier().orElse(null)));
  }

  private static void addLicense(Set<String> out, AnyLicenseInfo license) {
    if (license == null) {
      return;
    }
    String e = LicenseExpressions.normalise(license.toString());
    if (e != null) {
      out.add(e);
    }
  }

  /** SPDX checksum names in CycloneDX's spelling: SHA256 gives SHA-256, SHA3_256 gives SHA3-256. */
  static String algorithmName(String spdx) {
    String s = spdx.replace('_', '-');
    if (s.matches("SHA(1|224|256|384|512)")) {
      return "SHA-" + s.substring(3);
    }
    return s;
  }

  /** "Organization: Acme (x@y)" gives "Acme (x@y)"; NOASSERTION gives null. */
  private static String party(String supplier) {
    if (supplier == null || supplier.isBlank() || supplier.strip().equals("NOASSERTION")) {
      return null;
    }
    String s = supplier.strip();
    for (String prefix : List.of("Organization:", "Person:", "Tool:")) {
      if (s.startsWith(prefix)) {
        return s.substring(prefix.length()).strip();
      }
    }
    return s;
  }

  static Instant instant(String text) {
    if (text == null || text.isBlank()) {
      return null;
    }
    try {
      return OffsetDateTime.parse(text.strip()).toInstant();
    } catch (DateTimeParseException e) {
      return null;
    }
  }
}

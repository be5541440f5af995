package io.portcullis.sbom.parse;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonFactoryBuilder;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.portcullis.sbom.model.SbomDocument;
import io.portcullis.sbom.model.SbomEncoding;
import io.portcullis.sbom.model.SbomFormat;
import io.portcullis.sbom.recognize.SbomTypes;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;
import java.util.Optional;

/**
 * Parses one SBOM document (CycloneDX JSON/XML, SPDX 2.x JSON/tag-value/YAML/XML, SPDX 3.0 JSON-LD, any of them wrapped in an
 * in-toto statement, a DSSE envelope or a Sigstore bundle) into an {@link SbomDocument}.
 *
 * <p>The format is decided from the content; a media type, when given, is only reported. The input is
 * read up to the size limit and refused beyond it; XML with a DTD or entity references and JSON nested
 * deeper than the limit are refused before any library sees them. Every problem comes back as
 * {@link SbomParseResult.Failed}; no exception leaves this class. Instances are thread-safe (SPDX reading
 * is serialised internally because the SPDX library keeps global state).
 */
public final class SbomParser {
  private final SbomParserLimits limits;
  private final ObjectMapper json;
  private final ContentSniffer sniffer;
  private final CycloneDxReader cyclonedx;
  private final SpdxReader spdx;
  private final Spdx3JsonLdReader spdx3;

  public SbomParser() {
    this(SbomParserLimits.DEFAULT);
  }

  public SbomParser(SbomParserLimits limits) {
    this.limits = limits;
    JsonFactory factory = new JsonFactoryBuilder()
        .streamReadConstraints(StreamReadConstraints.builder().maxNestingDepth(limits.maxNestingDepth() + 1).build())
        .build();
    this.json = new ObjectMapper(factory);
    this.sniffer = new ContentSniffer(factory, limits.maxNestingDepth());
    this.cyclonedx = new CycloneDxReader(limits.validateSchema(), new CycloneDxTreeReader(json));
    this.spdx = new SpdxReader(json);
    this.spdx3 = new Spdx3JsonLdReader(json);
  }

  public SbomParserLimits limits() {
    return limits;
  }

  /** Reads the stream (up to the size limit; the caller closes it) and parses it. */
  public SbomParseResult parse(InputStream in) {
    return parse(in, null);
  }

  /**
   * Reads the stream (up to the size limit; the caller closes it) and parses it.
   *
   * @param mediaType the descriptor's media type, used only in messages; may be null
   */
  public SbomParseResult parse(InputStream in, String mediaType) {
    try {
      return parse(BoundedInput.readAll(in, limits.maxBytes()), mediaType);
    } catch (RejectedDocument e) {
      return e.failure();
    }
  }

  /** Parses a file, refusing it without reading when it is larger than the size limit. */
  public SbomParseResult parse(Path file) {
    try {
      if (Files.size(file) > limits.maxBytes()) {
        return new SbomParseResult.Failed(FailureKind.TOO_LARGE, SbomEncoding.UNKNOWN,
            "document exceeds the size limit of " + limits.maxBytes() + " bytes");
      }
      try (InputStream in = Files.newInputStream(file)) {
        return parse(in, null);
      }
    } catch (IOException | RuntimeException e) {
      return new SbomParseResult.Failed(FailureKind.IO_ERROR, SbomEncoding.UNKNOWN, "cannot read " + file + ": " + e.getMessage());
    }
  }

  /** Parses a document already in memory. */
  public SbomParseResult parse(byte[] bytes, String mediaType) {
    if (bytes.length > limits.maxBytes()) {
      return new SbomParseResult.Failed(FailureKind.TOO_LARGE, SbomEncoding.UNKNOWN,
          "document exceeds the size limit of " + limits.maxBytes() + " bytes");
    }
    try {
      return new SbomParseResult.Parsed(parseBytes(bytes, 0, mediaType));
    } catch (RejectedDocument e) {
      return e.failure();
    } catch (RuntimeException | StackOverflowError e) {
      return new SbomParseResult.Failed(FailureKind.MALFORMED, SbomEncoding.UNKNOWN,
          "parser failed: " + ContentSniffer.oneLine(e.toString()));
    }
  }

  private SbomDocument parseBytes(byte[] bytes, int envelopes, String mediaType) throws RejectedDocument {
    ContentSniffer.Sniffed sniffed = sniffer.sniff(bytes);
    SbomEncoding encoding = sniffed.encoding();
    return switch (encoding) {
      case CYCLONEDX_JSON, CYCLONEDX_XML -> cyclonedx.read(bytes, encoding, sniffed.specVersion());
      case SPDX_JSON, SPDX_TAG_VALUE, SPDX_YAML, SPDX_XML -> spdx.read(bytes, encoding);
      case SPDX_RDF_XML -> throw new RejectedDocument(FailureKind.UNSUPPORTED, encoding,
          "SPDX RDF/XML is recognised but not supported (no RDF store in this build); use SPDX JSON or tag-value");
      case SPDX3_JSON_LD -> spdx3.read(bytes);
      case IN_TOTO_STATEMENT, DSSE_ENVELOPE, SIGSTORE_BUNDLE -> unwrap(bytes, encoding, envelopes);
      case UNKNOWN -> throw new RejectedDocument(FailureKind.NOT_AN_SBOM, encoding,
          "content is neither CycloneDX nor SPDX" + (mediaType == null ? "" : " (media type " + mediaType + ")"));
    };
  }

  // ------------------------------------------------------------ envelopes

  private SbomDocument unwrap(byte[] bytes, SbomEncoding encoding, int envelopes) throws RejectedDocument {
    if (envelopes >= limits.maxUnwrapDepth()) {
      throw new RejectedDocument(FailureKind.UNSAFE, encoding,
          "envelopes nested deeper than the limit of " + limits.maxUnwrapDepth());
    }
    JsonNode root;
    try {
      root = json.readTree(bytes);
    } catch (IOException e) {
      throw new RejectedDocument(FailureKind.MALFORMED, encoding, "not well-formed JSON: " + ContentSniffer.oneLine(e.getMessage()));
    }
    return switch (encoding) {
      case DSSE_ENVELOPE -> fromDsse(root, envelopes);
      case SIGSTORE_BUNDLE -> {
        JsonNode envelope = root.get("dsseEnvelope");
        if (envelope == null || !envelope.isObject()) {
          throw new RejectedDocument(FailureKind.NOT_AN_SBOM, encoding,
              "Sigstore bundle carries a message signature, not an attestation");
        }
        yield fromDsse(envelope, envelopes);
      }
      default -> fromStatement(root, envelopes);
    };
  }

  private SbomDocument fromDsse(JsonNode envelope, int envelopes) throws RejectedDocument {
    String payload = envelope.path("payload").asText("");
    if (payload.isEmpty()) {
      throw new RejectedDocument(FailureKind.MALFORMED, SbomEncoding.DSSE_ENVELOPE, "DSSE envelope has no payload");
    }
    byte[] decoded;
    try {
      decoded = Base64.getDecoder().decode(payload.strip());
    } catch (IllegalArgumentException standard) {
      try {
        decoded = Base64.getUrlDecoder().decode(payload.strip());
      } catch (IllegalArgumentException url) {
        throw new RejectedDocument(FailureKind.MALFORMED, SbomEncoding.DSSE_ENVELOPE,
            "DSSE payload is not base64: " + standard.getMessage());
      }
    }
    return parseBytes(decoded, envelopes + 1, envelope.path("payloadType").asText(null));
  }

  private SbomDocument fromStatement(JsonNode statement, int envelopes) throws RejectedDocument {
    String predicateType = statement.path("predicateType").asText(null);
    Optional<SbomFormat> expected = SbomTypes.formatOfPredicateType(predicateType);
    if (expected.isEmpty()) {
      throw new RejectedDocument(FailureKind.NOT_AN_SBOM, SbomEncoding.IN_TOTO_STATEMENT,
          "in-toto predicate type " + predicateType + " is not an SBOM");
    }
    JsonNode predicate = statement.get("predicate");
    byte[] inner;
    if (predicate == null || predicate.isNull()) {
      throw new RejectedDocument(FailureKind.MALFORMED, SbomEncoding.IN_TOTO_STATEMENT, "in-toto statement has no predicate");
    } else if (predicate.isTextual()) {
      inner = predicate.asText().getBytes(StandardCharsets.UTF_8);
    } else if (predicate.isObject() && predicate.path("Data").isTextual()
        && !predicate.has("bomFormat") && !predicate.has("spdxVersion")) {
      // cosign's older wrapping: {"Data": "<the document as a string>", "Timestamp": ...}
      inner = predicate.path("Data").asText().getBytes(StandardCharsets.UTF_8);
    } else if (predicate.isObject()) {
      try {
        inner = json.writeValueAsBytes(predicate);
      } catch (IOException e) {
        throw new RejectedDocument(FailureKind.MALFORMED, SbomEncoding.IN_TOTO_STATEMENT, "cannot re-encode predicate: " + e.getMessage());
      }
    } else {
      throw new RejectedDocument(FailureKind.MALFORMED, SbomEncoding.IN_TOTO_STATEMENT,
          "in-toto predicate is neither an object nor a string");
    }
    SbomDocument document = parseBytes(inner, envelopes + 1, null);
    if (document.format() != expected.get()) {
      throw new RejectedDocument(FailureKind.INVALID, SbomEncoding.IN_TOTO_STATEMENT,
          "predicate type " + predicateType + " announces " + expected.get() + " but the predicate is " + document.format());
    }
    return document;
  }
}

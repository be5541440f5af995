package io.portcullis.storage.model;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Parses and validates image manifests and indexes (OCI and Docker schema 2). */
public final class ManifestParser {
  /** Nesting deeper than this is not a manifest. */
  public static final int MAX_DEPTH = 64;

  private static final ObjectMapper JSON = JsonMapper.builder()
      .build();

  static {
    JSON.getFactory().setStreamReadConstraints(StreamReadConstraints.builder().maxNestingDepth(MAX_DEPTH).build());
  }

  private ManifestParser() {}

  /**
   * Parses a manifest body.
   *
   * @param body the exact bytes the client sent
   * @param contentType the request's Content-Type, possibly null or generic
   */
  public static Manifest parse(byte[] body, String contentType) throws InvalidManifestException {
    JsonNode root;
    try {
      root = JSON.readTree(body);
    } catch (JsonProcessingException e) {
      throw new InvalidManifestException("the manifest is not valid JSON: " + e.getOriginalMessage());
    } catch (java.io.IOException e) {
      throw new InvalidManifestException("the manifest cannot be read: " + e.getMessage());
    }
    if (root == null || !root.isObject()) throw new InvalidManifestException("the manifest must be a JSON object");
    JsonNode schema = root.get("schemaVersion");
    if (schema == null || !schema.isInt() || schema.intValue() != 2) {
      throw new InvalidManifestException("schemaVersion must be 2");
    }
    String mediaType = mediaTypeOf(root, MediaTypes.essence(contentType));
    Descriptor subject = root.hasNonNull("subject") ? descriptor(root.get("subject"), "subject") : null;
    String artifactType = optionalText(root, "artifactType");
    Map<String, String> annotations = annotations(root.get("annotations"), "annotations");
    if (MediaTypes.isIndex(mediaType)) {
      JsonNode list = root.get("manifests");
      if (list == null || !list.isArray()) throw new InvalidManifestException("an index must have a manifests array");
      return new Manifest(mediaType, null, List.of(), descriptors(list, "manifests"), subject, artifactType, annotations);
    }
    JsonNode config = root.get("config");
    if (config == null || !config.isObject()) throw new InvalidManifestException("an image manifest must have a config descriptor");
    JsonNode layers = root.get("layers");
    if (layers != null && !layers.isArray()) throw new InvalidManifestException("layers must be an array");
    List<Descriptor> layerList = layers == null ? List.of() : descriptors(layers, "layers");
    return new Manifest(mediaType, descriptor(config, "config"), layerList, List.of(), subject, artifactType, annotations);
  }

  private static String mediaTypeOf(JsonNode root, String contentType) throws InvalidManifestException {
    String declared = optionalText(root, "mediaType");
    boolean genericContentType = contentType == null || contentType.isEmpty()
        || contentType.equals("application/json") || contentType.equals("application/octet-stream");
    if (!genericContentType) {
      if (!MediaTypes.isManifest(contentType)) {
        throw new InvalidManifestException("unsupported manifest media type '" + contentType + "' (supported: " + String.join(", ", MediaTypes.MANIFESTS) + ")");
      }
      if (declared != null && !declared.equals(contentType)) {
        throw new InvalidManifestException("the manifest's mediaType '" + declared + "' does not match the Content-Type '" + contentType + "'");
      }
      return contentType;
    }
    if (declared != null) {
      if (!MediaTypes.isManifest(declared)) throw new InvalidManifestException("unsupported manifest media type '" + declared + "'");
      return declared;
    }
    // An OCI manifest without mediaType and Content-Type: infer from its shape, as the image spec allows.
    if (root.has("manifests")) return MediaTypes.OCI_INDEX;
    if (root.has("config")) return MediaTypes.OCI_MANIFEST;
    throw new InvalidManifestException("the manifest has no media type");
  }

  private static List<Descriptor> descriptors(JsonNode array, String field) throws InvalidManifestException {
    List<Descriptor> out = new ArrayList<>(array.size());
    for (int i = 0; i < array.size(); i++) out.add(descriptor(array.get(i), field + "[" + i + "]"));
    return out;
  }

  private static Descriptor descriptor(JsonNode node, String where) throws InvalidManifestException {
    if (!node.isObject()) throw new InvalidManifestException(where + " must be a descriptor object");
    String mediaType = optionalText(node, "mediaType");
    if (mediaType == null || mediaType.isEmpty()) throw new InvalidManifestException(where + ".mediaType is required");
    String digestText = optionalText(node, "digest");
    if (digestText == null) throw new InvalidManifestException(where + ".digest is required");
    Digest digest;
    try {
      digest = Digest.parse(digestText);
    } catch (InvalidDigestException e) {
      throw new InvalidManifestException(where + ".digest: " + e.getMessage());
    }
    JsonNode size = node.get("size");
    if (size == null || !size.canConvertToLong() || !size.isIntegralNumber() || size.longValue() < 0) {
      throw new InvalidManifestException(where + ".size must be a non-negative integer");
    }
    return new Descriptor(mediaType, digest, size.longValue(), optionalText(node, "artifactType"),
        annotations(node.get("annotations"), where + ".annotations"));
  }

  private static Map<String, String> annotations(JsonNode node, String where) throws InvalidManifestException {
    if (node == null || node.isNull()) return Map.of();
    if (!node.isObject()) throw new InvalidManifestException(where + " must be an object of strings");
    Map<String, String> out = new LinkedHashMap<>();
    var fields = node.fields();
    while (fields.hasNext()) {
      var e = fields.next();
      if (!e.getValue().isTextual()) throw new InvalidManifestException(where + "." + e.getKey() + " must be a string");
      out.put(e.getKey(), e.getValue().textValue());
    }
    return out;
  }

  private static String optionalText(JsonNode node, String field) throws InvalidManifestException {
    JsonNode v = node.get(field);
    if (v == null || v.isNull()) return null;
    if (!v.isTextual()) throw new InvalidManifestException(field + " must be a string");
    return v.textValue();
  }
}

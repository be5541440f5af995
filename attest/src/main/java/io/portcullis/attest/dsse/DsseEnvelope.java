package io.portcullis.attest.dsse;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;

/** A DSSE envelope: payload type, payload, and signatures over the PAE encoding. */
public record DsseEnvelope(String payloadType, byte[] payload, List<Signature> signatures) {

  /** One signature with its optional key id and (slsa-github-generator style) embedded certificate. */
  public record Signature(String keyId, byte[] sig, String certificatePem) {}

  /** Reads the JSON form ({@code payloadType}, base64 {@code payload}, {@code signatures[{keyid, sig}]}). */
  public static DsseEnvelope fromJson(JsonNode node) {
    if (!node.path("payloadType").isTextual() || !node.path("payload").isTextual()
        || !node.path("signatures").isArray()) {
      throw new IllegalArgumentException("not a DSSE envelope");
    }
    List<Signature> sigs = new ArrayList<>();
    for (JsonNode s : node.path("signatures")) {
      sigs.add(new Signature(s.path("keyid").asText(""), decode(s.path("sig").asText("")),
          s.path("cert").isTextual() && !s.path("cert").asText().isBlank() ? s.path("cert").asText() : null));
    }
    if (sigs.isEmpty()) {
      throw new IllegalArgumentException("DSSE envelope without signatures");
    }
    return new DsseEnvelope(node.path("payloadType").asText(), decode(node.path("payload").asText()), sigs);
  }

  /** Pre-authentication encoding: {@code DSSEv1 <len> <type> <len> <payload>}. */
  public byte[] pae() {
    byte[] type = payloadType.getBytes(StandardCharsets.UTF_8);
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    out.writeBytes(("DSSEv1 " + type.length + " ").getBytes(StandardCharsets.UTF_8));
    out.writeBytes(type);
    out.writeBytes((" " + payload.length + " ").getBytes(StandardCharsets.UTF_8));
    out.writeBytes(payload);
    return out.toByteArray();
  }

  /**
   * Decodes standard or URL-safe base64 (DSSE allows either), strictly: a text whose padding bits
   * are not zero (so that two texts decode to the same bytes) is refused, as Go's decoder does.
   */
  static byte[] decode(String b64) {
    String s = b64.trim();
    boolean url = s.indexOf('-') >= 0 || s.indexOf('_') >= 0;
    byte[] bytes = url ? Base64.getUrlDecoder().decode(s) : Base64.getDecoder().decode(s);
    String again = url ? Base64.getUrlEncoder().encodeToString(bytes) : Base64.getEncoder().encodeToString(bytes);
    if (!again.replace("=", "").equals(s.replace("=", ""))) {
      throw new IllegalArgumentException("non-canonical base64 in DSSE envelope");
    }
    return bytes;
  }
}

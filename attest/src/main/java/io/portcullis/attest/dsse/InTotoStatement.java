package io.portcullis.attest.dsse;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/** The parts of an in-toto statement (v0.1 or v1) that verification needs. */
public record InTotoStatement(String type, String predicateType, List<Subject> subjects) {
  public static final String PAYLOAD_TYPE = "application/vnd.in-toto+json";
  /** The predicate of a cosign v3 image signature: a signature, not an attestation. */
  public static final String COSIGN_SIGN_PREDICATE = "https://sigstore.dev/cosign/sign/v1";
  private static final ObjectMapper JSON = new ObjectMapper();

  /** One subject: a name and its digests by algorithm. */
  public record Subject(String name, Map<String, String> digest) {}

  /** @throws IllegalArgumentException when the payload is not an in-toto statement */
  public static InTotoStatement parse(byte[] payload) {
    JsonNode n;
    try {
      n = JSON.readTree(payload);
    } catch (Exception e) {
      throw new IllegalArgumentException("statement is not JSON");
    }
    String type = n.path("_type").asText("");
    if (!type.startsWith("https://in-toto.io/Statement/")) {
      throw new IllegalArgumentException("not an in-toto statement: " + type);
    }
    List<Subject> subjects = new ArrayList<>();
    for (JsonNode s : n.path("subject")) {
      Map<String, String> d = new TreeMap<>();
      s.path("digest").fields().forEachRemaining(e -> d.put(e.getKey(), e.getValue().asText()));
      subjects.add(new Subject(s.path("name").asText(""), d));
    }
    return new InTotoStatement(type, n.path("predicateType").asText(null), subjects);
  }

  /** Signature or attestation: cosign v3 image signatures are statements with {@link #COSIGN_SIGN_PREDICATE}. */
  public io.portcullis.attest.report.EvidenceKind kind() {
    return COSIGN_SIGN_PREDICATE.equals(predicateType) ? io.portcullis.attest.report.EvidenceKind.SIGNATURE
        : io.portcullis.attest.report.EvidenceKind.ATTESTATION;
  }

  /** True when some subject names one of the given digests (algorithm to hex). */
  public boolean hasSubject(Map<String, String> digests) {
    return subjects.stream().anyMatch(s -> digests.entrySet().stream()
        .anyMatch(d -> d.getValue().equalsIgnoreCase(s.digest().get(d.getKey()))));
  }

  /** True when some subject has {@code sha256} equal to the given hex digest. */
  public boolean hasSubjectSha256(String hex) {
    return subjects.stream().anyMatch(s -> hex.equalsIgnoreCase(s.digest().get("sha256")));
  }
}

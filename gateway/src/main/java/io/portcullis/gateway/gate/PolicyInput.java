package io.portcullis.gateway.gate;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.portcullis.attest.trust.KeylessIdentity;
import io.portcullis.attest.trust.TrustPolicy;
import io.portcullis.attest.trust.TrustedKey;
import io.portcullis.policy.value.ArrayValue;
import io.portcullis.policy.value.Json;
import io.portcullis.policy.value.ObjectValue;
import io.portcullis.policy.value.StringValue;
import io.portcullis.policy.value.Value;
import io.portcullis.sbom.json.SbomJson;
import io.portcullis.sbom.model.SbomDocument;
import io.portcullis.storage.model.Descriptor;
import io.portcullis.storage.model.Digest;
import io.portcullis.storage.model.Manifest;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Builds the policy input document, version 1. Its schema is {@code docs/policy-input.schema.json}; the
 * README describes every field. Fields are only ever added, never renamed or removed, within a version.
 */
public final class PolicyInput {
  public static final int VERSION = 1;
  private static final ObjectMapper JSON = new ObjectMapper();

  private PolicyInput() {}

  /** Who asked, from where, for what. */
  public record Request(String action, String repository, String reference, String method, List<TagState> tags,
      String user, List<String> groups, boolean anonymous, String clientIp, String userAgent) {}

  /** A tag the request sets or removes, and the digest it points to now (null when it does not exist). */
  public record TagState(String name, String current) {}

  /** The artifact the request is about. */
  public record Artifact(Digest digest, Manifest manifest, long size, ArtifactKind kind, JsonNode configLabels) {}

  public static ObjectNode build(Request request, Artifact artifact, Evidence evidence, List<TrustPolicy> trust) {
    ObjectNode in = JSON.createObjectNode();
    in.put("version", VERSION);
    in.put("action", request.action());
    ObjectNode req = in.putObject("request");
    req.put("repository", request.repository());
    req.put("reference", request.reference());
    req.put("method", request.method());
    ArrayNode tags = req.putArray("tags");
    for (TagState t : request.tags()) {
      ObjectNode tag = tags.addObject();
      tag.put("name", t.name());
      if (t.current() == null) tag.putNull("current");
      else tag.put("current", t.current());
    }
    ObjectNode user = req.putObject("user");
    user.put("name", request.user());
    request.groups().forEach(user.putArray("groups")::add);
    user.put("anonymous", request.anonymous());
    ObjectNode client = req.putObject("client");
    client.put("ip", request.clientIp());
    client.put("userAgent", request.userAgent());

    ObjectNode a = in.putObject("artifact");
    Manifest m = artifact.manifest();
    a.put("digest", artifact.digest().toString());
    a.put("mediaType", m.mediaType());
    if (m.effectiveArtifactType() != null) a.put("artifactType", m.effectiveArtifactType());
    else a.putNull("artifactType");
    a.put("kind", artifact.kind().label());
    a.put("size", artifact.size());
    long total = artifact.size();
    ArrayNode layers = a.putArray("layers");
    List<Descriptor> referenced = new ArrayList<>(m.layers());
    if (m.config() != null) total += m.config().size();
    for (Descriptor d : referenced) {
      total += d.size();
      ObjectNode l = layers.addObject();
      l.put("mediaType", d.mediaType());
      l.put("digest", d.digest().toString());
      l.put("size", d.size());
    }
    ArrayNode children = a.putArray("manifests");
    for (Descriptor d : m.manifests()) {
      total += d.size();
      ObjectNode c = children.addObject();
      c.put("mediaType", d.mediaType());
      c.put("digest", d.digest().toString());
      c.put("size", d.size());
    }
    a.put("totalSize", total);
    ObjectNode annotations = a.putObject("annotations");
    for (Map.Entry<String, String> e : m.annotations().entrySet()) annotations.put(e.getKey(), e.getValue());
    ObjectNode config = a.putObject("config");
    config.set("labels", artifact.configLabels() == null ? JSON.createObjectNode() : artifact.configLabels());
    if (m.subject() != null) a.put("subject", m.subject().digest().toString());
    else a.putNull("subject");

    // The signatures and attestations arrays, in attest's own policy-input form.
    in.setAll((ObjectNode) JSON.valueToTree(evidence.report().toPolicyInput()));
    ArrayNode sboms = in.putArray("sboms");
    List<SbomDocument> documents = new ArrayList<>();
    for (Evidence.AttachedSbom s : evidence.sboms()) {
      sboms.add(s.policyEntry());
      documents.add(s.document());
    }
    in.set("vulnerabilities", SbomJson.policyVulnerabilities(documents));
    ArrayNode failures = in.putArray("sbomErrors");
    evidence.sbomFailures().forEach(failures::add);

    ObjectNode t = in.putObject("trust");
    t.put("configured", !trust.isEmpty());
    ArrayNode policies = t.putArray("policies");
    for (TrustPolicy p : trust) {
      ObjectNode policy = policies.addObject();
      policy.put("name", p.name());
      ArrayNode keys = policy.putArray("keys");
      for (TrustedKey k : p.keys()) keys.add(k.id());
      ArrayNode identities = policy.putArray("identities");
      for (KeylessIdentity i : p.identities()) {
        ObjectNode id = identities.addObject();
        id.put("subject", i.subject().toString());
        id.put("issuer", i.issuer().toString());
      }
    }
    return in;
  }

  /**
   * The same input as a Rego value, for the embedded engine: the SBOM entries (nearly all of a large
   * input) are taken already converted from {@code sboms}, which must be the evidence the input was
   * built from; the rest is converted here.
   */
  public static Value asRegoValue(ObjectNode input, List<Evidence.AttachedSbom> sboms) {
    java.util.TreeMap<Value, Value> fields = new java.util.TreeMap<>();
    for (java.util.Iterator<Map.Entry<String, JsonNode>> it = input.fields(); it.hasNext(); ) {
      Map.Entry<String, JsonNode> e = it.next();
      if (e.getKey().equals("sboms")) continue;
      fields.put(new StringValue(e.getKey()), Json.fromJson(e.getValue()));
    }
    List<Value> entries = new ArrayList<>(sboms.size());
    for (Evidence.AttachedSbom s : sboms) entries.add(s.policyValue());
    if (input.has("sboms")) fields.put(new StringValue("sboms"), new ArrayValue(entries));
    return ObjectValue.of(fields);
  }

  /**
   * The input for reading a blob that no manifest references: {@code artifact.kind} is {@code "blob"},
   * with only its digest and size; no evidence can be attached to a bare blob.
   */
  public static ObjectNode buildForBlob(Request request, Digest digest, long size, List<TrustPolicy> trust) {
    Manifest none = new Manifest("application/octet-stream", null, List.of(), List.of(), null, null, Map.of());
    Evidence nothing = new Evidence(new io.portcullis.attest.report.VerificationReport(digest.toString(), List.of(), List.of()), List.of(), List.of());
    ObjectNode in = build(request, new Artifact(digest, none, size, ArtifactKind.BLOB, null), nothing, trust);
    ObjectNode a = (ObjectNode) in.get("artifact");
    a.remove("layers");
    a.remove("manifests");
    a.remove("annotations");
    a.remove("config");
    a.putNull("artifactType");
    return in;
  }
}

package io.portcullis.gateway.ext;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.javalin.http.Context;
import io.portcullis.gateway.auth.Action;
import io.portcullis.gateway.auth.Caller;
import io.portcullis.gateway.gate.AdmissionController;
import io.portcullis.gateway.gate.Decision;
import io.portcullis.gateway.http.DigestParameter;
import io.portcullis.gateway.http.ErrorCode;
import io.portcullis.gateway.http.RegistryException;
import io.portcullis.gateway.http.RepositoryName;
import io.portcullis.gateway.http.RequestBodies;
import io.portcullis.gateway.http.Tags;
import io.portcullis.storage.Storage;
import io.portcullis.storage.meta.StoredManifest;
import io.portcullis.storage.model.Digest;
import java.io.IOException;
import java.util.Map;
import java.util.Optional;

/**
 * {@code POST /v2/_portcullis/ext/policy/evaluate} with {@code {"action": "pull", "repository", "reference"}}:
 * the decision the gate would make for the caller, and the exact input document it evaluated, without
 * enforcing anything. Only {@code pull} can be evaluated this way (a push needs the manifest body).
 */
public final class PolicyEvaluateHandler {
  private static final ObjectMapper JSON = new ObjectMapper();
  private final Storage storage;
  private final AdmissionController gate;

  public PolicyEvaluateHandler(Storage storage, AdmissionController gate) {
    this.storage = storage;
    this.gate = gate;
  }

  public void evaluate(Context ctx) throws IOException {
    JsonNode req;
    try {
      req = JSON.readTree(RequestBodies.readAtMost(ctx, 64 * 1024, ErrorCode.UNSUPPORTED, "the request"));
    } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
      throw RegistryException.of(ErrorCode.UNSUPPORTED, "the body must be JSON: {\"action\", \"repository\", \"reference\"}").withStatus(400);
    }
    String action = req.path("action").asText("pull");
    if (!action.equals("pull")) {
      throw RegistryException.of(ErrorCode.UNSUPPORTED, "only the pull action can be evaluated here (a push needs the manifest itself)").withStatus(400);
    }
    String repository = RepositoryName.validate(req.path("repository").asText(""));
    String reference = req.path("reference").asText("");
    Caller.of(ctx).require(repository, Action.READ);
    Optional<Digest> digest = Digest.looksLikeDigest(reference)
        ? Optional.of(DigestParameter.parse(reference))
        : storage.metadata().resolveTag(repository, Tags.validate(reference));
    StoredManifest manifest = digest.flatMap(d -> storage.metadata().manifest(repository, d)).orElseThrow(() ->
        RegistryException.of(ErrorCode.MANIFEST_UNKNOWN, "manifest " + reference + " is not in repository " + repository,
            Map.of("reference", reference)));
    Decision d = gate.explainPull(AdmissionController.Asker.of(ctx), repository, reference, manifest);
    ObjectNode body = JSON.createObjectNode();
    ObjectNode decision = body.putObject("decision");
    decision.put("allow", d.allowed());
    d.deny().forEach(decision.putArray("deny")::add);
    d.warn().forEach(decision.putArray("warn")::add);
    decision.put("revision", d.revision());
    decision.put("evaluationMicros", d.evaluationMicros());
    body.set("input", d.input());
    ctx.contentType("application/json").result(body.toString());
  }
}

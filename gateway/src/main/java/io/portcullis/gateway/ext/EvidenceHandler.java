package io.portcullis.gateway.ext;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.javalin.http.Context;
import io.portcullis.attest.report.VerificationReport;
import io.portcullis.gateway.gate.AdmissionController;
import io.portcullis.gateway.gate.Evidence;
import io.portcullis.gateway.http.DigestParameter;
import io.portcullis.gateway.http.RepositoryName;
import io.portcullis.sbom.json.SbomJson;
import io.portcullis.storage.model.Digest;

/**
 * What is attached to a subject, as the gate sees it:
 * {@code GET /v2/_portcullis/ext/verification/<name>/<digest>} (the verification report under the
 * configured trust policies) and {@code GET /v2/_portcullis/ext/sbom/<name>/<digest>} (the normalised SBOMs).
 */
public final class EvidenceHandler {
  private static final ObjectMapper JSON = new ObjectMapper();
  private final AdmissionController gate;

  public EvidenceHandler(AdmissionController gate) { this.gate = gate; }

  public void verification(Context ctx) {
    String repository = RepositoryName.validate(ctx.pathParam("name"));
    Digest subject = DigestParameter.parse(ctx.pathParam("digest"));
    VerificationReport report = gate.evidence().gather(repository, subject, gate.trust()).report();
    ctx.contentType("application/json").result(report.toJson());
  }

  public void sbom(Context ctx) {
    String repository = RepositoryName.validate(ctx.pathParam("name"));
    Digest subject = DigestParameter.parse(ctx.pathParam("digest"));
    Evidence evidence = gate.evidence().gather(repository, subject, gate.trust());
    ObjectNode body = JSON.createObjectNode();
    body.put("subject", subject.toString());
    ArrayNode sboms = body.putArray("sboms");
    for (Evidence.AttachedSbom s : evidence.sboms()) {
      ObjectNode entry = sboms.addObject();
      entry.put("digest", s.digest());
      entry.set("document", SbomJson.document(s.document()));
    }
    evidence.sbomFailures().forEach(body.putArray("errors")::add);
    ctx.contentType("application/json").result(body.toString());
  }
}

package io.portcullis.gateway.gate;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.portcullis.attest.report.VerificationReport;
import io.portcullis.policy.value.Json;
import io.portcullis.policy.value.Value;
import io.portcullis.sbom.json.SbomJson;
import io.portcullis.sbom.model.SbomDocument;
import java.util.List;

/**
 * What is attached to a subject, verified and parsed.
 *
 * @param sboms the SBOM documents that parsed, each with the digest of the artifact it came from
 * @param sbomFailures SBOM artifacts that could not be read, with the reason
 */
public record Evidence(VerificationReport report, List<AttachedSbom> sboms, List<String> sbomFailures) {
  public Evidence {
    sboms = List.copyOf(sboms);
    sbomFailures = List.copyOf(sbomFailures);
  }

  /**
   * One parsed SBOM, the digest of the referrer manifest that carried it, and its entry of the policy
   * input's {@code sboms} array, as JSON and as a Rego value (both computed once: SBOMs are
   * content-addressed and cached, and the entry is most of the input's size).
   */
  public record AttachedSbom(String digest, SbomDocument document, ObjectNode policyEntry, Value policyValue) {
    public static AttachedSbom of(String digest, SbomDocument document) {
      ObjectNode entry = SbomJson.policyEntry(document, digest);
      return new AttachedSbom(digest, document, entry, Json.fromJson(entry));
    }
  }
}

package io.portcullis.gateway.gate;

import io.portcullis.attest.keys.CosignKeyPair;
import io.portcullis.attest.keys.SimpleSigningSigner;
import io.portcullis.gateway.conformance.Oci;
import io.portcullis.gateway.conformance.RegistryTestClient;
import java.nio.charset.StandardCharsets;

/**
 * Attaches evidence the way the real tools do: cosign-format signatures (the tag scheme and the OCI 1.1
 * referrer form, made with the project's cosign-compatible signer) and SBOMs attached as referrers, as
 * {@code oras attach} does.
 */
public final class EvidenceAttacher {
  static final String SIMPLE_SIGNING = "application/vnd.dev.cosign.simplesigning.v1+json";
  static final String COSIGN_SIG_ARTIFACT = "application/vnd.dev.cosign.artifact.sig.v1+json";
  static final String CYCLONEDX = "application/vnd.cyclonedx+json";

  private EvidenceAttacher() {}

  /** A signature manifest for the subject, by cosign's tag scheme ({@code sha256-<hex>.sig}). */
  public static void signWithTag(RegistryTestClient registry, String repo, String subjectDigest, CosignKeyPair key) throws Exception {
    SimpleSigningSigner.SignedPayload signed = SimpleSigningSigner.sign(key.privateKey(), "registry.example/" + repo, subjectDigest);
    registry.uploadBlob(repo, signed.payload());
    byte[] config = "{\"architecture\":\"\",\"os\":\"\",\"rootfs\":{\"type\":\"layers\",\"diff_ids\":[]},\"config\":{}}".getBytes(StandardCharsets.UTF_8);
    registry.uploadBlob(repo, config);
    String manifest = "{\"schemaVersion\":2,\"mediaType\":\"" + Oci.OCI_MANIFEST + "\","
        + "\"config\":{\"mediaType\":\"application/vnd.oci.image.config.v1+json\",\"digest\":\"" + Oci.sha256(config) + "\",\"size\":" + config.length + "},"
        + "\"layers\":[{\"mediaType\":\"" + SIMPLE_SIGNING + "\",\"digest\":\"" + Oci.sha256(signed.payload()) + "\",\"size\":" + signed.payload().length
        + ",\"annotations\":{\"dev.cosignproject.cosign/signature\":\"" + signed.signatureBase64() + "\"}}]}";
    registry.pushManifest(repo, sigTag(subjectDigest), Oci.OCI_MANIFEST, manifest.getBytes(StandardCharsets.UTF_8));
  }

  /** The same signature in the OCI 1.1 form: an artifact whose subject is the image. */
  public static void signAsReferrer(RegistryTestClient registry, String repo, String subjectDigest, long subjectSize, CosignKeyPair key)
      throws Exception {
    SimpleSigningSigner.SignedPayload signed = SimpleSigningSigner.sign(key.privateKey(), "registry.example/" + repo, subjectDigest);
    registry.uploadBlob(repo, signed.payload());
    registry.uploadBlob(repo, Oci.EMPTY_JSON);
    String manifest = "{\"schemaVersion\":2,\"mediaType\":\"" + Oci.OCI_MANIFEST + "\",\"artifactType\":\"" + COSIGN_SIG_ARTIFACT + "\","
        + "\"config\":{\"mediaType\":\"" + Oci.OCI_EMPTY + "\",\"digest\":\"" + Oci.EMPTY_JSON_DIGEST + "\",\"size\":2},"
        + "\"layers\":[{\"mediaType\":\"" + SIMPLE_SIGNING + "\",\"digest\":\"" + Oci.sha256(signed.payload()) + "\",\"size\":" + signed.payload().length
        + ",\"annotations\":{\"dev.cosignproject.cosign/signature\":\"" + signed.signatureBase64() + "\"}}],"
        + "\"subject\":{\"mediaType\":\"" + Oci.OCI_MANIFEST + "\",\"digest\":\"" + subjectDigest + "\",\"size\":" + subjectSize + "}}";
    byte[] body = manifest.getBytes(StandardCharsets.UTF_8);
    registry.pushManifest(repo, Oci.sha256(body), Oci.OCI_MANIFEST, body);
  }

  /** A CycloneDX SBOM attached as a referrer; returns the SBOM artifact's digest. */
  public static String attachSbom(RegistryTestClient registry, String repo, String subjectDigest, long subjectSize, String subjectType,
      String cycloneDxJson) {
    byte[] doc = cycloneDxJson.getBytes(StandardCharsets.UTF_8);
    registry.uploadBlob(repo, doc);
    registry.uploadBlob(repo, Oci.EMPTY_JSON);
    String manifest = "{\"schemaVersion\":2,\"mediaType\":\"" + Oci.OCI_MANIFEST + "\",\"artifactType\":\"" + CYCLONEDX + "\","
        + "\"config\":{\"mediaType\":\"" + Oci.OCI_EMPTY + "\",\"digest\":\"" + Oci.EMPTY_JSON_DIGEST + "\",\"size\":2},"
        + "\"layers\":[{\"mediaType\":\"" + CYCLONEDX + "\",\"digest\":\"" + Oci.sha256(doc) + "\",\"size\":" + doc.length + "}],"
        + "\"subject\":{\"mediaType\":\"" + subjectType + "\",\"digest\":\"" + subjectDigest + "\",\"size\":" + subjectSize + "}}";
    byte[] body = manifest.getBytes(StandardCharsets.UTF_8);
    return registry.pushManifest(repo, Oci.sha256(body), Oci.OCI_MANIFEST, body).digest();
  }

  /** A CycloneDX 1.5 document with one component under the given license and some critical findings. */
  public static String cycloneDx(String licenseId, int criticalFindings) {
    StringBuilder vulns = new StringBuilder();
    for (int i = 0; i < criticalFindings; i++) {
      if (i > 0) vulns.append(',');
      vulns.append("{\"id\":\"CVE-2026-000").append(i).append("\",\"ratings\":[{\"severity\":\"critical\"}],\"affects\":[{\"ref\":\"libfoo\"}]}");
    }
    return "{\"bomFormat\":\"CycloneDX\",\"specVersion\":\"1.5\",\"version\":1,\"components\":[{\"type\":\"library\",\"bom-ref\":\"libfoo\","
        + "\"name\":\"libfoo\",\"version\":\"1.0\",\"purl\":\"pkg:npm/libfoo@1.0\",\"licenses\":[{\"license\":{\"id\":\"" + licenseId + "\"}}]}]"
        + (criticalFindings > 0 ? ",\"vulnerabilities\":[" + vulns + "]" : "") + "}";
  }

  public static String sigTag(String digest) { return digest.replace(':', '-') + ".sig"; }
}

package io.portcullis.bench;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * The evidence of the signed gate workload, made the way users make it: each image is signed by the
 * project's own command line ({@code portcullis sign}, cosign's tag scheme) with the key bench/run
 * generated and the gated Portcullis trusts, and carries a CycloneDX 1.5 SBOM attached as an OCI 1.1
 * referrer (as {@code oras attach} does).
 */
final class SignedImages {
  static final String REPO = "prod/bench";
  static final int COUNT = 4;
  static final int SBOM_COMPONENTS = 1000;
  static final String CYCLONEDX = "application/vnd.cyclonedx+json";
  static final String OCI_EMPTY = "application/vnd.oci.empty.v1+json";
  private static final byte[] EMPTY_JSON = "{}".getBytes(StandardCharsets.UTF_8);
  private static final String EMPTY_JSON_DIGEST = GeneratedBlob.digestOf(EMPTY_JSON);
  private static final ObjectMapper JSON = new ObjectMapper();

  private final Path signKey;
  private final Path cli;

  SignedImages(Path signKey, Path cli) {
    this.signKey = signKey;
    this.cli = cli;
  }

  /**
   * Runs {@code <cli> sign --insecure --key KEY HOST:PORT/REPO@DIGEST} (one JVM start each); the key's
   * passphrase comes from PORTCULLIS_PASSWORD, which bench/run exports. Fails with the command's output.
   */
  void sign(RegistryClient c, String repo, String digest) {
    List<String> cmd = List.of(cli.toString(), "sign", "--insecure", "--key", signKey.toString(),
        c.hostPort() + "/" + repo + "@" + digest);
    ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true);
    String output;
    int exit;
    try {
      Process p = pb.start();
      p.getOutputStream().close();
      output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
      if (!p.waitFor(300, TimeUnit.SECONDS)) {
        p.destroyForcibly();
        throw new IllegalStateException(String.join(" ", cmd) + " did not finish within 300 s; it printed:\n" + output);
      }
      exit = p.exitValue();
    } catch (IOException e) {
      throw new IllegalStateException("cannot run " + String.join(" ", cmd) + ": " + e, e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted", e);
    }
    if (exit != 0) {
      throw new IllegalStateException(String.join(" ", cmd) + " exited with " + exit + "; it printed:\n" + output);
    }
  }

  /**
   * Pushes the SBOM document and an OCI 1.1 artifact manifest (artifactType CycloneDX, empty config, the
   * document as its one layer, {@code subject} = the image) by digest.
   */
  void attachSbom(RegistryClient c, String repo, String subjectDigest, long subjectSize, byte[] sbom) {
    String sbomDigest = GeneratedBlob.digestOf(sbom);
    c.pushBytes(repo, sbom, sbomDigest);
    c.pushBytes(repo, EMPTY_JSON, EMPTY_JSON_DIGEST);
    byte[] manifest = ("{\"schemaVersion\":2,\"mediaType\":\"" + RegistryClient.OCI_MANIFEST + "\",\"artifactType\":\"" + CYCLONEDX + "\","
        + "\"config\":{\"mediaType\":\"" + OCI_EMPTY + "\",\"digest\":\"" + EMPTY_JSON_DIGEST + "\",\"size\":" + EMPTY_JSON.length + "},"
        + "\"layers\":[{\"mediaType\":\"" + CYCLONEDX + "\",\"digest\":\"" + sbomDigest + "\",\"size\":" + sbom.length + "}],"
        + "\"subject\":{\"mediaType\":\"" + RegistryClient.OCI_MANIFEST + "\",\"digest\":\"" + subjectDigest + "\",\"size\":" + subjectSize + "}}")
        .getBytes(StandardCharsets.UTF_8);
    c.putManifest(repo, GeneratedBlob.digestOf(manifest), manifest);
  }

  /**
   * A CycloneDX 1.5 JSON document for image {@code k}: {@value #SBOM_COMPONENTS} npm libraries with
   * versions, purls and permissive licenses (MIT or Apache-2.0, alternating), about 250 KB, so that
   * parsing and evaluating it costs what a real application's SBOM costs.
   */
  static byte[] sbom(int k) {
    StringBuilder b = new StringBuilder(300 * SBOM_COMPONENTS);
    b.append("{\"bomFormat\":\"CycloneDX\",\"specVersion\":\"1.5\",\"version\":1,")
        .append("\"serialNumber\":\"urn:uuid:00000000-0000-4000-8000-").append(String.format("%012d", k)).append("\",")
        .append("\"metadata\":{\"component\":{\"type\":\"application\",\"bom-ref\":\"bench-image-").append(k)
        .append("\",\"name\":\"bench-image-").append(k).append("\",\"version\":\"1.0.0\"}},\"components\":[");
    for (int i = 0; i < SBOM_COMPONENTS; i++) {
      String name = String.format("bench-lib-%04d", i);
      String version = "1." + (i % 17) + "." + (i % 5);
      String purl = "pkg:npm/" + name + "@" + version;
      if (i > 0) {
        b.append(',');
      }
      b.append("{\"type\":\"library\",\"bom-ref\":\"").append(purl).append("\",\"name\":\"").append(name)
          .append("\",\"version\":\"").append(version).append("\",\"description\":\"generated library ").append(i)
          .append(" of the Portcullis benchmark\",\"purl\":\"").append(purl)
          .append("\",\"licenses\":[{\"license\":{\"id\":\"").append(i % 2 == 0 ? "MIT" : "Apache-2.0").append("\"}}]}");
    }
    b.append("],\"dependencies\":[{\"ref\":\"bench-image-").append(k).append("\",\"dependsOn\":[");
    for (int i = 0; i < SBOM_COMPONENTS; i += 10) {
      if (i > 0) {
        b.append(',');
      }
      b.append("\"pkg:npm/").append(String.format("bench-lib-%04d", i)).append('@').append("1." + (i % 17) + "." + (i % 5)).append('"');
    }
    b.append("]}]}");
    return b.toString().getBytes(StandardCharsets.UTF_8);
  }

  /** cosign's tag for the signatures of a digest: {@code sha256-<hex>.sig}. */
  static String signatureTag(String digest) {
    return digest.replace(':', '-') + ".sig";
  }

  /**
   * The signature manifest with one more annotation: the same (valid) signature in a manifest with a
   * new digest, so that pushing it under the {@code .sig} tag changes the image's evidence and the next
   * pull is decided afresh (the signature verified again, the policy evaluated again).
   */
  static byte[] signatureVariant(byte[] signatureManifest, String note) {
    try {
      ObjectNode m = (ObjectNode) JSON.readTree(signatureManifest);
      ObjectNode annotations = m.has("annotations") && m.get("annotations").isObject()
          ? (ObjectNode) m.get("annotations") : m.putObject("annotations");
      annotations.put("io.portcullis.bench.uncached", note);
      return JSON.writeValueAsBytes(m);
    } catch (IOException | ClassCastException e) {
      throw new IllegalStateException("the signature manifest is not a JSON object: " + e, e);
    }
  }
}

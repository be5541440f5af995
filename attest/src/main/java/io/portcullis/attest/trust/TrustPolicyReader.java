package io.portcullis.attest.trust;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.PublicKey;
import java.util.ArrayList;
import java.util.List;

/**
 * Builds trust policies from configuration (already parsed from YAML or JSON by the caller), one
 * object per policy:
 *
 * <pre>
 * name: release                         # required
 * keys: [keys/cosign.pub]               # PEM / cosign public keys
 * trustedRoot: trusted_root.json        # keyless roots and logs (or caCertificates + rekorPublicKeys)
 * caCertificates: fulcio_v1.crt.pem
 * rekorPublicKeys: [rekor.pub]
 * identities:                           # keyless signers: subject and issuer, each exact or RegExp
 *   - {subject: "me@example.com", issuer: "https://accounts.google.com"}
 *   - {subjectRegExp: "https://github.com/org/.*", issuerRegExp: "https://token\\.actions\\..*"}
 * requireTransparencyLog: true          # default: true with identities, false for keys only
 * requireSct: true                      # default: true when the root has CT logs
 * revision: 7                           # optional; default: a hash of this object and every file it names
 * </pre>
 *
 * Relative paths are resolved against {@code baseDir}. Configuration errors are exceptions (they are
 * not evidence).
 */
public final class TrustPolicyReader {
  private TrustPolicyReader() {}

  /** Reads a list of policies (a JSON array) or a single policy object. */
  public static List<TrustPolicy> readAll(JsonNode node, Path baseDir) throws IOException {
    List<TrustPolicy> out = new ArrayList<>();
    if (node.isArray()) {
      for (JsonNode n : node) {
        out.add(read(n, baseDir));
      }
    } else {
      out.add(read(node, baseDir));
    }
    return out;
  }

  public static TrustPolicy read(JsonNode n, Path baseDir) throws IOException {
    String name = n.path("name").asText(null);
    if (name == null || name.isBlank()) {
      throw new IllegalArgumentException("trust policy without a name");
    }
    MessageDigest fingerprint = sha256();
    fingerprint.update(n.toString().getBytes(StandardCharsets.UTF_8));

    List<TrustedKey> keys = new ArrayList<>();
    for (JsonNode k : n.path("keys")) {
      Path p = baseDir.resolve(k.asText());
      byte[] pem = Files.readAllBytes(p);
      fingerprint.update(pem);
      for (PublicKey key : PublicKeyReader.allFromPem(new String(pem, StandardCharsets.UTF_8))) {
        keys.add(TrustedKey.of(p.getFileName().toString(), key));
      }
    }
    TrustedRoot root = null;
    if (n.hasNonNull("trustedRoot")) {
      byte[] json = Files.readAllBytes(baseDir.resolve(n.path("trustedRoot").asText()));
      fingerprint.update(json);
      root = TrustedRoot.fromJson(json);
    } else if (n.hasNonNull("caCertificates")) {
      byte[] pem = Files.readAllBytes(baseDir.resolve(n.path("caCertificates").asText()));
      fingerprint.update(pem);
      root = TrustedRoot.fromPem(PublicKeyReader.certificatesFromPem(new String(pem, StandardCharsets.UTF_8)), List.of());
    }
    List<PublicKey> rekorKeys = new ArrayList<>();
    for (JsonNode r : n.path("rekorPublicKeys")) {
      byte[] pem = Files.readAllBytes(baseDir.resolve(r.asText()));
      fingerprint.update(pem);
      rekorKeys.add(PublicKeyReader.fromPem(pem));
    }
    if (!rekorKeys.isEmpty()) {
      root = root == null ? TrustedRoot.fromPem(List.of(), rekorKeys) : root.withRekorKeys(rekorKeys);
    }
    List<KeylessIdentity> identities = new ArrayList<>();
    for (JsonNode id : n.path("identities")) {
      identities.add(new KeylessIdentity(match(id, "subject", name), match(id, "issuer", name)));
    }
    if (keys.isEmpty() && identities.isEmpty()) {
      throw new IllegalArgumentException("trust policy " + name + " trusts neither keys nor identities");
    }
    if (!identities.isEmpty() && (root == null || root.certificateAuthorities().isEmpty())) {
      throw new IllegalArgumentException("trust policy " + name + " has identities but no trustedRoot/caCertificates");
    }
    boolean tlog = n.path("requireTransparencyLog").asBoolean(!identities.isEmpty());
    boolean sct = n.path("requireSct").asBoolean(root != null && root.hasCtLogs());
    long revision = n.hasNonNull("revision") ? n.path("revision").asLong()
        : java.nio.ByteBuffer.wrap(fingerprint.digest()).getLong();
    return new TrustPolicy(name, revision, keys, identities, root, tlog, sct);
  }

  private static StringMatch match(JsonNode id, String field, String policy) {
    if (id.hasNonNull(field) == id.hasNonNull(field + "RegExp")) {
      throw new IllegalArgumentException("trust policy " + policy + ": each identity needs exactly one of "
          + field + " and " + field + "RegExp");
    }
    return id.hasNonNull(field) ? StringMatch.exact(id.path(field).asText())
        : StringMatch.regex(id.path(field + "RegExp").asText());
  }

  private static MessageDigest sha256() {
    try {
      return MessageDigest.getInstance("SHA-256");
    } catch (java.security.NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}

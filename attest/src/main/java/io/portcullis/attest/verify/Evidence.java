package io.portcullis.attest.verify;

import com.fasterxml.jackson.databind.JsonNode;
import java.security.PublicKey;
import java.security.cert.X509Certificate;
import java.util.List;
import java.util.function.Function;
import java.util.function.Predicate;

/**
 * What one signature offers, whatever its envelope (cosign layer, Sigstore bundle, DSSE):
 * a way to check the signature with a candidate key, the certificate if keyless, and the log
 * entries and timestamps that vouch for when it was made.
 *
 * @param signatureValidWith true when the signature verifies with the given key
 * @param signature raw signature bytes (what RFC 3161 timestamps cover)
 * @param certificate signing certificate; null for key-based evidence
 * @param chain further certificates presented with the evidence
 * @param cosignBundleAnnotation cosign's {@code dev.sigstore.cosign/bundle} annotation, or null
 * @param bundleLogEntries {@code tlogEntries} of a Sigstore bundle (may be empty)
 * @param timestamps RFC 3161 timestamp tokens (may be empty)
 * @param binding what a log entry must say to be about this evidence
 */
public record Evidence(
    Predicate<PublicKey> signatureValidWith,
    byte[] signature,
    X509Certificate certificate,
    List<X509Certificate> chain,
    String cosignBundleAnnotation,
    List<JsonNode> bundleLogEntries,
    List<byte[]> timestamps,
    Function<PublicKey, LogEntryBinding> binding) {

  public boolean keyless() {
    return certificate != null;
  }
}

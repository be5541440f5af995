package io.portcullis.attest.trust;

import java.util.List;
import java.util.Objects;

/**
 * A named set of trust: public keys and/or keyless identities with the trusted root they chain to.
 * Results are cached by (signature artifact digest, {@link #revision()}), so a changed policy must
 * get a new revision.
 *
 * @param name reported in each entry
 * @param revision bumped whenever the content changes
 * @param keys trusted public keys (key-based signatures)
 * @param identities trusted keyless signers (SAN + issuer); keyless evidence needs at least one
 * @param trustedRoot roots for keyless evidence and transparency logs; may be null for keys only
 * @param requireTransparencyLog keyless evidence must carry a verified log entry (true by default;
 *     false only for private instances that rely on RFC 3161 timestamps alone)
 * @param requireSct keyless certificates must carry a valid SCT from a CT log of the trusted root
 *     (checked when the root has CT logs)
 */
public record TrustPolicy(
    String name,
    long revision,
    List<TrustedKey> keys,
    List<KeylessIdentity> identities,
    TrustedRoot trustedRoot,
    boolean requireTransparencyLog,
    boolean requireSct) {

  public TrustPolicy {
    Objects.requireNonNull(name);
    keys = List.copyOf(keys);
    identities = List.copyOf(identities);
  }

  /** Key-based trust only; log entries are verified when the root is given. */
  public static TrustPolicy ofKeys(String name, List<TrustedKey> keys, TrustedRoot rootOrNull) {
    return new TrustPolicy(name, 1, keys, List.of(), rootOrNull, false, false);
  }

  /** Keyless trust with the safe defaults (log entry and SCT required). */
  public static TrustPolicy ofIdentities(String name, TrustedRoot root, List<KeylessIdentity> identities) {
    return new TrustPolicy(name, 1, List.of(), identities, Objects.requireNonNull(root), true, true);
  }

  public TrustPolicy withRevision(long r) {
    return new TrustPolicy(name, r, keys, identities, trustedRoot, requireTransparencyLog, requireSct);
  }

  public TrustPolicy withRequirements(boolean tlog, boolean sct) {
    return new TrustPolicy(name, revision, keys, identities, trustedRoot, tlog, sct);
  }

  public boolean allowsKeyless() {
    return !identities.isEmpty() && trustedRoot != null;
  }
}

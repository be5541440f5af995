package io.portcullis.attest.cli;

import io.portcullis.attest.trust.KeylessIdentity;
import io.portcullis.attest.trust.PublicKeyReader;
import io.portcullis.attest.trust.StringMatch;
import io.portcullis.attest.trust.TrustPolicy;
import io.portcullis.attest.trust.TrustedKey;
import io.portcullis.attest.trust.TrustedRoot;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.PublicKey;
import java.util.ArrayList;
import java.util.List;
import picocli.CommandLine.Option;

/** The trust flags shared by {@code verify} and {@code verify-blob}, turned into one {@link TrustPolicy}. */
public final class TrustOptions {
  @Option(names = "--key", paramLabel = "K.pub", description = "Trusted public key (PEM or cosign .pub); repeatable.")
  List<Path> keys = new ArrayList<>();

  @Option(names = "--trusted-root", paramLabel = "R", description = "Sigstore trusted_root.json (Fulcio CAs, Rekor and CT logs, TSAs). Never fetched.")
  Path trustedRoot;

  @Option(names = "--certificate-chain", paramLabel = "PEM", description = "PEM CA certificate(s) to trust instead of a trusted root (with --rekor-public-key).")
  Path caCertificates;

  @Option(names = "--rekor-public-key", paramLabel = "PEM", description = "Further trusted Rekor public key (cosign's rekor.pub).")
  Path rekorKey;

  @Option(names = "--certificate-identity", paramLabel = "SAN", description = "Exact certificate identity (email or URI SAN).")
  String identity;

  @Option(names = "--certificate-identity-regexp", paramLabel = "RE", description = "Certificate identity as a regular expression (whole match).")
  String identityRegexp;

  @Option(names = "--certificate-oidc-issuer", paramLabel = "URL", description = "Exact OIDC issuer of the certificate.")
  String issuer;

  @Option(names = "--certificate-oidc-issuer-regexp", paramLabel = "RE", description = "OIDC issuer as a regular expression.")
  String issuerRegexp;

  @Option(names = "--insecure-ignore-tlog", description = "Accept keyless evidence without a transparency-log entry (RFC 3161 time only).")
  boolean ignoreTlog;

  @Option(names = "--insecure-ignore-sct", description = "Do not require a certificate-transparency SCT in keyless certificates.")
  boolean ignoreSct;

  /** @throws IllegalArgumentException for inconsistent flags; IOException for unreadable files */
  public TrustPolicy toPolicy() throws IOException {
    boolean keyless = identity != null || identityRegexp != null || issuer != null || issuerRegexp != null;
    if (keys.isEmpty() && !keyless) {
      throw new IllegalArgumentException("give --key, or --certificate-identity[-regexp] and --certificate-oidc-issuer[-regexp]");
    }
    if (!keys.isEmpty() && keyless) {
      throw new IllegalArgumentException("--key and keyless identity flags exclude each other");
    }
    TrustedRoot root = null;
    if (trustedRoot != null) {
      root = TrustedRoot.fromJson(trustedRoot);
    } else if (caCertificates != null) {
      root = TrustedRoot.fromPem(PublicKeyReader.certificatesFromPem(Files.readString(caCertificates)), List.of());
    }
    if (rekorKey != null) {
      List<PublicKey> extra = List.of(PublicKeyReader.fromPem(Files.readAllBytes(rekorKey)));
      root = root == null ? TrustedRoot.fromPem(List.of(), extra) : root.withRekorKeys(extra);
    }
    if (!keys.isEmpty()) {
      List<TrustedKey> trusted = new ArrayList<>();
      for (Path k : keys) {
        trusted.add(TrustedKey.of(k.getFileName().toString(), PublicKeyReader.fromPem(Files.readAllBytes(k))));
      }
      return TrustPolicy.ofKeys("cli", trusted, root);
    }
    if ((identity == null) == (identityRegexp == null)) {
      throw new IllegalArgumentException("keyless needs exactly one of --certificate-identity and --certificate-identity-regexp");
    }
    if ((issuer == null) == (issuerRegexp == null)) {
      throw new IllegalArgumentException("keyless needs exactly one of --certificate-oidc-issuer and --certificate-oidc-issuer-regexp");
    }
    if (root == null || root.certificateAuthorities().isEmpty()) {
      throw new IllegalArgumentException("keyless needs --trusted-root (or --certificate-chain)");
    }
    KeylessIdentity id = new KeylessIdentity(
        identity != null ? StringMatch.exact(identity) : StringMatch.regex(identityRegexp),
        issuer != null ? StringMatch.exact(issuer) : StringMatch.regex(issuerRegexp));
    return TrustPolicy.ofIdentities("cli", root, List.of(id))
        .withRequirements(!ignoreTlog, !ignoreSct && root.hasCtLogs());
  }
}

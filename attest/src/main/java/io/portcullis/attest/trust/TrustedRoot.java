package io.portcullis.attest.trust;

import dev.sigstore.trustroot.SigstoreConfigurationException;
import dev.sigstore.trustroot.SigstoreTrustedRoot;
import dev.sigstore.trustroot.TransparencyLog;
import dev.sigstore.trustroot.ValidFor;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.PublicKey;
import java.security.cert.X509Certificate;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;

/**
 * The roots of keyless trust, loaded from a file and never from the network: certificate
 * authorities (Fulcio), transparency logs (Rekor), certificate-transparency logs and timestamp
 * authorities. Built from the standard {@code trusted_root.json} or from PEM files (a Fulcio root
 * certificate plus a {@code rekor.pub}), as cosign's {@code SIGSTORE_ROOT_FILE} and
 * {@code SIGSTORE_REKOR_PUBLIC_KEY} allow.
 */
public final class TrustedRoot {

  /** A CA chain (leaf-most first, root last) and when it may issue certificates. */
  public record CertificateAuthority(List<X509Certificate> chain, Instant start, Instant end) {
    public boolean validAt(Instant t) {
      return (start == null || !t.isBefore(start)) && (end == null || !t.isAfter(end));
    }
  }

  /** A log's key, its log id and when it was in use (closed interval). */
  public record LogKey(byte[] logId, PublicKey key, Instant start, Instant end) {
    public boolean validAt(Instant t) {
      return (start == null || !t.isBefore(start)) && (end == null || !t.isAfter(end));
    }
  }

  private final List<CertificateAuthority> certificateAuthorities;
  private final List<LogKey> transparencyLogs;
  private final int ctLogCount;
  private final SigstoreTrustedRoot sigstore;

  private TrustedRoot(List<CertificateAuthority> cas, List<LogKey> tlogs, int ctLogCount, SigstoreTrustedRoot sigstore) {
    this.certificateAuthorities = List.copyOf(cas);
    this.transparencyLogs = List.copyOf(tlogs);
    this.ctLogCount = ctLogCount;
    this.sigstore = sigstore;
  }

  /** Loads a {@code trusted_root.json}. */
  public static TrustedRoot fromJson(Path file) throws IOException {
    return fromJson(Files.readAllBytes(file));
  }

  /** Parses a {@code trusted_root.json} document. */
  public static TrustedRoot fromJson(byte[] json) throws IOException {
    SigstoreTrustedRoot root;
    try {
      root = SigstoreTrustedRoot.from(new ByteArrayInputStream(json));
    } catch (SigstoreConfigurationException | RuntimeException e) {
      throw new IOException("unreadable trusted root: " + e.getMessage(), e);
    }
    List<CertificateAuthority> cas = new ArrayList<>();
    for (dev.sigstore.trustroot.CertificateAuthority ca : root.getCAs()) {
      List<X509Certificate> chain = new ArrayList<>();
      for (var c : ca.getCertPath().getCertificates()) {
        chain.add((X509Certificate) c);
      }
      cas.add(new CertificateAuthority(chain, start(ca.getValidFor()), end(ca.getValidFor())));
    }
    List<LogKey> logs = new ArrayList<>();
    for (TransparencyLog log : root.getTLogs()) {
      try {
        logs.add(new LogKey(log.getLogId().getKeyId(), log.getPublicKey().toJavaPublicKey(),
            start(log.getPublicKey().getValidFor()), end(log.getPublicKey().getValidFor())));
      } catch (Exception e) {
        throw new IOException("unusable transparency log key in trusted root: " + e.getMessage(), e);
      }
    }
    return new TrustedRoot(cas, logs, root.getCTLogs().size(), root);
  }

  /** A root made of PEM CA certificates (any validity) and Rekor public keys; no CT logs, no TSAs. */
  public static TrustedRoot fromPem(List<X509Certificate> caCertificates, List<PublicKey> rekorKeys) {
    List<CertificateAuthority> cas = new ArrayList<>();
    for (X509Certificate c : caCertificates) {
      cas.add(new CertificateAuthority(List.of(c), null, null));
    }
    List<LogKey> logs = new ArrayList<>();
    for (PublicKey k : rekorKeys) {
      logs.add(new LogKey(logIdOf(k), k, null, null));
    }
    return new TrustedRoot(cas, logs, 0, null);
  }

  /** This root plus further Rekor keys (a configured {@code rekor.pub}). */
  public TrustedRoot withRekorKeys(List<PublicKey> rekorKeys) {
    List<LogKey> logs = new ArrayList<>(transparencyLogs);
    for (PublicKey k : rekorKeys) {
      logs.add(new LogKey(logIdOf(k), k, null, null));
    }
    return new TrustedRoot(certificateAuthorities, logs, ctLogCount, sigstore);
  }

  /** Rekor's log id: SHA-256 of the DER public key. */
  public static byte[] logIdOf(PublicKey key) {
    try {
      return MessageDigest.getInstance("SHA-256").digest(key.getEncoded());
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  public List<CertificateAuthority> certificateAuthorities() {
    return certificateAuthorities;
  }

  public List<LogKey> transparencyLogs() {
    return transparencyLogs;
  }

  public Optional<LogKey> transparencyLog(byte[] logId) {
    return transparencyLogs.stream().filter(l -> Arrays.equals(l.logId(), logId)).findFirst();
  }

  public boolean hasCtLogs() {
    return ctLogCount > 0;
  }

  /** The sigstore-java view, present when loaded from {@code trusted_root.json}. */
  public Optional<SigstoreTrustedRoot> sigstore() {
    return Optional.ofNullable(sigstore);
  }

  private static Instant start(ValidFor v) {
    return v == null ? null : v.getStart();
  }

  private static Instant end(ValidFor v) {
    return v == null ? null : v.getEnd().orElse(null);
  }
}

package io.portcullis.attest.trust;

import dev.sigstore.trustroot.SigstoreConfigurationException;
import dev.sigstore.trustroot.SigstoreTrustedRoot;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.bouncycastle.cert.X509CertificateHolder;
import java.util.Base64;
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
  private static final ObjectMapper JSON = new ObjectMapper();

  /** A CA chain (leaf-most first, root last) and when it may issue certificates. */
  public record CertificateAuthority(List<X509Certificate> chain, Instant start, Instant end) {
    public boolean validAt(Instant t) {
      return (start == null || !t.isBefore(start)) && (end == null || !t.isAfter(end));
    }
  }

  /** A timestamp authority's chain (signing certificate first) and when it may issue timestamps. */
  public record TimestampAuthority(List<X509CertificateHolder> chain, Instant start, Instant end) {
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
  private final List<TimestampAuthority> timestampAuthorities;
  private final int ctLogCount;
  private final SigstoreTrustedRoot sigstore;

  private TrustedRoot(List<CertificateAuthority> cas, List<LogKey> tlogs, List<TimestampAuthority> tsas,
      int ctLogCount, SigstoreTrustedRoot sigstore) {
    this.certificateAuthorities = List.copyOf(cas);
    this.timestampAuthorities = List.copyOf(tsas);
    this.transparencyLogs = List.copyOf(tlogs);
    this.ctLogCount = ctLogCount;
    this.sigstore = sigstore;
  }

  /** Loads a {@code trusted_root.json}. */
  public static TrustedRoot fromJson(Path file) throws IOException {
    return fromJson(Files.readAllBytes(file));
  }

  /**
   * Parses a {@code trusted_root.json} document with our own reader (sigstore-java refuses some real
   * roots, e.g. a TSA certificate with an empty subject); sigstore-java's view is kept, when it can
   * read the document, for the certificate-transparency check.
   */
  public static TrustedRoot fromJson(byte[] json) throws IOException {
    JsonNode root;
    try {
      root = JSON.readTree(json);
    } catch (Exception e) {
      throw new IOException("trusted root is not JSON", e);
    }
    if (!root.path("mediaType").asText("").startsWith("application/vnd.dev.sigstore.trustedroot")) {
      throw new IOException("not a trusted root: mediaType " + root.path("mediaType").asText(""));
    }
    try {
      List<CertificateAuthority> cas = new ArrayList<>();
      for (JsonNode ca : root.path("certificateAuthorities")) {
        List<X509Certificate> chain = new ArrayList<>();
        for (JsonNode c : ca.path("certChain").path("certificates")) {
          chain.add(PublicKeyReader.certificateFromDer(Base64.getDecoder().decode(c.path("rawBytes").asText())));
        }
        cas.add(new CertificateAuthority(chain, time(ca.path("validFor").path("start")), time(ca.path("validFor").path("end"))));
      }
      List<LogKey> logs = new ArrayList<>();
      for (JsonNode log : root.path("tlogs")) {
        JsonNode pk = log.path("publicKey");
        logs.add(new LogKey(Base64.getDecoder().decode(log.path("logId").path("keyId").asText()),
            PublicKeyReader.fromDer(Base64.getDecoder().decode(pk.path("rawBytes").asText())),
            time(pk.path("validFor").path("start")), time(pk.path("validFor").path("end"))));
      }
      List<TimestampAuthority> tsas = new ArrayList<>();
      for (JsonNode tsa : root.path("timestampAuthorities")) {
        List<X509CertificateHolder> chain = new ArrayList<>();
        for (JsonNode c : tsa.path("certChain").path("certificates")) {
          chain.add(new X509CertificateHolder(Base64.getDecoder().decode(c.path("rawBytes").asText())));
        }
        tsas.add(new TimestampAuthority(chain, time(tsa.path("validFor").path("start")), time(tsa.path("validFor").path("end"))));
      }
      SigstoreTrustedRoot sigstore = null;
      try {
        sigstore = SigstoreTrustedRoot.from(new ByteArrayInputStream(json));
      } catch (SigstoreConfigurationException | RuntimeException e) {
        // sigstore-java cannot read it; SCTs then cannot be checked with this root
      }
      return new TrustedRoot(cas, logs, tsas, root.path("ctlogs").size(), sigstore);
    } catch (IOException e) {
      if (e.getMessage() != null) throw e;
      // BouncyCastle reports a truncated certificate as an EOFException without a message
      throw new IOException("unreadable trusted root: " + e.getClass().getSimpleName(), e);
    } catch (Exception e) {
      throw new IOException("unreadable trusted root: " + e.getMessage(), e);
    }
  }

  private static Instant time(JsonNode n) {
    if (!n.isTextual()) {
      return null;
    }
    return java.time.OffsetDateTime.parse(n.asText()).toInstant();
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
    return new TrustedRoot(cas, logs, List.of(), 0, null);
  }

  /** This root plus further Rekor keys (a configured {@code rekor.pub}). */
  public TrustedRoot withRekorKeys(List<PublicKey> rekorKeys) {
    List<LogKey> logs = new ArrayList<>(transparencyLogs);
    for (PublicKey k : rekorKeys) {
      logs.add(new LogKey(logIdOf(k), k, null, null));
    }
    return new TrustedRoot(certificateAuthorities, logs, timestampAuthorities, ctLogCount, sigstore);
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

  public List<TimestampAuthority> timestampAuthorities() {
    return timestampAuthorities;
  }

  public boolean hasCtLogs() {
    return ctLogCount > 0;
  }

  /** The sigstore-java view, present when loaded from {@code trusted_root.json}. */
  public Optional<SigstoreTrustedRoot> sigstore() {
    return Optional.ofNullable(sigstore);
  }

}

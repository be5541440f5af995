package io.portcullis.storage.model;

import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.regex.Pattern;

/**
 * A content digest such as {@code sha256:9f86...}. Carries its algorithm; sha256 and sha512 are
 * supported, with the lower-case hex length each requires.
 */
public record Digest(String algorithm, String hex) {
  private static final Pattern HEX = Pattern.compile("[a-f0-9]+");

  public Digest {
    Algorithm alg = Algorithm.byName(algorithm);
    if (hex.length() != alg.hexLength || !HEX.matcher(hex).matches()) {
      throw new InvalidDigestException(algorithm + ":" + hex, "the " + algorithm + " digest must be " + alg.hexLength + " lower-case hex characters");
    }
  }

  /** The digest algorithms the registry accepts. */
  public enum Algorithm {
    SHA256("sha256", "SHA-256", 64),
    SHA512("sha512", "SHA-512", 128);

    final String name;
    final String jcaName;
    final int hexLength;

    Algorithm(String name, String jcaName, int hexLength) {
      this.name = name;
      this.jcaName = jcaName;
      this.hexLength = hexLength;
    }

    public String label() { return name; }

    public static Algorithm byName(String name) {
      for (Algorithm a : values()) {
        if (a.name.equals(name)) return a;
      }
      throw new InvalidDigestException(name, "unsupported digest algorithm '" + name + "' (supported: sha256, sha512)");
    }

    public MessageDigest newHasher() {
      try {
        return MessageDigest.getInstance(jcaName);
      } catch (NoSuchAlgorithmException e) {
        throw new IllegalStateException(jcaName + " is missing from this JVM", e);
      }
    }
  }

  /** Parses {@code algorithm:hex}; throws {@link InvalidDigestException} on anything else. */
  public static Digest parse(String text) {
    if (text == null) throw new InvalidDigestException("", "no digest given");
    int colon = text.indexOf(':');
    if (colon <= 0 || colon == text.length() - 1) {
      throw new InvalidDigestException(text, "a digest is written algorithm:hex, e.g. sha256:<64 hex characters>");
    }
    return new Digest(text.substring(0, colon), text.substring(colon + 1));
  }

  /** True when the text looks like a digest (has an algorithm prefix), valid or not. Tags never contain ':'. */
  public static boolean looksLikeDigest(String reference) {
    return reference.indexOf(':') > 0;
  }

  public static Digest of(Algorithm algorithm, byte[] hash) {
    return new Digest(algorithm.name, HexFormat.of().formatHex(hash));
  }

  /** The digest of bytes held in memory (manifests; never blobs). */
  public static Digest compute(Algorithm algorithm, byte[] content) {
    return of(algorithm, algorithm.newHasher().digest(content));
  }

  public static Digest sha256(byte[] content) { return compute(Algorithm.SHA256, content); }

  public Algorithm algorithmKind() { return Algorithm.byName(algorithm); }

  @Override
  public String toString() { return algorithm + ":" + hex; }
}

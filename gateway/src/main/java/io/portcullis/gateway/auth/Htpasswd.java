package io.portcullis.gateway.auth;

import at.favre.lib.crypto.bcrypt.BCrypt;
import at.favre.lib.crypto.bcrypt.LongPasswordStrategies;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.security.SecureRandom;
import java.util.regex.Pattern;

/**
 * Users and their bcrypt password hashes, from an htpasswd file ({@code htpasswd -B}). Other hash kinds
 * (MD5 {@code $apr1$}, SHA1 {@code {SHA}}, crypt, plain text) are refused when the file is read.
 */
public final class Htpasswd {
  /**
   * Like Apache's {@code htpasswd -B}, which hashes only the first 72 bytes of a password, a longer
   * password is checked by its first 72 bytes (instead of failing).
   */
  private static final BCrypt.Verifyer VERIFYER = BCrypt.verifyer(BCrypt.Version.VERSION_2Y, LongPasswordStrategies.truncate(BCrypt.Version.VERSION_2Y));

  /** Version, two-digit cost, 22 characters of salt and 31 of hash, in bcrypt's base64 alphabet. */
  private static final Pattern BCRYPT = Pattern.compile("\\$2[aby]\\$(0[4-9]|[12][0-9]|3[01])\\$[./A-Za-z0-9]{53}");

  private final Map<String, String> hashes;
  /** Verified against for unknown users, at the file's highest cost, so that a wrong user name costs as much time as a wrong password. */
  private final String dummyHash;

  private Htpasswd(Map<String, String> hashes) {
    this.hashes = Map.copyOf(hashes);
    int cost = 10;
    if (!hashes.isEmpty()) {
      cost = 4;
      for (String h : hashes.values()) cost = Math.max(cost, costOf(h));
    }
    byte[] random = new byte[16];
    new SecureRandom().nextBytes(random);
    this.dummyHash = new String(BCrypt.with(BCrypt.Version.VERSION_2Y).hash(cost, random), StandardCharsets.UTF_8);
  }

  private static int costOf(String hash) {
    try {
      return Math.min(31, Math.max(4, Integer.parseInt(hash.substring(4, 6))));
    } catch (RuntimeException e) {
      return 10;
    }
  }

  public static Htpasswd empty() { return new Htpasswd(Map.of()); }

  public static Htpasswd read(Path file) throws IOException {
    List<String> lines = Files.readAllLines(file, StandardCharsets.UTF_8);
    Map<String, String> hashes = new HashMap<>();
    for (int i = 0; i < lines.size(); i++) {
      String line = lines.get(i).strip();
      if (line.isEmpty() || line.startsWith("#")) continue;
      int colon = line.indexOf(':');
      if (colon <= 0) throw new IllegalArgumentException(file + ":" + (i + 1) + ": expected user:hash");
      String user = line.substring(0, colon);
      String hash = line.substring(colon + 1);
      if (!(hash.startsWith("$2y$") || hash.startsWith("$2a$") || hash.startsWith("$2b$")) || !BCRYPT.matcher(hash).matches()) {
        throw new IllegalArgumentException(file + ":" + (i + 1) + ": user '" + user
            + "' has a hash that is not bcrypt; only bcrypt entries are accepted (create them with: htpasswd -B FILE USER)");
      }
      if (hashes.put(user, hash) != null) throw new IllegalArgumentException(file + ":" + (i + 1) + ": user '" + user + "' appears twice");
    }
    return new Htpasswd(hashes);
  }

  /** Checks a password (bcrypt, whose final comparison takes constant time); takes as long whether or not the user exists. */
  public boolean verify(String user, String password) {
    Optional<String> hash = Optional.ofNullable(hashes.get(user));
    byte[] candidate = password.getBytes(StandardCharsets.UTF_8);
    boolean ok = VERIFYER.verify(candidate, hash.orElse(dummyHash).getBytes(StandardCharsets.UTF_8)).verified;
    return ok && hash.isPresent();
  }

  public boolean isEmpty() { return hashes.isEmpty(); }

  public int size() { return hashes.size(); }
}

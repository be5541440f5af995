package io.portcullis.gateway.auth;

import at.favre.lib.crypto.bcrypt.BCrypt;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Users and their bcrypt password hashes, from an htpasswd file ({@code htpasswd -B}). Other hash kinds
 * (MD5 {@code $apr1$}, SHA1 {@code {SHA}}, crypt, plain text) are refused when the file is read.
 */
public final class Htpasswd {
  /** Verified against for unknown users, so that a wrong user name costs as much time as a wrong password. */
  private static final String DUMMY_HASH = "$2y$10$" + "abcdefghijklmnopqrstuuabcdefghijklmnopqrstuvwxyz01234";

  private final Map<String, String> hashes;

  private Htpasswd(Map<String, String> hashes) { this.hashes = Map.copyOf(hashes); }

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
      if (!(hash.startsWith("$2y$") || hash.startsWith("$2a$") || hash.startsWith("$2b$"))) {
        throw new IllegalArgumentException(file + ":" + (i + 1) + ": user '" + user
            + "' has a hash that is not bcrypt; only bcrypt entries are accepted (create them with: htpasswd -B FILE USER)");
      }
      if (hashes.put(user, hash) != null) throw new IllegalArgumentException(file + ":" + (i + 1) + ": user '" + user + "' appears twice");
    }
    return new Htpasswd(hashes);
  }

  /** Checks a password; takes the same time whether or not the user exists. */
  public boolean verify(String user, String password) {
    Optional<String> hash = Optional.ofNullable(hashes.get(user));
    byte[] candidate = password.getBytes(StandardCharsets.UTF_8);
    boolean ok = BCrypt.verifyer().verify(candidate, hash.orElse(DUMMY_HASH).getBytes(StandardCharsets.UTF_8)).verified;
    return ok && hash.isPresent();
  }

  public boolean isEmpty() { return hashes.isEmpty(); }

  public int size() { return hashes.size(); }
}

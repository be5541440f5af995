package io.portcullis.gateway.auth;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;

/** The key that signs bearer tokens: 32 random bytes kept in a file only the server's user can read. */
public final class TokenSecret {
  private TokenSecret() {}

  public static byte[] loadOrCreate(Path file) throws IOException {
    if (Files.exists(file)) {
      byte[] secret = Files.readAllBytes(file);
      if (secret.length < 32) throw new IOException(file + " holds fewer than 32 bytes; delete it to make a new token secret");
      return secret;
    }
    byte[] secret = new byte[32];
    new SecureRandom().nextBytes(secret);
    Files.createDirectories(file.getParent());
    Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
    Files.write(tmp, secret);
    try {
      Files.setPosixFilePermissions(tmp, PosixFilePermissions.fromString("rw-------"));
    } catch (UnsupportedOperationException e) {
      // not a POSIX file system: the storage directory's own permissions must protect it
    }
    Files.move(tmp, file, java.nio.file.StandardCopyOption.ATOMIC_MOVE);
    return secret;
  }
}

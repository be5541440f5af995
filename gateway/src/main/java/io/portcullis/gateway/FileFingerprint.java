package io.portcullis.gateway;

import io.portcullis.storage.model.Digest;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.List;
import java.util.function.Function;

/**
 * A SHA-256 over the names and contents of a few files, for the watchers that reload configuration
 * (the policy bundle, the authentication settings): it changes on any edit, however quick, which a
 * file's modification time can miss.
 */
public final class FileFingerprint {
  private FileFingerprint() {}

  /**
   * @param files the files, in a stable order
   * @param name the name each file is hashed under (so that a rename changes the fingerprint too)
   * @throws IOException naming the file that could not be read
   */
  public static String of(List<Path> files, Function<Path, String> name) throws IOException {
    MessageDigest sha = Digest.Algorithm.SHA256.newHasher();
    for (Path p : files) {
      sha.update(name.apply(p).getBytes(StandardCharsets.UTF_8));
      sha.update((byte) 0);
      try {
        sha.update(Files.readAllBytes(p));
      } catch (IOException e) {
        throw new IOException(p + " (" + e.getClass().getSimpleName() + ")", e);
      }
      sha.update((byte) 0);
    }
    return HexFormat.of().formatHex(sha.digest());
  }
}

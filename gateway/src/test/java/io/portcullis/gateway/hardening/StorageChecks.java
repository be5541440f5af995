package io.portcullis.gateway.hardening;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.portcullis.gateway.cli.Main;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Stream;
import picocli.CommandLine;

/** Checks of a storage directory as it lies on disk, for the crash and full-disk tests. */
final class StorageChecks {
  private StorageChecks() {}

  /** Runs {@code portcullis scrub} (in this JVM) over {@code storage} and asserts that nothing is corrupt. */
  static String scrubFindsNothingCorrupt(Path storage) {
    StringWriter out = new StringWriter();
    CommandLine cli = new CommandLine(new Main());
    cli.setOut(new PrintWriter(out, true));
    cli.setErr(new PrintWriter(out, true));
    int exit = cli.execute("scrub", "--storage", storage.toString());
    String report = out.toString();
    assertEquals(0, exit, () -> "scrub found damage after a crash:\n" + report);
    assertTrue(report.contains(" blobs checked, 0 corrupt") && !report.contains("cannot read"), () -> "scrub report:\n" + report);
    return report.trim();
  }

  /**
   * Every file under {@code blobs/} is a complete blob: it sits at {@code blobs/<algorithm>/<hex[0:2]>/<hex>}
   * (no temporary or half-renamed files) and its bytes hash to its name. Works while a server runs.
   */
  static int blobFilesMatchTheirNames(Path storage) throws IOException {
    Path blobs = storage.resolve("blobs");
    int count = 0;
    try (Stream<Path> files = Files.walk(blobs)) {
      for (Path p : (Iterable<Path>) files.filter(Files::isRegularFile)::iterator) {
        Path rel = blobs.relativize(p);
        assertEquals(3, rel.getNameCount(), () -> "a stray file among the blobs: " + rel);
        String algorithm = rel.getName(0).toString();
        String hex = rel.getName(2).toString();
        assertTrue(hex.startsWith(rel.getName(1).toString()) && hex.matches("[0-9a-f]{64}|[0-9a-f]{128}"),
            () -> "a blob file whose name is no digest: " + rel);
        assertEquals(hex, hash(p, algorithm.equals("sha512") ? "SHA-512" : "SHA-256"),
            () -> "a blob whose bytes do not match its name (partial or corrupt): " + rel);
        count++;
      }
    }
    return count;
  }

  static String hash(Path file, String algorithm) throws IOException {
    MessageDigest md;
    try {
      md = MessageDigest.getInstance(algorithm);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
    try (InputStream in = Files.newInputStream(file)) {
      byte[] buf = new byte[64 * 1024];
      int n;
      while ((n = in.read(buf)) > 0) md.update(buf, 0, n);
    }
    return HexFormat.of().formatHex(md.digest());
  }

  /**
   * The metadata database passes SQLite's own integrity and foreign-key checks, and every blob it links to a
   * repository (manifests included) exists as a file. Returns the ids of the upload sessions it knows. Read
   * only: it can run beside a server (WAL), and it leaves recovering a crashed database to the server.
   */
  static Set<String> metadataIsConsistent(Path storage) throws SQLException {
    org.sqlite.SQLiteConfig readOnly = new org.sqlite.SQLiteConfig();
    readOnly.setReadOnly(true);
    try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + storage.resolve("metadata.db").toAbsolutePath(), readOnly.toProperties());
        Statement s = c.createStatement()) {
      assertEquals(List.of("ok"), strings(s, "PRAGMA integrity_check"), "SQLite integrity check");
      assertEquals(List.of(), strings(s, "PRAGMA foreign_key_check"), "SQLite foreign key check");
      for (String digest : strings(s, "SELECT DISTINCT digest FROM blob_links UNION SELECT digest FROM manifests")) {
        String algorithm = digest.substring(0, digest.indexOf(':'));
        String hex = digest.substring(digest.indexOf(':') + 1);
        Path file = storage.resolve("blobs").resolve(algorithm).resolve(hex.substring(0, 2)).resolve(hex);
        assertTrue(Files.isRegularFile(file), () -> "the metadata links " + digest + " but its file is missing");
      }
      return new TreeSet<>(strings(s, "SELECT id FROM uploads"));
    }
  }

  private static List<String> strings(Statement s, String sql) throws SQLException {
    List<String> out = new ArrayList<>();
    try (ResultSet rs = s.executeQuery(sql)) {
      while (rs.next()) out.add(rs.getString(1));
    }
    return out;
  }

  /** The names of the files under {@code uploads/}. */
  static Set<String> uploadFiles(Path storage) throws IOException {
    Set<String> names = new TreeSet<>();
    try (Stream<Path> files = Files.list(storage.resolve("uploads"))) {
      files.forEach(p -> names.add(p.getFileName().toString()));
    }
    return names;
  }
}

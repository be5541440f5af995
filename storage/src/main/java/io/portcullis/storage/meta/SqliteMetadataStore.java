package io.portcullis.storage.meta;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.portcullis.storage.model.Digest;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The metadata store in one SQLite file ({@code metadata.db} under the storage root), in WAL mode.
 * Every public method is one transaction. Writes go through one connection, one at a time; reads borrow
 * one of a few read-only connections and run beside the writer (WAL gives each a consistent snapshot).
 */
public final class SqliteMetadataStore implements MetadataStore {
  private static final int SCHEMA_VERSION = 3;
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final TypeReference<Map<String, String>> STRING_MAP = new TypeReference<>() {};

  /** Read connections: enough for the server's concurrent readers on a small machine. */
  private static final int READERS = 4;

  private final Connection db;
  private final java.util.concurrent.BlockingQueue<Connection> readers = new java.util.concurrent.ArrayBlockingQueue<>(READERS);
  /** Per repository, bumped after each committed manifest or tag change (see {@link #manifestRevision}). */
  private final java.util.concurrent.ConcurrentHashMap<String, java.util.concurrent.atomic.AtomicLong> manifestRevisions =
      new java.util.concurrent.ConcurrentHashMap<>();
  /** The connection the current thread's transaction uses (the writer, or a borrowed reader). */
  private final ThreadLocal<Connection> current = new ThreadLocal<>();

  public SqliteMetadataStore(Path file) {
    try {
      db = DriverManager.getConnection("jdbc:sqlite:" + file.toAbsolutePath());
      try (Statement s = db.createStatement()) {
        s.execute("PRAGMA journal_mode=WAL");
        s.execute("PRAGMA synchronous=NORMAL");
        s.execute("PRAGMA foreign_keys=ON");
        s.execute("PRAGMA busy_timeout=10000");
      }
      migrate();
      for (int i = 0; i < READERS; i++) {
        Connection r = DriverManager.getConnection("jdbc:sqlite:" + file.toAbsolutePath());
        try (Statement s = r.createStatement()) {
          s.execute("PRAGMA busy_timeout=10000");
          s.execute("PRAGMA query_only=1");
        }
        readers.add(r);
      }
    } catch (SQLException e) {
      throw new MetadataException("cannot open the metadata database " + file, e);
    }
  }

  private void migrate() throws SQLException {
    int version;
    try (Statement s = db.createStatement(); ResultSet rs = s.executeQuery("PRAGMA user_version")) {
      version = rs.getInt(1);
    }
    if (version > SCHEMA_VERSION) {
      throw new MetadataException("the metadata database has schema version " + version + ", newer than this Portcullis (" + SCHEMA_VERSION + ")", null);
    }
    if (version < 1) {
      try (Statement s = db.createStatement()) {
        s.execute("CREATE TABLE repositories (name TEXT PRIMARY KEY, created_at INTEGER NOT NULL)");
        s.execute("CREATE TABLE blob_links (repository TEXT NOT NULL REFERENCES repositories(name),"
            + " digest TEXT NOT NULL, size INTEGER NOT NULL, PRIMARY KEY (repository, digest))");
        s.execute("CREATE INDEX blob_links_by_digest ON blob_links(digest)");
        s.execute("CREATE TABLE manifests (repository TEXT NOT NULL REFERENCES repositories(name),"
            + " digest TEXT NOT NULL, media_type TEXT NOT NULL, size INTEGER NOT NULL, artifact_type TEXT,"
            + " subject TEXT, annotations TEXT NOT NULL, created_at INTEGER NOT NULL, PRIMARY KEY (repository, digest))");
        s.execute("CREATE INDEX manifests_by_subject ON manifests(repository, subject) WHERE subject IS NOT NULL");
        s.execute("CREATE TABLE manifest_references (repository TEXT NOT NULL, manifest TEXT NOT NULL, reference TEXT NOT NULL,"
            + " PRIMARY KEY (repository, manifest, reference),"
            + " FOREIGN KEY (repository, manifest) REFERENCES manifests(repository, digest) ON DELETE CASCADE)");
        s.execute("CREATE INDEX manifest_references_by_reference ON manifest_references(repository, reference)");
        s.execute("CREATE TABLE tags (repository TEXT NOT NULL, tag TEXT NOT NULL, digest TEXT NOT NULL, updated_at INTEGER NOT NULL,"
            + " PRIMARY KEY (repository, tag), FOREIGN KEY (repository, digest) REFERENCES manifests(repository, digest) ON DELETE CASCADE)");
        s.execute("CREATE INDEX tags_by_digest ON tags(repository, digest)");
        s.execute("CREATE TABLE uploads (id TEXT PRIMARY KEY, repository TEXT NOT NULL, created_at INTEGER NOT NULL)");
        s.execute("PRAGMA user_version = 1");
      }
      version = 1;
    }
    if (version < 2) {
      try (Statement s = db.createStatement()) {
        // An inverted index: one row per (kind of key, key, subject, SBOM), in the order searches page
        // through, so that a search is one range scan that stops at the page size.
        s.execute("CREATE TABLE component_keys (kind TEXT NOT NULL, key TEXT NOT NULL, repository TEXT NOT NULL,"
            + " subject TEXT NOT NULL, sbom TEXT NOT NULL, PRIMARY KEY (kind, key, repository, subject, sbom)) WITHOUT ROWID");
        s.execute("CREATE INDEX component_keys_by_sbom ON component_keys(repository, sbom)");
        s.execute("PRAGMA user_version = 2");
      }
      version = 2;
    }
    if (version < 3) {
      try (Statement s = db.createStatement()) {
        // When a blob became visible in the repository: garbage collection spares recent links, which may
        // belong to a push whose manifest has not arrived yet. Older rows count as linked long ago.
        s.execute("ALTER TABLE blob_links ADD COLUMN linked_at INTEGER NOT NULL DEFAULT 0");
        s.execute("PRAGMA user_version = 3");
      }
    }
  }

  /** A unit of work run inside one transaction. */
  private interface Work<T> {
    T run() throws SQLException;
  }

  /**
   * A write transaction on the one write connection. {@code BEGIN IMMEDIATE} takes the write lock at once,
   * so that the transaction never has to upgrade a read lock (and fail with SQLITE_BUSY) halfway.
   */
  private synchronized <T> T transaction(String what, Work<T> work) {
    return runOn(db, "BEGIN IMMEDIATE", what, work);
  }

  /** A read-only transaction on a borrowed read connection: a consistent snapshot, beside the writer. */
  private <T> T read(String what, Work<T> work) {
    Connection c;
    try {
      c = readers.take();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new MetadataException("metadata store: " + what + " interrupted", e);
    }
    try {
      return runOn(c, "BEGIN", what, work);
    } finally {
      readers.add(c);
    }
  }

  /**
   * Runs {@code work} between {@code begin} and COMMIT, or rolls it back. The transaction is managed here
   * with plain statements (the connections stay in JDBC auto-commit mode): when SQLite itself has rolled a
   * transaction back (SQLITE_FULL on a full disk does), the ROLLBACK that finds none is harmless and the
   * next call begins afresh. (The driver's own transaction handling would leave the connection outside
   * any transaction after such a failure, and every later write would commit statement by statement.)
   */
  private <T> T runOn(Connection c, String begin, String what, Work<T> work) {
    current.set(c);
    try (Statement s = c.createStatement()) {
      s.execute(begin);
      try {
        T result = work.run();
        s.execute("COMMIT");
        return result;
      } catch (SQLException | RuntimeException e) {
        try {
          s.execute("ROLLBACK");
        } catch (SQLException noTransaction) {
          e.addSuppressed(noTransaction);
        }
        throw e;
      }
    } catch (SQLException | RuntimeException e) {
      if (e instanceof MetadataException me) throw me;
      throw new MetadataException("metadata store: " + what + " failed", e);
    } finally {
      current.remove();
    }
  }

  private PreparedStatement prepare(String sql, Object... args) throws SQLException {
    PreparedStatement ps = current.get().prepareStatement(sql);
    for (int i = 0; i < args.length; i++) ps.setObject(i + 1, args[i]);
    return ps;
  }

  private int update(String sql, Object... args) throws SQLException {
    try (PreparedStatement ps = prepare(sql, args)) {
      return ps.executeUpdate();
    }
  }

  private List<String> strings(String sql, Object... args) throws SQLException {
    try (PreparedStatement ps = prepare(sql, args); ResultSet rs = ps.executeQuery()) {
      List<String> out = new ArrayList<>();
      while (rs.next()) out.add(rs.getString(1));
      return out;
    }
  }

  private void ensureRepository(String repository) throws SQLException {
    update("INSERT OR IGNORE INTO repositories(name, created_at) VALUES (?, ?)", repository, System.currentTimeMillis());
  }

  @Override
  public boolean repositoryExists(String repository) {
    return read("repository lookup", () -> !strings("SELECT name FROM repositories WHERE name = ?", repository).isEmpty());
  }

  @Override
  public long repositoryCount() {
    return read("repository count", () -> Long.parseLong(strings("SELECT COUNT(*) FROM repositories").get(0)));
  }

  @Override
  public long repositorySize(String repository) {
    return read("repository size", () -> Long.parseLong(strings("SELECT COALESCE(SUM(size), 0) FROM blob_links WHERE repository = ?", repository).get(0)));
  }

  @Override
  public List<String> repositories(String after, int limit) {
    return read("catalog", () -> strings(
        "SELECT name FROM repositories WHERE name > ? ORDER BY name LIMIT ?", after == null ? "" : after, limit));
  }

  @Override
  public void linkBlob(String repository, Digest digest, long size) {
    transaction("blob link", () -> {
      ensureRepository(repository);
      return update("INSERT OR REPLACE INTO blob_links(repository, digest, size, linked_at) VALUES (?, ?, ?, ?)", repository, digest.toString(),
          size, System.currentTimeMillis());
    });
  }

  @Override
  public Optional<Long> linkedBlobSize(String repository, Digest digest) {
    return read("blob lookup", () -> {
      try (PreparedStatement ps = prepare("SELECT size FROM blob_links WHERE repository = ? AND digest = ?", repository, digest.toString());
          ResultSet rs = ps.executeQuery()) {
        return rs.next() ? Optional.of(rs.getLong(1)) : Optional.<Long>empty();
      }
    });
  }

  @Override
  public List<String> repositoriesWithBlob(Digest digest) {
    return read("blob lookup", () -> strings("SELECT repository FROM blob_links WHERE digest = ? ORDER BY repository", digest.toString()));
  }

  @Override
  public boolean unlinkBlob(String repository, Digest digest) {
    return transaction("blob unlink", () -> update("DELETE FROM blob_links WHERE repository = ? AND digest = ?", repository, digest.toString()) > 0);
  }

  @Override
  public long manifestRevision(String repository) {
    java.util.concurrent.atomic.AtomicLong r = manifestRevisions.get(repository);
    return r == null ? 0 : r.get();
  }

  /** Runs a change to the repository's manifests or tags, then bumps its revision (also when the change failed). */
  private <T> T manifestChange(String repository, String what, Work<T> work) {
    try {
      return transaction(what, work);
    } finally {
      manifestRevisions.computeIfAbsent(repository, k -> new java.util.concurrent.atomic.AtomicLong()).incrementAndGet();
    }
  }

  @Override
  public void putManifest(StoredManifest m, Collection<String> tags) {
    manifestChange(m.repository(), "manifest put", () -> {
      ensureRepository(m.repository());
      String digest = m.digest().toString();
      // An upsert, not INSERT OR REPLACE: a replace deletes the row first, and the cascade would drop its tags.
      update("INSERT INTO manifests(repository, digest, media_type, size, artifact_type, subject, annotations, created_at)"
              + " VALUES (?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT(repository, digest) DO UPDATE SET media_type = excluded.media_type,"
              + " size = excluded.size, artifact_type = excluded.artifact_type, subject = excluded.subject, annotations = excluded.annotations",
          m.repository(), digest, m.mediaType(), m.size(), m.artifactType(),
          m.subject() == null ? null : m.subject().toString(), toJson(m.annotations()), System.currentTimeMillis());
      for (Digest ref : m.references()) {
        update("INSERT OR IGNORE INTO manifest_references(repository, manifest, reference) VALUES (?, ?, ?)", m.repository(), digest, ref.toString());
      }
      // The manifest's own bytes are a blob of the repository too.
      update("INSERT OR IGNORE INTO blob_links(repository, digest, size, linked_at) VALUES (?, ?, ?, ?)", m.repository(), digest, m.size(),
          System.currentTimeMillis());
      for (String tag : tags) {
        update("INSERT INTO tags(repository, tag, digest, updated_at) VALUES (?, ?, ?, ?)"
            + " ON CONFLICT(repository, tag) DO UPDATE SET digest = excluded.digest, updated_at = excluded.updated_at",
            m.repository(), tag, digest, System.currentTimeMillis());
      }
      return null;
    });
  }

  @Override
  public Optional<StoredManifest> manifest(String repository, Digest digest) {
    return read("manifest lookup", () -> {
      List<StoredManifest> found = manifests("SELECT repository, digest, media_type, size, artifact_type, subject, annotations"
          + " FROM manifests WHERE repository = ? AND digest = ?", repository, digest.toString());
      return found.isEmpty() ? Optional.<StoredManifest>empty() : Optional.of(found.get(0));
    });
  }

  private List<StoredManifest> manifests(String sql, Object... args) throws SQLException {
    return manifests(true, sql, args);
  }

  /** Manifests from a query; {@code withReferences} false leaves {@link StoredManifest#references()} empty (one query less per row). */
  private List<StoredManifest> manifests(boolean withReferences, String sql, Object... args) throws SQLException {
    List<StoredManifest> out = new ArrayList<>();
    try (PreparedStatement ps = prepare(sql, args); ResultSet rs = ps.executeQuery()) {
      while (rs.next()) {
        String subject = rs.getString(6);
        out.add(new StoredManifest(rs.getString(1), Digest.parse(rs.getString(2)), rs.getString(3), rs.getLong(4),
            rs.getString(5), subject == null ? null : Digest.parse(subject), fromJson(rs.getString(7)), null));
      }
    }
    if (!withReferences) return out;
    List<StoredManifest> withRefs = new ArrayList<>(out.size());
    for (StoredManifest m : out) {
      List<Digest> refs = new ArrayList<>();
      for (String r : strings("SELECT reference FROM manifest_references WHERE repository = ? AND manifest = ?", m.repository(), m.digest().toString())) {
        refs.add(Digest.parse(r));
      }
      withRefs.add(new StoredManifest(m.repository(), m.digest(), m.mediaType(), m.size(), m.artifactType(), m.subject(), m.annotations(), refs));
    }
    return withRefs;
  }

  @Override
  public Optional<Digest> resolveTag(String repository, String tag) {
    return read("tag lookup", () -> {
      List<String> d = strings("SELECT digest FROM tags WHERE repository = ? AND tag = ?", repository, tag);
      return d.isEmpty() ? Optional.<Digest>empty() : Optional.of(Digest.parse(d.get(0)));
    });
  }

  @Override
  public List<String> tags(String repository, String after, int limit) {
    return read("tag list", () -> strings(
        "SELECT tag FROM tags WHERE repository = ? AND tag > ? ORDER BY tag LIMIT ?", repository, after == null ? "" : after, limit));
  }

  @Override
  public List<String> tagsOf(String repository, Digest manifest) {
    return read("tag list", () -> strings("SELECT tag FROM tags WHERE repository = ? AND digest = ? ORDER BY tag", repository, manifest.toString()));
  }

  @Override
  public boolean deleteTag(String repository, String tag) {
    return manifestChange(repository, "tag delete", () -> update("DELETE FROM tags WHERE repository = ? AND tag = ?", repository, tag) > 0);
  }

  @Override
  public boolean deleteManifest(String repository, Digest digest) {
    return manifestChange(repository, "manifest delete", () -> {
      int n = update("DELETE FROM manifests WHERE repository = ? AND digest = ?", repository, digest.toString());
      if (n > 0) update("DELETE FROM blob_links WHERE repository = ? AND digest = ?", repository, digest.toString());
      return n > 0;
    });
  }

  @Override
  public List<StoredManifest> referencingManifests(String repository, Digest digest) {
    return read("reference lookup", () -> manifests(false,
        "SELECT m.repository, m.digest, m.media_type, m.size, m.artifact_type, m.subject, m.annotations"
            + " FROM manifest_references r JOIN manifests m ON m.repository = r.repository AND m.digest = r.manifest"
            + " WHERE r.repository = ? AND r.reference = ? ORDER BY m.digest", repository, digest.toString()));
  }

  private static final String UNREFERENCED_LINKS = " FROM blob_links WHERE linked_at < ?"
      + " AND NOT EXISTS (SELECT 1 FROM manifest_references r WHERE r.repository = blob_links.repository AND r.reference = blob_links.digest)"
      + " AND NOT EXISTS (SELECT 1 FROM manifests m WHERE m.repository = blob_links.repository AND m.digest = blob_links.digest)";

  @Override
  public long deleteUnreferencedLinks(java.time.Instant linkedBefore, boolean countOnly) {
    if (countOnly) {
      return read("garbage count", () -> Long.parseLong(strings("SELECT COUNT(*)" + UNREFERENCED_LINKS, linkedBefore.toEpochMilli()).get(0)));
    }
    return transaction("garbage collection", () -> (long) update("DELETE" + UNREFERENCED_LINKS, linkedBefore.toEpochMilli()));
  }

  @Override
  public List<String> attachedKeys(String repository, Digest subject, List<String> tags) {
    StringBuilder sql = new StringBuilder("SELECT 'ref:' || digest FROM manifests WHERE repository = ? AND subject = ?");
    List<Object> args = new ArrayList<>(List.of(repository, subject.toString()));
    if (!tags.isEmpty()) {
      sql.append(" UNION ALL SELECT tag || ':' || digest FROM tags WHERE repository = ? AND tag IN (")
          .append(String.join(", ", java.util.Collections.nCopies(tags.size(), "?"))).append(')');
      args.add(repository);
      args.addAll(tags);
    }
    return read("evidence lookup", () -> strings(sql.toString(), args.toArray()));
  }

  @Override
  public List<StoredManifest> referrers(String repository, Digest subject) {
    return read("referrers lookup", () -> manifests(false,
        "SELECT repository, digest, media_type, size, artifact_type, subject, annotations FROM manifests"
            + " WHERE repository = ? AND subject = ? ORDER BY created_at, digest", repository, subject.toString()));
  }

  @Override
  public void indexComponents(String repository, Digest subject, Digest sbom, List<IndexedComponent> components) {
    transaction("component indexing", () -> {
      update("DELETE FROM component_keys WHERE repository = ? AND sbom = ?", repository, sbom.toString());
      try (PreparedStatement insert = current.get().prepareStatement(
          "INSERT OR IGNORE INTO component_keys(kind, key, repository, subject, sbom) VALUES (?, ?, ?, ?, ?)")) {
        insert.setString(3, repository);
        insert.setString(4, subject.toString());
        insert.setString(5, sbom.toString());
        for (IndexedComponent c : components) {
          addKey(insert, "purl_base", c.purlBase());
          addKey(insert, "purl", c.purl());
          addKey(insert, "name", c.name());
          if (c.name() != null && c.version() != null) addKey(insert, "name_version", c.name() + "@" + c.version());
          for (String license : c.licenses()) addKey(insert, "license", license);
        }
      }
      return null;
    });
  }

  private static void addKey(PreparedStatement insert, String kind, String key) throws SQLException {
    if (key == null || key.isEmpty()) return;
    insert.setString(1, kind);
    insert.setString(2, key);
    insert.executeUpdate();
  }

  @Override
  public List<ComponentMatch> searchComponents(ComponentQuery query, String afterCursor, int limit) {
    String kind;
    String key;
    switch (query.kind()) {
      case PURL_BASE -> { kind = "purl_base"; key = query.value(); }
      case PURL -> { kind = "purl"; key = query.value(); }
      case NAME -> {
        kind = query.version() == null ? "name" : "name_version";
        key = query.version() == null ? query.value() : query.value() + "@" + query.version();
      }
      default -> { kind = "license"; key = query.value(); }
    }
    String afterRepository = "";
    String afterSubject = "";
    if (afterCursor != null) {
      int at = afterCursor.lastIndexOf('@');
      afterRepository = at < 0 ? afterCursor : afterCursor.substring(0, at);
      afterSubject = at < 0 ? "" : afterCursor.substring(at + 1);
    }
    // Rows of deleted subjects or deleted SBOMs are skipped by the joins (and replaced on re-indexing).
    String sql = "SELECT DISTINCT k.repository, k.subject FROM component_keys k"
        + " JOIN manifests m ON m.repository = k.repository AND m.digest = k.subject"
        + " JOIN manifests s ON s.repository = k.repository AND s.digest = k.sbom"
        + " WHERE k.kind = ? AND k.key = ? AND (k.repository, k.subject) > (?, ?)"
        + " ORDER BY k.repository, k.subject LIMIT ?";
    Object[] args = {kind, key, afterRepository, afterSubject, limit};
    return read("component search", () -> {
      List<ComponentMatch> out = new ArrayList<>();
      try (PreparedStatement ps = prepare(sql, args); ResultSet rs = ps.executeQuery()) {
        while (rs.next()) out.add(new ComponentMatch(rs.getString(1), Digest.parse(rs.getString(2))));
      }
      return out;
    });
  }

  @Override
  public void putUpload(String uploadId, String repository) {
    transaction("upload start", () -> {
      ensureRepository(repository);
      return update("INSERT INTO uploads(id, repository, created_at) VALUES (?, ?, ?)", uploadId, repository, System.currentTimeMillis());
    });
  }

  @Override
  public Optional<String> uploadRepository(String uploadId) {
    return read("upload lookup", () -> {
      List<String> r = strings("SELECT repository FROM uploads WHERE id = ?", uploadId);
      return r.isEmpty() ? Optional.<String>empty() : Optional.of(r.get(0));
    });
  }

  @Override
  public void deleteUpload(String uploadId) {
    transaction("upload delete", () -> update("DELETE FROM uploads WHERE id = ?", uploadId));
  }

  private static String toJson(Map<String, String> map) {
    try {
      return JSON.writeValueAsString(map);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException(e);
    }
  }

  private static Map<String, String> fromJson(String text) {
    try {
      return JSON.readValue(text, STRING_MAP);
    } catch (JsonProcessingException e) {
      throw new MetadataException("corrupt annotations in the metadata database", e);
    }
  }

  @Override
  public synchronized void close() {
    try {
      for (Connection r : readers) r.close();
      db.close();
    } catch (SQLException e) {
      throw new MetadataException("cannot close the metadata database", e);
    }
  }
}

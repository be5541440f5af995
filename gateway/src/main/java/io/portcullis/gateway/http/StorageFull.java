package io.portcullis.gateway.http;

import java.sql.SQLException;

/**
 * Recognises a failure caused by a full disk: the file system's "No space left on device" (ENOSPC) or
 * "Disk quota exceeded" (EDQUOT) on a blob or upload write, or SQLite's {@code SQLITE_FULL} on a metadata
 * write. Such a request is answered {@value #STATUS} Insufficient Storage with code {@code UNKNOWN} (the
 * spec has no code for it) and {@link #MESSAGE}; the registry goes on serving reads, and writes succeed
 * again as soon as space is freed.
 */
public final class StorageFull {
  public static final int STATUS = 507;
  public static final String MESSAGE = "no space left on device: the registry's storage is full; nothing was stored,"
      + " retry once space has been freed";
  /** SQLite's primary result code SQLITE_FULL ("database or disk is full"). */
  private static final int SQLITE_FULL = 13;

  private StorageFull() {}

  /** Whether {@code e}, or one of its causes, says that the disk is full. */
  public static boolean causes(Throwable e) {
    return find(e) != null;
  }

  /** The message of the cause that said so (for the log and the error's detail). */
  public static String reason(Throwable e) {
    Throwable t = find(e);
    return t == null ? "" : String.valueOf(t.getMessage());
  }

  private static Throwable find(Throwable e) {
    int depth = 0;
    for (Throwable t = e; t != null && depth < 16; t = t.getCause(), depth++) {
      if (t instanceof SQLException s && (s.getErrorCode() & 0xff) == SQLITE_FULL) return t;
      String m = t.getMessage();
      if (m != null && (m.contains("No space left on device") || m.contains("Disk quota exceeded") || m.contains("SQLITE_FULL"))) {
        return t;
      }
    }
    return null;
  }
}

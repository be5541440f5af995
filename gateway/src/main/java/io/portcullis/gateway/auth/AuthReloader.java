package io.portcullis.gateway.auth;

import io.portcullis.gateway.FileFingerprint;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The authentication settings in force, reloaded when the configuration file or the htpasswd file
 * changes. A change is applied once the files have stayed the same for one check (so that a file read
 * half-way through being written is not applied); settings that do not load (bad YAML, an unknown key,
 * a non-bcrypt hash, a missing file) are logged and the previous ones keep serving. The mode and the
 * token settings take effect only at start-up: a change to them is logged and left for the next start.
 */
public final class AuthReloader implements Supplier<AuthSettings>, AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(AuthReloader.class);

  /** Reads the authentication settings afresh from their files. */
  @FunctionalInterface
  public interface Loader {
    AuthSettings load() throws IOException;
  }

  private final AtomicReference<AuthSettings> current;
  private final Loader loader;
  private String loadedFingerprint;
  private String pendingFingerprint;
  private String lastProblem;
  private ScheduledExecutorService watcher;

  public AuthReloader(AuthSettings initial, Loader loader) {
    this.current = new AtomicReference<>(initial);
    this.loader = loader;
    if (initial.source().reloadable()) {
      try {
        loadedFingerprint = fingerprint(initial.source());
      } catch (IOException e) {
        loadedFingerprint = "";
      }
    }
  }

  /** Settings that never change (for servers configured in code). */
  public static AuthReloader fixed(AuthSettings settings) {
    return new AuthReloader(settings, () -> settings);
  }

  @Override
  public AuthSettings get() { return current.get(); }

  /** Checks the files every {@code source().reloadInterval()}; does nothing when the settings did not come from a file. */
  public synchronized void watch() {
    AuthSettings s = current.get();
    if (!s.source().reloadable() || watcher != null) return;
    watcher = Executors.newSingleThreadScheduledExecutor(r -> {
      Thread t = new Thread(r, "auth-config-watcher");
      t.setDaemon(true);
      return t;
    });
    long ms = s.source().reloadInterval().toMillis();
    watcher.scheduleWithFixedDelay(this::reloadIfChanged, ms, ms, TimeUnit.MILLISECONDS);
  }

  /** Reloads the settings if their files changed and have since stayed the same; true when new settings were installed. */
  public synchronized boolean reloadIfChanged() {
    AuthSettings running = current.get();
    String now;
    try {
      now = fingerprint(running.source());
    } catch (IOException e) {
      problem("cannot read " + e.getMessage() + "; the previous authentication settings keep serving");
      return false;
    }
    if (now.equals(loadedFingerprint)) {
      pendingFingerprint = null;
      return false;
    }
    if (!now.equals(pendingFingerprint)) {
      pendingFingerprint = now;   // changed: apply it at the next check if it stays like this
      return false;
    }
    pendingFingerprint = null;
    loadedFingerprint = now;
    AuthSettings fresh;
    try {
      fresh = loader.load();
    } catch (IOException | RuntimeException e) {
      problem("the authentication settings in " + running.source().configFile() + " (or the htpasswd file they name) were changed "
          + "but cannot be used, so the previous ones keep serving: " + e.getMessage());
      return false;
    }
    if (fresh.startupSettingsDifferFrom(running)) {
      LOG.warn("auth.mode and auth.token changed in {}: they take effect at the next start; the users, groups and access rules are reloaded now",
          running.source().configFile());
      fresh = fresh.withStartupSettingsOf(running);
    }
    current.set(fresh);
    lastProblem = null;
    try {
      loadedFingerprint = fingerprint(fresh.source());   // the htpasswd file may have been renamed
    } catch (IOException e) {
      // it was readable a moment ago; the next check reports what happened
    }
    LOG.info("authentication settings reloaded from {}: users {}, access rules {}, admins {}", fresh.source().configFile(),
        fresh.users().size(), fresh.policy().rules().size(), fresh.policy().admins().size());
    return true;
  }

  /** Logs a problem once, not at every check while it lasts. */
  private void problem(String message) {
    if (message.equals(lastProblem)) return;
    lastProblem = message;
    LOG.error(message);
  }

  private static String fingerprint(AuthSettings.Source source) throws IOException {
    List<Path> files = new ArrayList<>();
    for (Path p : new Path[] {source.configFile(), source.htpasswdFile()}) {
      if (p != null) files.add(p);
    }
    return FileFingerprint.of(files, Path::toString);
  }

  @Override
  public synchronized void close() {
    if (watcher != null) watcher.shutdownNow();
  }
}

package io.portcullis.gateway.gate;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.portcullis.gateway.FileFingerprint;
import io.portcullis.policy.EmbeddedRegoEngine;
import io.portcullis.policy.EvaluationLimits;
import io.portcullis.policy.PolicyException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The compiled Rego bundle the embedded engine evaluates: the one built into Portcullis (a copy of
 * {@code policies.rego/} without its tests), or a directory that is watched and recompiled when its
 * files change. A bundle that fails to compile is rejected with its error logged, and the previous one
 * keeps serving.
 */
public final class PolicyBundle implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(PolicyBundle.class);
  /** The built-in bundle's files, packaged from {@code policies.rego/} (a test keeps this list complete). */
  public static final List<String> BUILT_IN_FILES = List.of("common.rego", "pull.rego", "push.rego", "delete.rego", "data.json");
  private static final String BUILT_IN_RESOURCES = "/io/portcullis/gateway/policies/";

  private final Path dir;
  private final EvaluationLimits limits;
  private final AtomicReference<EmbeddedRegoEngine> engine = new AtomicReference<>();
  private final List<Runnable> onReload = new java.util.concurrent.CopyOnWriteArrayList<>();
  private volatile String dirFingerprint = "";
  private ScheduledExecutorService watcher;

  private PolicyBundle(Path dir, EvaluationLimits limits) {
    this.dir = dir;
    this.limits = limits;
  }

  /**
   * Loads the bundle (from {@code dir}, or the built-in one when null); a bundle that does not compile
   * here is a start-up error.
   */
  public static PolicyBundle load(Path dir, EvaluationLimits limits) throws PolicyException, IOException {
    PolicyBundle b = new PolicyBundle(dir, limits);
    if (dir == null) {
      b.engine.set(builtIn(limits));
    } else {
      b.dirFingerprint = fingerprint(dir);
      b.engine.set(EmbeddedRegoEngine.load(dir, limits));
    }
    return b;
  }

  private static EmbeddedRegoEngine builtIn(EvaluationLimits limits) throws PolicyException, IOException {
    Map<String, String> modules = new LinkedHashMap<>();
    String data = "{}";
    for (String name : BUILT_IN_FILES) {
      try (InputStream in = PolicyBundle.class.getResourceAsStream(BUILT_IN_RESOURCES + name)) {
        if (in == null) throw new IOException("the built-in policy bundle lacks " + name);
        String text = new String(in.readAllBytes(), StandardCharsets.UTF_8);
        if (name.endsWith(".rego")) modules.put(name, text);
        else data = text;
      }
    }
    return EmbeddedRegoEngine.fromSources(modules, new ObjectMapper().readTree(data), limits);
  }

  public EmbeddedRegoEngine engine() { return engine.get(); }

  /** Runs after each successful reload (the gate drops its cached decisions). */
  public void onReload(Runnable listener) { onReload.add(listener); }

  /** Where the bundle comes from, for logs and the decision log. */
  public String source() { return dir == null ? "built-in" : dir.toString(); }

  /** Checks the directory every {@code interval} and recompiles it when a file changed. */
  public void watch(Duration interval) {
    if (dir == null || watcher != null) return;
    watcher = Executors.newSingleThreadScheduledExecutor(r -> {
      Thread t = new Thread(r, "policy-bundle-watcher");
      t.setDaemon(true);
      return t;
    });
    watcher.scheduleWithFixedDelay(this::reloadIfChanged, interval.toMillis(), interval.toMillis(), TimeUnit.MILLISECONDS);
  }

  /** Recompiles the directory if its files changed; returns true when a new bundle was installed. */
  public synchronized boolean reloadIfChanged() {
    if (dir == null) return false;
    String now;
    try {
      now = fingerprint(dir);
    } catch (IOException e) {
      LOG.error("cannot read the policy bundle directory {}: {}; the previous bundle keeps serving", dir, e.getMessage());
      return false;
    }
    if (now.equals(dirFingerprint)) return false;
    dirFingerprint = now;
    try {
      EmbeddedRegoEngine fresh = EmbeddedRegoEngine.load(dir, limits);
      engine.set(fresh);
      LOG.info("policy bundle {} reloaded, revision {}", dir, fresh.revision());
      onReload.forEach(Runnable::run);
      return true;
    } catch (PolicyException e) {
      LOG.error("policy bundle {} was changed but does not compile, so the previous revision keeps serving: {}{}", dir,
          e.location() == null ? "" : e.location() + ": ", e.getMessage());
      return false;
    } catch (RuntimeException e) {
      LOG.error("policy bundle {} was changed but cannot be loaded, so the previous revision keeps serving", dir, e);
      return false;
    }
  }

  /** A hash over the names and contents of the bundle's files. */
  private static String fingerprint(Path dir) throws IOException {
    try (Stream<Path> files = Files.walk(dir)) {
      return FileFingerprint.of(files.filter(Files::isRegularFile).sorted().toList(), p -> dir.relativize(p).toString());
    }
  }

  @Override
  public void close() {
    if (watcher != null) watcher.shutdownNow();
  }
}

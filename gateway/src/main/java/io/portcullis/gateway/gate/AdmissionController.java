package io.portcullis.gateway.gate;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import io.javalin.http.Context;
import io.portcullis.gateway.auth.Action;
import io.portcullis.gateway.auth.Caller;
import io.portcullis.gateway.auth.Identity;
import io.portcullis.policy.PolicyEngine;
import io.portcullis.policy.PolicyException;
import io.portcullis.policy.value.Json;
import io.portcullis.policy.value.Value;
import io.portcullis.storage.Storage;
import io.portcullis.storage.meta.StoredManifest;
import io.portcullis.storage.model.Digest;
import io.portcullis.storage.model.InvalidManifestException;
import io.portcullis.storage.model.Manifest;
import io.portcullis.storage.model.ManifestParser;
import io.portcullis.storage.model.MediaTypes;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeSet;

/**
 * The admission gate. For each pull, push and delete it gathers the evidence attached to the artifact
 * (verified signatures and attestations, parsed SBOMs), builds the policy input, asks every rule set
 * that applies to the repository, and combines their answers: any enforcing rule set that denies, or
 * fails to decide, refuses the request (fail closed); audit rule sets only report.
 *
 * <p>Pull decisions are cached by repository, digest, evidence fingerprint, policy revision and caller,
 * so a new signature or SBOM, or a reloaded bundle, makes a fresh decision.
 */
public final class AdmissionController implements AutoCloseable {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final int MAX_INDEX_DEPTH = 4;

  private final GateSettings settings;
  private final Storage storage;
  private final PolicyBundle bundle;
  private final Map<String, PolicyEngine> remoteEngines;
  private final EvidenceGatherer evidence;
  private final DecisionLog log;
  /** Pull decisions by evidence fingerprint: survive changes elsewhere in the repository. */
  private final Cache<String, Decision> pullDecisions;
  /**
   * The final answers to manifest pulls and blob reads, keyed by the repository's manifest revision: a
   * hit costs no query at all, and any manifest or tag change in the repository moves on to new keys.
   */
  private final Cache<String, Decision> recentAnswers;

  public AdmissionController(GateSettings settings, Storage storage, PolicyBundle bundle, Map<String, PolicyEngine> remoteEngines,
      DecisionLog log) {
    this.settings = settings;
    this.storage = storage;
    this.bundle = bundle;
    this.remoteEngines = Map.copyOf(remoteEngines);
    this.evidence = new EvidenceGatherer(storage, settings.cacheEntries());
    this.log = log;
    this.pullDecisions = Caffeine.newBuilder().maximumSize(Math.max(16, settings.cacheEntries())).build();
    this.recentAnswers = Caffeine.newBuilder().maximumSize(Math.max(16, settings.cacheEntries())).build();
  }

  public boolean enabled() { return settings.enabled(); }

  public EvidenceGatherer evidence() { return evidence; }

  public PolicyBundle bundle() { return bundle; }

  public DecisionLog log() { return log; }

  public List<io.portcullis.attest.trust.TrustPolicy> trust() { return settings.trust(); }

  /** Drops every cached decision (the bundle or the trust changed). */
  public void invalidate() {
    pullDecisions.invalidateAll();
    recentAnswers.invalidateAll();
  }

  /** Who is asking, taken from the request. */
  public record Asker(Identity identity, String method, String clientIp, String userAgent) {
    public static Asker of(Context ctx) {
      return new Asker(Caller.of(ctx).identity(), ctx.method().name(), ctx.ip(), ctx.userAgent() == null ? "" : ctx.userAgent());
    }

    /** The policy input's {@code request} for this asker. */
    PolicyInput.Request request(String action, String repository, String reference, List<PolicyInput.TagState> tags) {
      return new PolicyInput.Request(action, repository, reference, method, tags, identity.name(),
          new ArrayList<>(new TreeSet<>(identity.groups())), identity.anonymous(), clientIp, userAgent);
    }
  }

  /** Decides a manifest pull (GET or HEAD) and records the decision. */
  public Decision pull(Asker asker, String repository, String reference, StoredManifest manifest) {
    Decision d = pullDecision(asker, repository, reference, manifest, 0);
    record("pull", repository, reference, manifest.digest(), asker, d);
    return d;
  }

  private Decision pullDecision(Asker asker, String repository, String reference, StoredManifest manifest, int depth) {
    if (!settings.enabled()) return Decision.admitWithoutPolicy("gate off");
    List<RuleSet> ruleSets = ruleSetsFor(repository);
    if (ruleSets.isEmpty()) return Decision.admitWithoutPolicy("no rule set applies");
    String recentKey = recentKey("manifest", repository, manifest.digest(), ruleSets, asker);
    Decision recent = recentAnswers.getIfPresent(recentKey);
    if (recent != null) return recent;
    Decision d = pullDecisionByEvidence(asker, repository, reference, manifest, depth, ruleSets);
    recentAnswers.put(recentKey, d.asCached());
    return d;
  }

  /**
   * The key of {@link #recentAnswers}: what is asked, the repository's manifest revision (read before
   * anything else, so an answer computed during a change is filed under the old revision), the policy
   * revisions and who asks.
   */
  private String recentKey(String what, String repository, Digest digest, List<RuleSet> ruleSets, Asker asker) {
    return String.join("|", what, repository, digest.toString(), Long.toString(storage.metadata().manifestRevision(repository)),
        policyAndCaller(ruleSets, asker));
  }

  /** The end of both caches' keys: the policies that decide (and, for remote ones, the reuse window) and who asks. */
  private String policyAndCaller(List<RuleSet> ruleSets, Asker asker) {
    return String.join("|", revisions(ruleSets) + reuseWindow(ruleSets), asker.identity().name(),
        String.join(",", new TreeSet<>(asker.identity().groups())));
  }

  private Decision pullDecisionByEvidence(Asker asker, String repository, String reference, StoredManifest manifest, int depth,
      List<RuleSet> ruleSets) {
    String key = String.join("|", repository, manifest.digest().toString(), evidence.fingerprint(repository, manifest.digest()),
        policyAndCaller(ruleSets, asker));
    Decision cached = pullDecisions.getIfPresent(key);
    Decision d;
    if (cached != null) {
      d = cached.asCached();
    } else {
      d = evaluate("pull", asker, repository, reference, manifest.digest(), manifestBytes(manifest), manifest.size(), List.of(), ruleSets);
      pullDecisions.put(key, d);
    }
    if (d.allowed() || depth >= MAX_INDEX_DEPTH || MediaTypes.isIndex(manifest.mediaType())) return d;
    // A child of an admitted index is admitted with it, so that signed multi-platform images pull.
    for (StoredManifest parent : storage.metadata().referencingManifests(repository, manifest.digest())) {
      if (!MediaTypes.isIndex(parent.mediaType())) continue;
      Decision parentDecision = pullDecision(asker, repository, parent.digest().toString(), parent, depth + 1);
      if (parentDecision.allowed()) {
        List<String> warn = new ArrayList<>(d.warn());
        warn.add("admitted as part of the admitted index " + parent.digest());
        return new Decision(true, List.of(), warn, parentDecision.revision(), d.input(), d.evaluationMicros(), d.cached());
      }
    }
    return d;
  }

  /**
   * Decides whether a blob may be read: it must be referenced by a manifest of the repository that the
   * policy admits (or be such a manifest). A blob no manifest references yet is readable only by callers
   * who may push to the repository (the pusher resuming or checking its upload). Empty means allowed.
   */
  public Optional<Decision> blobAccess(Context ctx, String repository, Digest blob) {
    if (!settings.enabled()) return Optional.empty();
    List<RuleSet> ruleSets = ruleSetsFor(repository);
    if (ruleSets.isEmpty()) return Optional.empty();
    Caller caller = Caller.of(ctx);
    boolean mayPush = caller.may(repository, Action.CREATE) || caller.may(repository, Action.UPDATE);
    // "Do you have this blob already?" (HEAD) is a step of the push protocol: a caller who may push may
    // ask it, or clients such as skopeo could not re-push (e.g. to sign) an image the gate denies. It
    // reveals existence and size only; the content (GET) stays gated.
    if (mayPush && ctx.method() == io.javalin.http.HandlerType.HEAD) return Optional.empty();
    Asker asker = Asker.of(ctx);
    // Whether the caller may push is part of the key: it changes the answer for blobs no manifest holds.
    String recentKey = recentKey(mayPush ? "blob-pusher" : "blob", repository, blob, ruleSets, asker);
    Decision recent = recentAnswers.getIfPresent(recentKey);
    if (recent == null) {
      recent = blobDecision(asker, mayPush, repository, blob).asCached();
      recentAnswers.put(recentKey, recent);
    }
    if (recent.allowed()) return Optional.empty();
    record("pull", repository, blob.toString(), blob, asker, recent);
    return Optional.of(recent);
  }

  /** Whether a blob may be read, decided afresh (see {@link #blobAccess}); the caller records denials. */
  private Decision blobDecision(Asker asker, boolean mayPush, String repository, Digest blob) {
    List<StoredManifest> holders = new ArrayList<>(storage.metadata().referencingManifests(repository, blob));
    storage.metadata().manifest(repository, blob).ifPresent(holders::add);
    if (holders.isEmpty()) {
      // A blob no manifest references yet: its pusher may read it back; for anyone else the policy decides
      // (artifact.kind "blob"; the default bundle refuses them in protected repositories).
      if (mayPush) return Decision.admitWithoutPolicy("a blob no manifest references yet, read by a caller who may push");
      return evaluateBlob(asker, repository, blob);
    }
    Decision first = null;
    for (StoredManifest holder : holders) {
      Decision d = pullDecision(asker, repository, holder.digest().toString(), holder, 0);
      if (d.allowed()) return d;
      if (first == null) first = d;
    }
    List<String> deny = new ArrayList<>();
    deny.add("blob " + blob + " belongs only to manifests the policy denies");
    deny.addAll(first.deny());
    return new Decision(false, deny, first.warn(), first.revision(), null, 0, first.cached());
  }

  /** Decides a manifest push before anything becomes visible. */
  public Decision push(Asker asker, String repository, String reference, Digest digest, byte[] manifestBytes,
      List<PolicyInput.TagState> tags) {
    if (!settings.enabled()) return Decision.admitWithoutPolicy("gate off");
    List<RuleSet> ruleSets = ruleSetsFor(repository);
    if (ruleSets.isEmpty()) return Decision.admitWithoutPolicy("no rule set applies");
    Decision d = evaluate("push", asker, repository, reference, digest, manifestBytes, manifestBytes.length, tags, ruleSets);
    record("push", repository, reference, digest, asker, d);
    return d;
  }

  /** Decides a delete of a manifest (by digest) or a tag. */
  public Decision delete(Asker asker, String repository, String reference, StoredManifest manifest, List<PolicyInput.TagState> tags) {
    if (!settings.enabled()) return Decision.admitWithoutPolicy("gate off");
    List<RuleSet> ruleSets = ruleSetsFor(repository);
    if (ruleSets.isEmpty()) return Decision.admitWithoutPolicy("no rule set applies");
    Decision d = evaluate("delete", asker, repository, reference, manifest.digest(), manifestBytes(manifest), manifest.size(), tags, ruleSets);
    record("delete", repository, reference, manifest.digest(), asker, d);
    return d;
  }

  /** The decision a pull would get, evaluated afresh and not enforced (for the evaluate endpoint). */
  public Decision explainPull(Asker asker, String repository, String reference, StoredManifest manifest) {
    List<RuleSet> ruleSets = ruleSetsFor(repository);
    return evaluate("pull", asker, repository, reference, manifest.digest(), manifestBytes(manifest), manifest.size(), List.of(), ruleSets);
  }

  private Decision evaluate(String action, Asker asker, String repository, String reference, Digest digest, byte[] bytes, long size,
      List<PolicyInput.TagState> tags, List<RuleSet> ruleSets) {
    long start = System.nanoTime();
    Manifest manifest;
    try {
      manifest = ManifestParser.parse(bytes, null);
    } catch (InvalidManifestException e) {
      return new Decision(false, List.of("the stored manifest cannot be parsed: " + e.getMessage()), List.of(), "", null, 0, false);
    }
    List<String> tagNames = storage.metadata().tagsOf(repository, digest);
    ArtifactKind kind = ArtifactKind.of(manifest, tagNames);
    Evidence gathered = evidence.gather(repository, digest, settings.trust());
    PolicyInput.Request request = asker.request(action, repository, reference, tags);
    ObjectNode input = PolicyInput.build(request, new PolicyInput.Artifact(digest, manifest, size, kind, configLabels(repository, manifest)),
        gathered, settings.trust());
    return combine(action, input, gathered.sboms(), ruleSets, start);
  }

  private Decision evaluateBlob(Asker asker, String repository, Digest blob) {
    long start = System.nanoTime();
    List<RuleSet> ruleSets = ruleSetsFor(repository);
    long size = storage.metadata().linkedBlobSize(repository, blob).orElse(0L);
    PolicyInput.Request request = asker.request("pull", repository, blob.toString(), List.of());
    ObjectNode input = PolicyInput.buildForBlob(request, blob, size, settings.trust());
    return combine("pull", input, List.of(), ruleSets, start);
  }

  /** Asks every rule set; {@code sboms} are the SBOMs the input was built from (their Rego values are reused). */
  private Decision combine(String action, ObjectNode input, List<Evidence.AttachedSbom> sboms, List<RuleSet> ruleSets, long start) {
    List<String> deny = new ArrayList<>();
    List<String> warn = new ArrayList<>();
    Value regoInput = null;
    for (RuleSet rs : ruleSets) {
      List<String> ruleDeny = new ArrayList<>();
      if (regoInput == null && rs.engine().embedded()) regoInput = PolicyInput.asRegoValue(input, sboms);
      evaluateRuleSet(rs, action, input, regoInput, ruleDeny, warn);
      if (ruleDeny.isEmpty()) continue;
      if (rs.mode() == RuleSet.Mode.AUDIT) {
        for (String m : ruleDeny) warn.add("audit (rule set " + rs.name() + " would deny): " + m);
      } else {
        deny.addAll(ruleDeny);
      }
    }
    long micros = (System.nanoTime() - start) / 1000;
    return new Decision(deny.isEmpty(), deny, warn, revisions(ruleSets), input, micros, false);
  }

  /** One rule set's answer; the embedded engine takes the input as a Rego value, a remote one as JSON. */
  private void evaluateRuleSet(RuleSet rs, String action, ObjectNode input, Value regoInput, List<String> deny, List<String> warn) {
    String path = rs.engine().opaPath() + "/" + action;
    try {
      Optional<JsonNode> result = rs.engine().embedded()
          ? bundle.engine().evaluateValue(path, regoInput).map(Json::toJson)
          : engineOf(rs).evaluate(path, input);
      if (result.isEmpty() || !result.get().isObject()) {
        deny.add("rule set " + rs.name() + ": data." + path.replace('/', '.') + " gave no decision (undefined), so the request is refused");
        return;
      }
      JsonNode r = result.get();
      r.path("deny").forEach(m -> deny.add(m.isTextual() ? m.textValue() : m.toString()));
      r.path("warn").forEach(m -> warn.add(m.isTextual() ? m.textValue() : m.toString()));
      if (!r.path("allow").asBoolean(false) && deny.isEmpty()) {
        deny.add("rule set " + rs.name() + ": data." + path.replace('/', '.') + ".allow is not true");
      }
    } catch (PolicyException e) {
      deny.add("rule set " + rs.name() + ": policy evaluation failed, so the request is refused (fail closed): " + e.code() + ": "
          + (e.location() == null ? "" : e.location() + ": ") + e.getMessage());
    } catch (RuntimeException e) {
      deny.add("rule set " + rs.name() + ": policy evaluation failed, so the request is refused (fail closed): " + e);
    }
  }

  private PolicyEngine engineOf(RuleSet rs) {
    if (rs.engine().embedded()) return bundle.engine();
    PolicyEngine remote = remoteEngines.get(rs.name());
    if (remote == null) throw new IllegalStateException("no remote engine configured for rule set " + rs.name());
    return remote;
  }

  private String revisions(List<RuleSet> ruleSets) {
    StringBuilder sb = new StringBuilder();
    for (RuleSet rs : ruleSets) {
      if (sb.length() > 0) sb.append(',');
      String revision;
      try {
        revision = engineOf(rs).revision();
      } catch (RuntimeException e) {
        revision = "unavailable";
      }
      sb.append(rs.name()).append('@').append(revision);
    }
    return sb.toString();
  }

  /**
   * The part of a cache key that makes remote decisions expire: a remote OPA's policy can change without
   * Portcullis hearing of it, so its decisions are filed under the current window of its
   * {@code reuseSeconds} (a fresh key each time when that is 0). Empty when every rule set is embedded.
   */
  private static String reuseWindow(List<RuleSet> ruleSets) {
    StringBuilder sb = new StringBuilder();
    for (RuleSet rs : ruleSets) {
      if (rs.engine().embedded()) continue;
      int reuse = rs.engine().reuseSeconds();
      sb.append(rs.name()).append('#').append(reuse == 0 ? System.nanoTime() : System.currentTimeMillis() / (reuse * 1000L));
    }
    return sb.toString();
  }

  private List<RuleSet> ruleSetsFor(String repository) {
    return settings.ruleSets().stream().filter(rs -> rs.applies(repository)).toList();
  }

  private byte[] manifestBytes(StoredManifest m) {
    try (InputStream in = storage.blobs().open(m.digest(), 0)) {
      return in.readNBytes((int) Math.min(m.size(), 4L * 1024 * 1024));
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read manifest " + m.digest(), e);
    }
  }

  /** The image config's labels ({@code config.Labels}), or empty when there is no image config. */
  private JsonNode configLabels(String repository, Manifest manifest) {
    if (manifest.config() == null || manifest.config().size() > 1024 * 1024) return JSON.createObjectNode();
    String type = manifest.config().mediaType();
    if (!type.equals("application/vnd.oci.image.config.v1+json") && !type.equals("application/vnd.docker.container.image.v1+json")) {
      return JSON.createObjectNode();
    }
    try (InputStream in = evidence.source().blob(repository, manifest.config().digest().toString())) {
      JsonNode labels = JSON.readTree(in.readNBytes(1024 * 1024)).path("config").path("Labels");
      return labels.isObject() ? labels : JSON.createObjectNode();
    } catch (IOException | RuntimeException e) {
      return JSON.createObjectNode();
    }
  }

  private void record(String action, String repository, String reference, Digest digest, Asker asker, Decision d) {
    if (log == null || !settings.enabled()) return;
    log.record(new DecisionLog.Entry(action, repository, reference, digest.toString(),
        asker.identity().anonymous() ? "" : asker.identity().name(), asker.clientIp(), d));
  }

  @Override
  public void close() {
    bundle.close();
    if (log != null) log.close();
  }
}

package io.portcullis.gateway.gate;

import io.portcullis.attest.trust.TrustPolicy;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

/**
 * The admission gate's configuration.
 *
 * @param enabled false turns the gate off entirely (every request is admitted; for benchmarks and
 *     plain-registry use)
 * @param bundleDir the Rego bundle directory; null for the bundle built into Portcullis
 * @param reloadInterval how often the bundle directory is checked for changes
 * @param trust the trust policies signatures are verified against
 * @param trustFiles the files the trust policies came from, shown to users in denial hints
 * @param ruleSets which rules apply where, and how
 */
public record GateSettings(
    boolean enabled,
    Path bundleDir,
    Duration reloadInterval,
    List<TrustPolicy> trust,
    List<RuleSet> ruleSets,
    long evaluationSteps,
    Duration evaluationTimeout,
    int cacheEntries,
    Path decisionLog) {

  public GateSettings {
    trust = List.copyOf(trust);
    ruleSets = List.copyOf(ruleSets);
  }

  /** On, with the built-in bundle, no trust configured, one enforcing rule set for every repository. */
  public static GateSettings defaults() {
    return new GateSettings(true, null, Duration.ofSeconds(2), List.of(), List.of(RuleSet.defaultRuleSet()),
        1_000_000, Duration.ofSeconds(2), 10_000, null);
  }

  public static GateSettings off() {
    return new GateSettings(false, null, Duration.ofSeconds(2), List.of(), List.of(), 1_000_000, Duration.ofSeconds(2), 0, null);
  }

  public GateSettings withBundleDir(Path dir) {
    return new GateSettings(enabled, dir, reloadInterval, trust, ruleSets, evaluationSteps, evaluationTimeout, cacheEntries, decisionLog);
  }

  public GateSettings withTrust(List<TrustPolicy> t) {
    return new GateSettings(enabled, bundleDir, reloadInterval, t, ruleSets, evaluationSteps, evaluationTimeout, cacheEntries, decisionLog);
  }

  public GateSettings withRuleSets(List<RuleSet> r) {
    return new GateSettings(enabled, bundleDir, reloadInterval, trust, r, evaluationSteps, evaluationTimeout, cacheEntries, decisionLog);
  }

  public GateSettings withEnabled(boolean e) {
    return new GateSettings(e, bundleDir, reloadInterval, trust, ruleSets, evaluationSteps, evaluationTimeout, cacheEntries, decisionLog);
  }

  public GateSettings withReloadInterval(Duration d) {
    return new GateSettings(enabled, bundleDir, d, trust, ruleSets, evaluationSteps, evaluationTimeout, cacheEntries, decisionLog);
  }
}

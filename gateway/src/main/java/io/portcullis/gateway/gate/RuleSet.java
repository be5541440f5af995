package io.portcullis.gateway.gate;

import io.portcullis.gateway.auth.RepositoryPattern;
import java.util.List;

/**
 * A set of rules applied to the repositories matching its patterns. In {@code ENFORCE} mode a deny
 * (or an evaluation error: fail closed) refuses the request; in {@code AUDIT} mode it is only logged.
 *
 * @param engine where the decision comes from: the embedded bundle, or a remote OPA server
 */
public record RuleSet(String name, List<RepositoryPattern> repositories, Mode mode, EngineChoice engine) {
  /** Whether a deny blocks. */
  public enum Mode { ENFORCE, AUDIT }

  /**
   * The embedded Rego engine with the configured bundle, or OPA's REST Data API.
   *
   * @param opaUrl null for the embedded engine
   * @param opaPath the data path under which {@code <action>} is evaluated (default {@code portcullis})
   * @param reuseSeconds how long a remote OPA's decisions are reused: its policy can change without
   *     Portcullis hearing of it (0: ask every time; not used for the embedded engine, whose revision
   *     is known)
   */
  public record EngineChoice(String opaUrl, String opaPath, int reuseSeconds) {
    public static final EngineChoice EMBEDDED = new EngineChoice(null, "portcullis", 0);
    public static final int DEFAULT_REUSE_SECONDS = 10;

    public boolean embedded() { return opaUrl == null; }
  }

  public RuleSet {
    repositories = List.copyOf(repositories);
  }

  public static RuleSet defaultRuleSet() {
    return new RuleSet("default", List.of(RepositoryPattern.of("**")), Mode.ENFORCE, EngineChoice.EMBEDDED);
  }

  public boolean applies(String repository) { return repositories.stream().anyMatch(p -> p.matches(repository)); }
}

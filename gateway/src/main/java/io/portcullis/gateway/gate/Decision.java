package io.portcullis.gateway.gate;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.List;

/**
 * The gate's answer to one request.
 *
 * @param allowed whether the request may proceed (audit-mode denials are allowed but reported)
 * @param deny the messages of enforcing rule sets that refused (empty when allowed)
 * @param warn warnings, and audit-mode denials prefixed with their rule set
 * @param revision the policy revisions that decided, e.g. {@code default@3f2a...}
 * @param input the exact input document evaluated (null for decisions made without evaluation)
 * @param evaluationMicros time spent evaluating (0 when served from cache)
 * @param cached whether the decision came from the decision cache
 */
public record Decision(boolean allowed, List<String> deny, List<String> warn, String revision, ObjectNode input,
    long evaluationMicros, boolean cached) {
  public Decision {
    deny = List.copyOf(deny);
    warn = List.copyOf(warn);
  }

  public static Decision admitWithoutPolicy(String why) {
    return new Decision(true, List.of(), List.of(), why, null, 0, false);
  }

  public Decision asCached() { return new Decision(allowed, deny, warn, revision, input, 0, true); }
}

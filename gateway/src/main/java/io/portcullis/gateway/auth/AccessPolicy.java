package io.portcullis.gateway.auth;

import java.util.List;
import java.util.Set;

/**
 * Who may do what. Admins may do everything; everybody else gets what some rule grants. With
 * authentication disabled the policy is {@link #OPEN}: everyone may do everything, as on a plain
 * development registry.
 */
public record AccessPolicy(boolean enabled, Set<String> admins, List<AccessRule> rules) {
  public static final AccessPolicy OPEN = new AccessPolicy(false, Set.of(), List.of());

  public AccessPolicy {
    admins = Set.copyOf(admins);
    rules = List.copyOf(rules);
  }

  public boolean allows(Identity who, String repository, Action action) {
    if (!enabled) return true;
    if (!who.anonymous() && admins.contains(who.name())) return true;
    for (AccessRule rule : rules) {
      if (rule.grants(who, repository, action)) return true;
    }
    return false;
  }

  /** True when at least one repository could be read anonymously (then the catalog and ping need no login). */
  public boolean anonymousReadPossible() {
    return !enabled || rules.stream().anyMatch(r -> r.anyone() && r.actions().contains(Action.READ));
  }
}

package io.portcullis.gateway.auth;

import java.util.List;
import java.util.Set;

/**
 * Grants actions on repositories matching any of the patterns to the listed users and members of the
 * listed groups (or to everyone, anonymous callers included, when {@code anyone} is set).
 */
public record AccessRule(List<RepositoryPattern> repositories, Set<String> users, Set<String> groups, boolean anyone, Set<Action> actions) {
  public AccessRule {
    repositories = List.copyOf(repositories);
    users = Set.copyOf(users);
    groups = Set.copyOf(groups);
    actions = Set.copyOf(actions);
  }

  boolean grants(Identity who, String repository, Action action) {
    if (!actions.contains(action)) return false;
    if (!anyone) {
      if (who.anonymous()) return false;
      boolean member = users.contains(who.name()) || who.groups().stream().anyMatch(groups::contains);
      if (!member) return false;
    }
    return repositories.stream().anyMatch(p -> p.matches(repository));
  }
}

package io.portcullis.gateway.auth;

import java.util.Set;

/**
 * Who is asking: an authenticated user with groups, or the anonymous caller.
 *
 * @param name the user name; empty for anonymous
 */
public record Identity(String name, Set<String> groups, boolean anonymous) {
  public static final Identity ANONYMOUS = new Identity("", Set.of(), true);

  public Identity {
    groups = Set.copyOf(groups);
  }

  public static Identity user(String name, Set<String> groups) { return new Identity(name, groups, false); }
}

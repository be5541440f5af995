package io.portcullis.policy.builtins;

import java.util.Collection;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * The immutable set of builtins an evaluator may call, built once at start-up. The standard registry
 * is assembled from one class per topic ({@code StringBuiltins}, {@code NumberBuiltins}, ...), each with
 * a {@code static void register(BuiltinRegistry.Builder)}.
 */
public final class BuiltinRegistry {
  private final Map<String, Builtin> byName;

  private BuiltinRegistry(Map<String, Builtin> byName) { this.byName = Map.copyOf(byName); }

  public Optional<Builtin> lookup(String name) { return Optional.ofNullable(byName.get(name)); }

  public Collection<Builtin> all() { return byName.values(); }

  /** Every builtin Portcullis provides. */
  public static BuiltinRegistry standard() {
    Builder b = new Builder();
    StandardBuiltins.registerAll(b);
    return b.build();
  }

  public static Builder builder() { return new Builder(); }

  /** Collects builtins; registering one name twice is a programming error. */
  public static final class Builder {
    private final Map<String, Builtin> byName = new TreeMap<>();

    public Builder add(Builtin builtin) {
      if (byName.putIfAbsent(builtin.name(), builtin) != null) {
        throw new IllegalStateException("builtin registered twice: " + builtin.name());
      }
      return this;
    }

    public Builder add(String name, int arity, Builtin.Implementation implementation) {
      return add(Builtin.of(name, arity, implementation));
    }

    public BuiltinRegistry build() { return new BuiltinRegistry(byName); }
  }
}

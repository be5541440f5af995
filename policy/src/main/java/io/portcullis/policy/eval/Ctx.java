package io.portcullis.policy.eval;

import io.portcullis.policy.compiler.RuleNode;
import io.portcullis.policy.value.Value;
import java.util.HashMap;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;

/**
 * The documents one part of a query sees: {@code input}, base {@code data}, the replacements made by
 * {@code with}, and a cache of rule values valid for exactly these documents.
 */
final class Ctx {
  static final Object UNDEFINED = new Object();

  final Value input;
  final Value baseData;
  final Map<List<Value>, Value> overrides;
  /** Builtin name or {@code data.x.f} to a replacement: a {@link io.portcullis.policy.ast.CallTarget} or a {@link Value}. */
  final Map<String, Object> mocks;
  final Map<RuleNode, Object> cache = new IdentityHashMap<>();
  final Map<FunctionCall, Object> functionCache = new HashMap<>();

  record FunctionCall(RuleNode node, List<Value> args) {}

  Ctx(Value input, Value baseData, Map<List<Value>, Value> overrides, Map<String, Object> mocks) {
    this.input = input;
    this.baseData = baseData;
    this.overrides = overrides;
    this.mocks = mocks;
  }
}

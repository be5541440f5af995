package io.portcullis.policy.builtins;

import io.portcullis.policy.value.ArrayValue;
import io.portcullis.policy.value.NumberValue;
import io.portcullis.policy.value.ObjectValue;
import io.portcullis.policy.value.SetValue;
import io.portcullis.policy.value.StringValue;
import io.portcullis.policy.value.Value;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeSet;

/**
 * RFC 6902 JSON Patch over Rego values, as {@code json.patch} does it: paths are JSON pointers or
 * arrays of segments, sets can be patched by member, and any failing operation makes the call
 * undefined.
 */
final class JsonPatch {
  private JsonPatch() {}

  /** A failed operation: the builtin result is undefined. */
  private static final class Failed extends Exception {
    Failed() { super(null, null, false, false); }
  }

  /** Changes a parent given the last path segment; returns the new parent. */
  @FunctionalInterface
  private interface Edit {
    Value apply(Value parent, Value key) throws Failed;
  }

  static Value apply(Value doc, List<Value> operations) throws BuiltinException {
    Value cur = doc;
    try {
      for (Value op : operations) {
        if (!(op instanceof ObjectValue o)) throw BuiltinException.operandType("json.patch", 2, "array of objects", "array containing " + op.typeName());
        cur = applyOne(cur, o);
      }
      return cur;
    } catch (Failed f) {
      return null;
    }
  }

  private static Value applyOne(Value doc, ObjectValue op) throws Failed {
    if (!(op.get("op") instanceof StringValue name)) throw new Failed();
    List<Value> path = path(op.get("path"));
    switch (name.value()) {
      case "add": {
        Value value = required(op.get("value"));
        return add(doc, path, value);
      }
      case "remove":
        return remove(doc, path);
      case "replace": {
        Value value = required(op.get("value"));
        lookup(doc, path);
        if (path.isEmpty()) return value;
        return update(doc, path, 0, (parent, key) -> replaceChild(parent, key, value));
      }
      case "move": {
        List<Value> from = path(required(op.get("from")));
        Value value = lookup(doc, from);
        if (from.equals(path)) return doc;
        return add(remove(doc, from), path, value);
      }
      case "copy": {
        List<Value> from = path(required(op.get("from")));
        return add(doc, path, lookup(doc, from));
      }
      case "test": {
        Value value = required(op.get("value"));
        if (lookup(doc, path).compareTo(value) != 0) throw new Failed();
        return doc;
      }
      default:
        throw new Failed();
    }
  }

  private static Value required(Value v) throws Failed {
    if (v == null) throw new Failed();
    return v;
  }

  private static List<Value> path(Value p) throws Failed {
    if (p instanceof ArrayValue arr) return arr.elements();
    if (!(p instanceof StringValue s)) throw new Failed();
    String text = s.value();
    List<Value> out = new ArrayList<>();
    if (text.isEmpty()) return out;
    while (text.startsWith("/")) text = text.substring(1);
    for (String seg : text.split("/", -1)) out.add(new StringValue(seg.replace("~1", "/").replace("~0", "~")));
    return out;
  }

  private static Value add(Value doc, List<Value> path, Value value) throws Failed {
    if (path.isEmpty()) return value;
    return update(doc, path, 0, (parent, key) -> {
      if (parent instanceof ObjectValue o) return o.with(objectKey(o, key), value);
      if (parent instanceof ArrayValue arr) {
        List<Value> items = new ArrayList<>(arr.elements());
        int i = key instanceof StringValue s && s.value().equals("-") ? items.size() : index(key, items.size() + 1);
        items.add(i, value);
        return new ArrayValue(items);
      }
      if (parent instanceof SetValue set) {
        if (setMember(key).compareTo(value) != 0) throw new Failed();
        return set.with(value);
      }
      throw new Failed();
    });
  }

  private static Value remove(Value doc, List<Value> path) throws Failed {
    if (path.isEmpty()) throw new Failed();
    return update(doc, path, 0, (parent, key) -> {
      if (parent instanceof ObjectValue o) {
        Value k = objectKey(o, key);
        if (o.get(k) == null) throw new Failed();
        java.util.TreeMap<Value, Value> m = new java.util.TreeMap<>(o.entries());
        m.remove(k);
        return ObjectValue.of(m);
      }
      if (parent instanceof ArrayValue arr) {
        List<Value> items = new ArrayList<>(arr.elements());
        items.remove(index(key, items.size()));
        return new ArrayValue(items);
      }
      if (parent instanceof SetValue set) {
        Value m = setMember(key);
        if (!set.contains(m)) throw new Failed();
        TreeSet<Value> copy = new TreeSet<>(set.members());
        copy.remove(m);
        return SetValue.of(copy);
      }
      throw new Failed();
    });
  }

  private static Value replaceChild(Value parent, Value key, Value value) throws Failed {
    if (parent instanceof ObjectValue o) return o.with(objectKey(o, key), value);
    if (parent instanceof ArrayValue arr) {
      List<Value> items = new ArrayList<>(arr.elements());
      items.set(index(key, items.size()), value);
      return new ArrayValue(items);
    }
    if (parent instanceof SetValue set) {
      TreeSet<Value> copy = new TreeSet<>(set.members());
      copy.remove(setMember(key));
      copy.add(value);
      return SetValue.of(copy);
    }
    throw new Failed();
  }

  private static Value update(Value doc, List<Value> path, int depth, Edit edit) throws Failed {
    Value key = path.get(depth);
    if (depth == path.size() - 1) return edit.apply(doc, key);
    Value child = child(doc, key);
    return replaceChild(doc, key, update(child, path, depth + 1, edit));
  }

  private static Value lookup(Value doc, List<Value> path) throws Failed {
    Value cur = doc;
    for (Value seg : path) cur = child(cur, seg);
    return cur;
  }

  private static Value child(Value parent, Value key) throws Failed {
    Value out = null;
    if (parent instanceof ObjectValue o) out = o.get(objectKey(o, key));
    else if (parent instanceof ArrayValue arr) out = arr.get(index(key, arr.size()));
    else if (parent instanceof SetValue set) out = set.contains(setMember(key)) ? setMember(key) : null;
    if (out == null) throw new Failed();
    return out;
  }

  private static Value objectKey(ObjectValue o, Value key) { return key; }

  private static Value setMember(Value key) { return key; }

  /** An array index in [0, limit): a decimal string without sign or exponent, or an integer. */
  private static int index(Value key, int limit) throws Failed {
    int i;
    if (key instanceof StringValue s) {
      String t = s.value();
      // RFC 6901 array index: "0" or digits without a leading zero
      if (!t.matches("0|[1-9]\\d{0,8}")) throw new Failed();
      i = Integer.parseInt(t);
    } else if (key instanceof NumberValue n && n.asInt().isPresent()) {
      i = n.asInt().get();
    } else {
      throw new Failed();
    }
    if (i < 0 || i >= limit) throw new Failed();
    return i;
  }
}

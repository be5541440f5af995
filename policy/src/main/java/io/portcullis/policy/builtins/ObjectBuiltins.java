package io.portcullis.policy.builtins;

import io.portcullis.policy.value.ArrayValue;
import io.portcullis.policy.value.BooleanValue;
import io.portcullis.policy.value.NumberValue;
import io.portcullis.policy.value.ObjectValue;
import io.portcullis.policy.value.SetValue;
import io.portcullis.policy.value.StringValue;
import io.portcullis.policy.value.Value;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/** object.*, json.filter, json.remove, json.patch. */
final class ObjectBuiltins {
  private ObjectBuiltins() {}

  static void register(BuiltinRegistry.Builder b) {
    b.add("object.get", 3, ObjectBuiltins::get);
    b.add("object.keys", 1, (ctx, a) -> SetValue.of(Operands.object("object.keys", a, 0).entries().keySet()));
    b.add("object.union", 2, (ctx, a) -> {
      ObjectValue x = Operands.object("object.union", a, 0);
      ObjectValue y = Operands.object("object.union", a, 1);
      return union(x, y);
    });
    b.add("object.union_n", 1, (ctx, a) -> {
      ArrayValue list = Operands.array("object.union_n", a, 0);
      ObjectValue out = ObjectValue.EMPTY;
      for (Value v : list.elements()) {
        if (!(v instanceof ObjectValue o)) {
          throw BuiltinException.operandType("object.union_n", 1, "array of objects", "array containing " + v.typeName());
        }
        out = union(out, o);
      }
      return out;
    });
    b.add("object.remove", 2, (ctx, a) -> {
      ObjectValue obj = Operands.object("object.remove", a, 0);
      List<Value> keys = keyList("object.remove", a.get(1));
      TreeMap<Value, Value> out = new TreeMap<>(obj.entries());
      for (Value k : keys) out.remove(k);
      return ObjectValue.of(out);
    });
    b.add("object.filter", 2, (ctx, a) -> {
      ObjectValue obj = Operands.object("object.filter", a, 0);
      List<Value> keys = keyList("object.filter", a.get(1));
      TreeMap<Value, Value> out = new TreeMap<>();
      for (Value k : keys) {
        Value v = obj.get(k);
        if (v != null) out.put(k, v);
      }
      return ObjectValue.of(out);
    });
    b.add("object.subset", 2, (ctx, a) -> {
      Value sup = a.get(0);
      Value sub = a.get(1);
      if (sup instanceof ObjectValue x && sub instanceof ObjectValue y) return BooleanValue.of(subset(x, y));
      if (sup instanceof SetValue x && sub instanceof SetValue y) return BooleanValue.of(subset(x, y));
      if (sup instanceof ArrayValue x && sub instanceof ArrayValue y) return BooleanValue.of(subset(x, y));
      if (sup instanceof ArrayValue x && sub instanceof SetValue y) return BooleanValue.of(arraySetSubset(x, y));
      throw new BuiltinException(BuiltinException.Kind.TYPE,
          "object.subset: both arguments object.subset must be of the same type or array and set");
    });
    b.add("json.filter", 2, (ctx, a) -> {
      ObjectValue obj = Operands.object("json.filter", a, 0);
      PathTree tree = paths("json.filter", a.get(1));
      Value out = filter(obj, tree);
      return out == null ? ObjectValue.EMPTY : out;
    });
    b.add("json.remove", 2, (ctx, a) -> {
      ObjectValue obj = Operands.object("json.remove", a, 0);
      PathTree tree = paths("json.remove", a.get(1));
      return remove(obj, tree);
    });
    b.add("json.patch", 2, (ctx, a) -> JsonPatch.apply(a.get(0), Operands.arrayOrSet("json.patch", a, 1)));
  }

  // ---- object.get

  private static Value get(BuiltinContext ctx, List<Value> a) throws BuiltinException {
    ObjectValue obj = Operands.object("object.get", a, 0);
    Value key = a.get(1);
    Value dflt = a.get(2);
    if (!(key instanceof ArrayValue path)) {
      Value v = obj.get(key);
      return v != null ? v : dflt;
    }
    Value cur = obj;
    for (Value seg : path.elements()) {
      cur = child(cur, seg);
      if (cur == null) return dflt;
    }
    return cur;
  }

  /** The child of a composite value under a key or index, or null. */
  static Value child(Value parent, Value key) {
    if (parent instanceof ObjectValue o) return o.get(key);
    if (parent instanceof ArrayValue arr && key instanceof NumberValue n) {
      Optional<Integer> i = n.asInt();
      if (i.isEmpty() || i.get() < 0 || i.get() >= arr.size()) return null;
      return arr.get(i.get());
    }
    if (parent instanceof SetValue s) return s.contains(key) ? key : null;
    return null;
  }

  // ---- union and subset

  static ObjectValue union(ObjectValue x, ObjectValue y) {
    TreeMap<Value, Value> out = new TreeMap<>(x.entries());
    for (Map.Entry<Value, Value> e : y.entries().entrySet()) {
      Value old = out.get(e.getKey());
      if (old instanceof ObjectValue o1 && e.getValue() instanceof ObjectValue o2) out.put(e.getKey(), union(o1, o2));
      else out.put(e.getKey(), e.getValue());
    }
    return ObjectValue.of(out);
  }

  private static boolean subset(ObjectValue sup, ObjectValue sub) {
    for (Map.Entry<Value, Value> e : sub.entries().entrySet()) {
      Value have = sup.get(e.getKey());
      if (have == null) return false;
      Value want = e.getValue();
      boolean ok;
      if (have instanceof ObjectValue x && want instanceof ObjectValue y) ok = subset(x, y);
      else if (have instanceof SetValue x && want instanceof SetValue y) ok = subset(x, y);
      else if (have instanceof ArrayValue x && want instanceof ArrayValue y) ok = subset(x, y);
      else ok = have.compareTo(want) == 0;
      if (!ok) return false;
    }
    return true;
  }

  private static boolean subset(SetValue sup, SetValue sub) { return sup.members().containsAll(sub.members()); }

  /** OPA counts the super array's elements found in the set, checking after each element. */
  private static boolean arraySetSubset(ArrayValue sup, SetValue sub) {
    int unmatched = sub.size();
    for (Value v : sup.elements()) {
      if (sub.contains(v)) unmatched--;
      if (unmatched <= 0) return true;
    }
    return false;
  }

  /** True when sub occurs in sup as a contiguous run. */
  private static boolean subset(ArrayValue sup, ArrayValue sub) {
    List<Value> x = sup.elements();
    List<Value> y = sub.elements();
    if (y.isEmpty()) return true;
    for (int i = 0; i + y.size() <= x.size(); i++) {
      boolean match = true;
      for (int j = 0; j < y.size() && match; j++) match = x.get(i + j).compareTo(y.get(j)) == 0;
      if (match) return true;
    }
    return false;
  }

  private static List<Value> keyList(String fn, Value keys) throws BuiltinException {
    if (keys instanceof ArrayValue arr) return arr.elements();
    if (keys instanceof SetValue s) return new ArrayList<>(s.members());
    if (keys instanceof ObjectValue o) return new ArrayList<>(o.entries().keySet());
    throw Operands.typeError(fn, 1, keys, "object", "set", "array");
  }

  // ---- json.filter / json.remove

  /** A tree of paths; a node marked {@code end} selects its whole subtree. */
  static final class PathTree {
    boolean end;
    final TreeMap<Value, PathTree> children = new TreeMap<>();

    PathTree childFor(Value key) { return children.get(key); }

    /** Array elements are selected by the decimal string of their index, as OPA does. */
    PathTree childForIndex(int i) { return children.get(new StringValue(Integer.toString(i))); }
  }

  private static PathTree paths(String fn, Value operand) throws BuiltinException {
    List<Value> list;
    if (operand instanceof ArrayValue arr) list = arr.elements();
    else if (operand instanceof SetValue s) list = new ArrayList<>(s.members());
    else throw Operands.typeError(fn, 1, operand, "set", "array");
    PathTree root = new PathTree();
    for (Value p : list) {
      List<Value> segs = new ArrayList<>();
      if (p instanceof StringValue s) {
        String t = s.value();
        if (t.isEmpty()) continue; // the empty path selects nothing
        while (t.startsWith("/")) t = t.substring(1);
        for (String seg : t.split("/", -1)) segs.add(new StringValue(seg.replace("~1", "/").replace("~0", "~")));
      } else if (p instanceof ArrayValue arr) {
        segs.addAll(arr.elements());
      } else {
        throw BuiltinException.operandType(fn, 2,
            "one of {set, array} containing string paths or array of path segments", p.typeName());
      }
      if (segs.isEmpty()) continue;
      PathTree node = root;
      for (Value seg : segs) {
        if (node.end) break;
        node = node.children.computeIfAbsent(seg, k -> new PathTree());
      }
      node.end = true;
      node.children.clear();
    }
    return root;
  }

  /** The parts of v selected by the tree, or null when nothing is selected. */
  private static Value filter(Value v, PathTree tree) {
    if (tree.end) return v;
    if (v instanceof ObjectValue o) {
      TreeMap<Value, Value> out = new TreeMap<>();
      for (Map.Entry<Value, Value> e : o.entries().entrySet()) {
        PathTree t = tree.childFor(e.getKey());
        if (t == null) continue;
        Value f = filter(e.getValue(), t);
        if (f != null) out.put(e.getKey(), f);
      }
      return ObjectValue.of(out);
    }
    if (v instanceof ArrayValue arr) {
      List<Value> out = new ArrayList<>();
      for (int i = 0; i < arr.size(); i++) {
        PathTree t = tree.childForIndex(i);
        if (t == null) continue;
        Value f = filter(arr.get(i), t);
        if (f != null) out.add(f);
      }
      return new ArrayValue(out);
    }
    if (v instanceof SetValue s) {
      List<Value> out = new ArrayList<>();
      for (Value m : s.members()) {
        PathTree t = tree.childFor(m);
        if (t == null) continue;
        Value f = filter(m, t);
        if (f != null) out.add(f);
      }
      return SetValue.of(out);
    }
    return null;
  }

  private static Value remove(Value v, PathTree tree) {
    if (tree.children.isEmpty()) return v;
    if (v instanceof ObjectValue o) {
      TreeMap<Value, Value> out = new TreeMap<>();
      for (Map.Entry<Value, Value> e : o.entries().entrySet()) {
        PathTree t = tree.childFor(e.getKey());
        if (t == null) out.put(e.getKey(), e.getValue());
        else if (!t.end) out.put(e.getKey(), remove(e.getValue(), t));
      }
      return ObjectValue.of(out);
    }
    if (v instanceof ArrayValue arr) {
      List<Value> out = new ArrayList<>();
      for (int i = 0; i < arr.size(); i++) {
        PathTree t = tree.childForIndex(i);
        if (t == null) out.add(arr.get(i));
        else if (!t.end) out.add(remove(arr.get(i), t));
      }
      return new ArrayValue(out);
    }
    if (v instanceof SetValue s) {
      List<Value> out = new ArrayList<>();
      for (Value m : s.members()) {
        PathTree t = tree.childFor(m);
        if (t == null) out.add(m);
        else if (!t.end) out.add(remove(m, t));
      }
      return SetValue.of(out);
    }
    return v;
  }
}

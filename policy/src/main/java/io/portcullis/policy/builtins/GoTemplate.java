package io.portcullis.policy.builtins;

import io.portcullis.policy.value.ArrayValue;
import io.portcullis.policy.value.BooleanValue;
import io.portcullis.policy.value.NullValue;
import io.portcullis.policy.value.NumberValue;
import io.portcullis.policy.value.ObjectValue;
import io.portcullis.policy.value.SetValue;
import io.portcullis.policy.value.StringValue;
import io.portcullis.policy.value.Value;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * A subset of Go's text/template for {@code strings.render_template}: text, {{.field.path}},
 * {{$var}}, literals, {{if}}/{{else}}/{{else if}}, {{range [$i, $v :=] pipeline}}, {{with}},
 * {{end}} and the trim markers {{- -}}. Missing keys render as {@code <undefined>}.
 */
final class GoTemplate {
  private GoTemplate() {}

  /** A template error. */
  static final class TemplateError extends Exception {
    TemplateError(String message) { super(message, null, false, false); }
  }

  /** A parsed node: text, an output action, or a block with children. */
  private static final class Node {
    final String kind; // text, print, if, range, with
    final String arg;
    final List<Node> body = new ArrayList<>();
    final List<Node> elseBody = new ArrayList<>();
    boolean inElse;
    /** An {{else if}} node: closed by the {{end}} of the chain it belongs to. */
    boolean chained;

    Node(String kind, String arg) {
      this.kind = kind;
      this.arg = arg;
    }
  }

  private static final Value UNDEFINED = new StringValue("<undefined>");

  static String render(String template, Value data) throws TemplateError {
    List<String[]> tokens = tokenize(template);
    Node root = new Node("root", null);
    List<Node> stack = new ArrayList<>();
    stack.add(root);
    for (String[] t : tokens) {
      Node top = stack.get(stack.size() - 1);
      List<Node> target = top.inElse ? top.elseBody : top.body;
      if (t[0].equals("text")) {
        target.add(new Node("text", t[1]));
        continue;
      }
      String action = t[1].trim();
      if (action.startsWith("/*")) continue;
      String word = action.split("\\s+", 2)[0];
      String rest = action.length() > word.length() ? action.substring(word.length()).trim() : "";
      switch (word) {
        case "if", "range", "with" -> {
          Node n = new Node(word, rest);
          target.add(n);
          stack.add(n);
        }
        case "else" -> {
          if (stack.size() < 2) throw new TemplateError("template: unexpected {{else}}");
          if (rest.startsWith("if ")) {
            Node n = new Node("if", rest.substring(3).trim());
            n.chained = true;
            top.inElse = true;
            top.elseBody.add(n);
            stack.add(n);
          } else {
            top.inElse = true;
          }
        }
        case "end" -> {
          if (stack.size() < 2) throw new TemplateError("template: unexpected {{end}}");
          Node closed = stack.remove(stack.size() - 1);
          while (closed.chained && stack.size() > 1) closed = stack.remove(stack.size() - 1);
        }
        default -> target.add(new Node("print", action));
      }
    }
    if (stack.size() != 1) throw new TemplateError("template: unexpected EOF");
    StringBuilder out = new StringBuilder();
    Map<String, Value> vars = new HashMap<>();
    vars.put("$", data);
    exec(root.body, data, vars, out);
    return out.toString();
  }

  private static void exec(List<Node> nodes, Value dot, Map<String, Value> vars, StringBuilder out) throws TemplateError {
    for (Node n : nodes) {
      switch (n.kind) {
        case "text" -> out.append(n.arg);
        case "print" -> out.append(print(eval(n.arg, dot, vars)));
        case "if" -> exec(truthy(eval(n.arg, dot, vars)) ? n.body : n.elseBody, dot, vars, out);
        case "with" -> {
          Value v = eval(n.arg, dot, vars);
          if (truthy(v)) exec(n.body, v, vars, out);
          else exec(n.elseBody, dot, vars, out);
        }
        case "range" -> range(n, dot, vars, out);
        default -> throw new TemplateError("template: unsupported node " + n.kind);
      }
    }
  }

  private static void range(Node n, Value dot, Map<String, Value> vars, StringBuilder out) throws TemplateError {
    String spec = n.arg;
    String keyVar = null;
    String valVar = null;
    int assign = spec.indexOf(":=");
    if (assign >= 0) {
      String[] names = spec.substring(0, assign).split(",");
      if (names.length == 2) {
        keyVar = names[0].trim();
        valVar = names[1].trim();
      } else {
        valVar = names[0].trim();
      }
      spec = spec.substring(assign + 2).trim();
    }
    Value coll = eval(spec, dot, vars);
    List<Value[]> items = new ArrayList<>();
    if (coll instanceof ArrayValue arr) for (int i = 0; i < arr.size(); i++) items.add(new Value[] {NumberValue.of(i), arr.get(i)});
    else if (coll instanceof SetValue set) {
      int i = 0;
      for (Value v : set.members()) items.add(new Value[] {NumberValue.of(i++), v});
    } else if (coll instanceof ObjectValue obj) for (Map.Entry<Value, Value> e : obj.entries().entrySet()) items.add(new Value[] {e.getKey(), e.getValue()});
    if (items.isEmpty()) {
      exec(n.elseBody, dot, vars, out);
      return;
    }
    for (Value[] item : items) {
      Map<String, Value> inner = new HashMap<>(vars);
      if (keyVar != null) inner.put(keyVar, item[0]);
      if (valVar != null) inner.put(valVar, item[1]);
      exec(n.body, item[1], inner, out);
    }
  }

  private static Value eval(String expr, Value dot, Map<String, Value> vars) throws TemplateError {
    String e = expr.trim();
    if (e.startsWith("(") && e.endsWith(")")) e = e.substring(1, e.length() - 1).trim();
    if (e.startsWith("\"")) return new StringValue(e.substring(1, e.length() - 1).replace("\\\"", "\""));
    if (e.equals("true") || e.equals("false")) return BooleanValue.of(e.equals("true"));
    if (e.matches("-?\\d+(\\.\\d+)?")) return NumberValue.parse(e);
    Value base;
    String path;
    if (e.startsWith("$")) {
      int dotIdx = e.indexOf('.');
      String name = dotIdx < 0 ? e : e.substring(0, dotIdx);
      base = vars.get(name);
      if (base == null) throw new TemplateError("template: undefined variable \"" + name + "\"");
      path = dotIdx < 0 ? "" : e.substring(dotIdx + 1);
    } else if (e.startsWith(".")) {
      base = dot;
      path = e.substring(1);
    } else {
      throw new TemplateError("template: function \"" + e.split("\\s+")[0] + "\" not defined");
    }
    Value cur = base;
    if (!path.isEmpty()) {
      for (String field : path.split("\\.")) {
        if (!(cur instanceof ObjectValue o)) return UNDEFINED;
        cur = o.get(field);
        if (cur == null) return UNDEFINED;
      }
    }
    return cur;
  }

  private static boolean truthy(Value v) {
    if (v == null || v instanceof NullValue || v == UNDEFINED) return false;
    if (v instanceof BooleanValue b) return b.value();
    if (v instanceof NumberValue n) return n.bigDecimal().signum() != 0;
    if (v instanceof StringValue s) return !s.value().isEmpty();
    if (v instanceof ArrayValue a) return a.size() > 0;
    if (v instanceof SetValue s) return s.size() > 0;
    if (v instanceof ObjectValue o) return o.size() > 0;
    return true;
  }

  /** Go's %v of the JSON-decoded value. */
  private static String print(Value v) {
    if (v instanceof StringValue s) return s.value();
    if (v instanceof NullValue) return "<nil>";
    if (v instanceof ArrayValue || v instanceof SetValue) {
      List<Value> items = v instanceof ArrayValue a ? a.elements() : new ArrayList<>(((SetValue) v).members());
      StringBuilder sb = new StringBuilder("[");
      for (int i = 0; i < items.size(); i++) {
        if (i > 0) sb.append(' ');
        sb.append(print(items.get(i)));
      }
      return sb.append(']').toString();
    }
    if (v instanceof ObjectValue o) {
      StringBuilder sb = new StringBuilder("map[");
      boolean first = true;
      for (Map.Entry<Value, Value> e : o.entries().entrySet()) {
        if (!first) sb.append(' ');
        first = false;
        sb.append(print(e.getKey())).append(':').append(print(e.getValue()));
      }
      return sb.append(']').toString();
    }
    return v.toString();
  }

  /** Splits into text and action tokens, applying {{- and -}} whitespace trimming. */
  private static List<String[]> tokenize(String t) throws TemplateError {
    List<String[]> out = new ArrayList<>();
    int i = 0;
    boolean trimNext = false;
    while (i < t.length()) {
      int open = t.indexOf("{{", i);
      String text = open < 0 ? t.substring(i) : t.substring(i, open);
      if (trimNext) text = text.stripLeading();
      if (open < 0) {
        if (!text.isEmpty()) out.add(new String[] {"text", text});
        break;
      }
      int close = t.indexOf("}}", open + 2);
      if (close < 0) throw new TemplateError("template: unclosed action");
      String action = t.substring(open + 2, close);
      if (action.startsWith("- ")) {
        text = text.stripTrailing();
        action = action.substring(2);
      }
      trimNext = false;
      if (action.endsWith(" -")) {
        action = action.substring(0, action.length() - 2);
        trimNext = true;
      }
      if (!text.isEmpty()) out.add(new String[] {"text", text});
      out.add(new String[] {"action", action});
      i = close + 2;
    }
    return out;
  }
}

package io.portcullis.policy.cli;

import io.portcullis.policy.value.Json;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import io.portcullis.policy.EmbeddedRegoEngine;
import io.portcullis.policy.EvaluationLimits;
import io.portcullis.policy.PolicyException;
import io.portcullis.policy.ast.Expr;
import io.portcullis.policy.parser.Parser;
import io.portcullis.policy.value.BooleanValue;
import io.portcullis.policy.value.Value;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code policy eval -d DIR_OR_FILE... [-i input.json] QUERY}: prints the result rows as {@code opa eval} does. */
@Command(name = "eval", description = "Evaluate a Rego query against policy and data files; prints OPA's JSON result.")
final class EvalCommand implements Callable<Integer> {
  private static final ObjectMapper JSON = new ObjectMapper()
      .enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS)
      .enable(DeserializationFeature.USE_BIG_INTEGER_FOR_INTS)
      .enable(SerializationFeature.INDENT_OUTPUT);

  @Option(names = {"-d", "--data"}, description = "policy or data file or directory (repeatable)")
  List<Path> data = new ArrayList<>();

  @Option(names = {"-i", "--input"}, description = "input document (JSON or YAML file)")
  Path input;

  @Option(names = "--timeout", description = "evaluation time budget, e.g. 5s (default ${DEFAULT-VALUE})", defaultValue = "5s")
  String timeout;

  @Parameters(index = "0", paramLabel = "QUERY")
  String query;

  private static final com.fasterxml.jackson.core.util.DefaultPrettyPrinter PRINTER =
      new com.fasterxml.jackson.core.util.DefaultPrettyPrinter()
          .withSeparators(com.fasterxml.jackson.core.util.Separators.createDefaultInstance()
              .withObjectFieldValueSpacing(com.fasterxml.jackson.core.util.Separators.Spacing.AFTER));

  static {
    PRINTER.indentArraysWith(com.fasterxml.jackson.core.util.DefaultIndenter.SYSTEM_LINEFEED_INSTANCE);
  }

  @Override
  public Integer call() {
    try {
      EmbeddedRegoEngine engine = EmbeddedRegoEngine.load(data,
          new EvaluationLimits(50_000_000L, Duration.parse("PT" + timeout.toUpperCase())));
      JsonNode in = input == null ? null : readInput(input);
      EmbeddedRegoEngine.QueryRows rows = engine.query(query, in, line -> System.err.println(line));
      List<Expr> exprs = Parser.parseQuery(query);
      System.out.println(JSON.writer(PRINTER).writeValueAsString(render(rows, exprs)));
      return 0;
    } catch (PolicyException e) {
      System.err.println(e.getMessage());
      return 1;
    } catch (Exception e) {
      System.err.println("error: " + e.getMessage());
      return 1;
    }
  }

  private static JsonNode readInput(Path p) throws java.io.IOException {
    String name = p.getFileName().toString();
    ObjectMapper m = name.endsWith(".yaml") || name.endsWith(".yml")
        ? new ObjectMapper(new com.fasterxml.jackson.dataformat.yaml.YAMLFactory())
        : JSON;
    return m.readTree(p.toFile());
  }

  static ObjectNode render(EmbeddedRegoEngine.QueryRows rows, List<Expr> exprs) {
    JsonNodeFactory f = JsonNodeFactory.withExactBigDecimals(true);
    ObjectNode out = f.objectNode();
    if (rows.rows().isEmpty()) return out;
    ArrayNode result = out.putArray("result");
    for (Map<String, Value> row : rows.rows()) {
      ObjectNode r = result.addObject();
      ArrayNode es = r.putArray("expressions");
      for (int i = 0; i < exprs.size(); i++) {
        ObjectNode e = es.addObject();
        String var = i < rows.expressionVars().size() ? rows.expressionVars().get(i) : null;
        Value v = var == null ? BooleanValue.TRUE : row.get(var);
        e.set("value", Json.toJson(v == null ? BooleanValue.TRUE : v));
        e.put("text", i < rows.expressionTexts().size() ? rows.expressionTexts().get(i) : "");
        ObjectNode loc = e.putObject("location");
        loc.put("row", exprs.get(i).location().row());
        loc.put("col", exprs.get(i).location().col());
      }
      ObjectNode b = f.objectNode();
      for (String name : rows.vars()) {
        Value v = row.get(name);
        if (v != null) b.set(name, Json.toJson(v));
      }
      if (b.size() > 0) r.set("bindings", b);
    }
    return out;
  }
}

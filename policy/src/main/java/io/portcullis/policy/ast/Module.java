package io.portcullis.policy.ast;

import java.util.List;
import java.util.Map;

/**
 * A parsed Rego file. {@code packagePath} does not include the leading {@code data}.
 * {@code annotations} maps the row of a package or rule declaration to the YAML text of the
 * {@code # METADATA} comment block written directly above it.
 */
public record Module(String file, List<String> packagePath, List<Import> imports, List<Rule> rules, Location location,
                     Map<Integer, String> annotations) {
  public Module {
    annotations = Map.copyOf(annotations);
  }
}

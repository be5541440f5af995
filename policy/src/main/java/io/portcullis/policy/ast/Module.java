package io.portcullis.policy.ast;

import java.util.List;

/** A parsed Rego file. {@code packagePath} does not include the leading {@code data}. */
public record Module(String file, List<String> packagePath, List<Import> imports, List<Rule> rules, Location location) {}

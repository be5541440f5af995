package io.portcullis.policy;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.Optional;

/** Decides with a Rego policy. Implementations are thread-safe. */
public interface PolicyEngine {
  /**
   * Evaluates the document at {@code data.<path>}; {@code path} is written {@code "portcullis/pull"} or
   * {@code "portcullis.pull"}. An empty result means the document is undefined.
   */
  Optional<JsonNode> evaluate(String path, JsonNode input) throws PolicyException;

  /** Identifies the loaded policy (e.g. a hash of the bundle's files); changes when the bundle changes. */
  String revision();
}

package io.portcullis.policy.conformance;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Path;

/** One case of an OPA conformance file: where it is (file and index) and its fields. */
public record ConformanceCase(Path file, int index, String note, JsonNode fields) {
  /** The topic directory of the case (e.g. {@code aggregates}). */
  public String topic() {
    Path parent = file.getParent();
    return parent == null ? "" : parent.getFileName().toString();
  }

  public String id() { return file + "#" + index; }
}

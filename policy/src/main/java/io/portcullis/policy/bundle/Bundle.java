package io.portcullis.policy.bundle;

import io.portcullis.policy.value.Value;
import java.util.Map;

/**
 * Policy files as loaded from disk: Rego sources by display name, the merged base {@code data}
 * document, and a revision (SHA-256 over every file's name and content) that changes when any file does.
 */
public record Bundle(Map<String, String> modules, Value data, String revision) {
  public Bundle {
    modules = Map.copyOf(modules);
  }
}

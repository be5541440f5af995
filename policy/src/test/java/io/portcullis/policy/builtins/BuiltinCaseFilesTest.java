package io.portcullis.policy.builtins;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.portcullis.policy.conformance.CaseOutcome;
import io.portcullis.policy.conformance.ConformanceRunner;
import io.portcullis.policy.conformance.SkipList;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Builtin case files kept with the builtins (OPA-format YAML): cases written from OPA's behaviour
 * beyond the shared sample, and the JSON Patch test suite unrolled into one case per patch.
 */
class BuiltinCaseFilesTest {
  @Test
  void allPass() throws Exception {
    Path dir = resource("/builtins/cases");
    ByteArrayOutputStream log = new ByteArrayOutputStream();
    List<CaseOutcome> outcomes = new ConformanceRunner(BuiltinRegistry.standard(), SkipList.standard())
        .runAll(dir, new PrintStream(log, true, StandardCharsets.UTF_8));
    long failed = outcomes.stream().filter(o -> o.status() == CaseOutcome.Status.FAILED).count();
    assertEquals(0, failed, log.toString(StandardCharsets.UTF_8));
  }

  private static Path resource(String name) throws URISyntaxException {
    return Path.of(BuiltinCaseFilesTest.class.getResource(name).toURI());
  }
}

package io.portcullis.gateway.conformance;

import java.nio.file.Path;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.io.TempDir;

/**
 * One registry per test class, on a random port over a fresh storage directory. Tests use
 * {@link RegistryTestClient#newRepo} so they never see each other's repositories.
 */
public abstract class RegistryTestBase {
  @TempDir
  protected static Path storage;

  protected static RegistryTestClient registry;

  @BeforeAll
  protected static void startRegistry() {
    registry = RegistryTestClient.start(storage);
  }

  @AfterAll
  protected static void stopRegistry() {
    if (registry != null) registry.close();
    registry = null;
  }
}

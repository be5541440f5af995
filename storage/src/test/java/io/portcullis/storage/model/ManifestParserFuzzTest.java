package io.portcullis.storage.model;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;
import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * Manifest bodies and digests come straight from clients. Whatever the bytes, {@link ManifestParser}
 * returns a manifest or throws {@link InvalidManifestException}, and {@link Digest#parse} returns a
 * digest or throws {@link InvalidDigestException}; any other exception, or a hang, is a bug.
 *
 * <p>{@code ./mvnw test} replays the committed inputs under
 * {@code src/test/resources/io/portcullis/storage/model/ManifestParserFuzzTestInputs/<method>/}; with
 * {@code JAZZER_FUZZ=1} one method at a time is fuzzed (see the README's "Fuzzing").
 */
class ManifestParserFuzzTest {
  /** The registry reads at most this much of a manifest PUT before parsing (413 beyond). */
  private static final int MAX_MANIFEST_BYTES = 4 * 1024 * 1024;

  /** What a client may send as Content-Type: the four manifest types, generic types, and anything. */
  private static final List<String> CONTENT_TYPES = List.of(
      MediaTypes.OCI_MANIFEST, MediaTypes.OCI_INDEX, MediaTypes.DOCKER_MANIFEST, MediaTypes.DOCKER_MANIFEST_LIST,
      "application/json", "application/octet-stream", "", MediaTypes.OCI_MANIFEST + "; charset=utf-8");

  @FuzzTest(maxDuration = "2m")
  void parseManifest(FuzzedDataProvider data) {
    int choice = data.consumeInt(0, CONTENT_TYPES.size() + 1);
    String contentType = choice < CONTENT_TYPES.size() ? CONTENT_TYPES.get(choice)
        : choice == CONTENT_TYPES.size() ? null : data.consumeString(100);
    byte[] body = data.consumeRemainingAsBytes();
    if (body.length > MAX_MANIFEST_BYTES) return;
    Manifest m;
    try {
      m = ManifestParser.parse(body, contentType);
    } catch (InvalidManifestException e) {
      assertNotNull(e.getMessage());
      return;
    }
    assertTrue(MediaTypes.isManifest(m.mediaType()), m.mediaType());
    String essence = MediaTypes.essence(contentType);
    if (essence != null && MediaTypes.isManifest(essence)) assertEquals(essence, m.mediaType());
    if (m.isIndex()) {
      assertNull(m.config());
      assertTrue(m.layers().isEmpty());
      m.manifests().forEach(ManifestParserFuzzTest::checkDescriptor);
    } else {
      checkDescriptor(m.config());
      assertTrue(m.manifests().isEmpty());
      m.layers().forEach(ManifestParserFuzzTest::checkDescriptor);
    }
    if (m.subject() != null) checkDescriptor(m.subject());
    assertNotNull(m.annotations());
  }

  @FuzzTest(maxDuration = "1m")
  void parseDigest(byte[] input) {
    String text = new String(input, StandardCharsets.UTF_8);
    Digest d;
    try {
      d = Digest.parse(text);
    } catch (InvalidDigestException e) {
      assertNotNull(e.getMessage());
      return;
    }
    // A parsed digest is exactly the text it came from, and its algorithm is one the registry hashes with.
    assertEquals(text, d.toString());
    assertEquals(d, Digest.parse(d.toString()));
    assertNotNull(d.algorithmKind().newHasher());
  }

  private static void checkDescriptor(Descriptor d) {
    assertNotNull(d);
    assertNotNull(d.digest());
    assertTrue(d.size() >= 0);
    assertTrue(d.mediaType() != null && !d.mediaType().isEmpty());
    assertEquals(d.digest(), Digest.parse(d.digest().toString()));
  }
}

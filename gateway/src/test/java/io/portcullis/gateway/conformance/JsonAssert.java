package io.portcullis.gateway.conformance;

import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;

/** Small assertions on descriptor arrays. */
final class JsonAssert {
  private JsonAssert() {}

  static List<String> digests(JsonNode descriptors) {
    List<String> out = new ArrayList<>();
    descriptors.forEach(d -> out.add(d.path("digest").asText()));
    return out;
  }

  static void containsDigest(JsonNode descriptors, String digest) {
    assertTrue(digests(descriptors).contains(digest), () -> digest + " not in " + descriptors);
  }

  static JsonNode byDigest(JsonNode descriptors, String digest) {
    for (JsonNode d : descriptors) if (digest.equals(d.path("digest").asText())) return d;
    throw new AssertionError(digest + " not in " + descriptors);
  }
}

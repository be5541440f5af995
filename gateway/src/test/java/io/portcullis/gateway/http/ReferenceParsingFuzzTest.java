package io.portcullis.gateway.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;
import io.portcullis.storage.model.Digest;
import java.nio.charset.StandardCharsets;
import java.util.Optional;

/**
 * Repository names, tags, digests, ranges and page parameters arrive in request paths, query strings and
 * headers. Each check either accepts the text or throws a {@link RegistryException} with the error code
 * and status the spec gives for it; anything else would reach the client as a {@code 500}.
 *
 * <p>{@code ./mvnw test} replays the committed inputs under
 * {@code src/test/resources/io/portcullis/gateway/http/ReferenceParsingFuzzTestInputs/<method>/}.
 */
class ReferenceParsingFuzzTest {

  @FuzzTest(maxDuration = "1m")
  void repositoryName(byte[] input) {
    String name = new String(input, StandardCharsets.UTF_8);
    try {
      assertSame(name, RepositoryName.validate(name));
    } catch (RegistryException e) {
      assertRefused(e, ErrorCode.NAME_INVALID, 400);
      return;
    }
    assertTrue(name.length() <= RepositoryName.MAX_LENGTH);
    assertTrue(name.chars().allMatch(c -> c >= 'a' && c <= 'z' || c >= '0' && c <= '9' || c == '/' || c == '.' || c == '_' || c == '-'), name);
    assertFalse(name.startsWith("/") || name.endsWith("/") || name.contains("//") || name.contains(".."), name);
  }

  @FuzzTest(maxDuration = "1m")
  void rawPath(byte[] input) {
    String path = new String(input, StandardCharsets.UTF_8);
    try {
      RepositoryName.checkRawPath(path);
    } catch (RegistryException e) {
      // The code is that of the path part holding the encoded character (an upload id is unknown: 404).
      if (e.code() == ErrorCode.BLOB_UPLOAD_UNKNOWN) {
        assertRefused(e, ErrorCode.BLOB_UPLOAD_UNKNOWN, 404);
      } else {
        assertTrue(java.util.Set.of(ErrorCode.NAME_INVALID, ErrorCode.MANIFEST_INVALID, ErrorCode.DIGEST_INVALID).contains(e.code()), e::getMessage);
        assertEquals(400, e.status(), e.getMessage());
      }
      return;
    }
    assertFalse(path.toLowerCase(java.util.Locale.ROOT).contains("%2f"), path);
  }

  @FuzzTest(maxDuration = "1m")
  void tag(byte[] input) {
    String tag = new String(input, StandardCharsets.UTF_8);
    try {
      assertSame(tag, Tags.validate(tag));
    } catch (RegistryException e) {
      assertRefused(e, ErrorCode.MANIFEST_INVALID, 400);
      assertFalse(Tags.isValid(tag));
      return;
    }
    assertTrue(tag.length() >= 1 && tag.length() <= 128);
    // A valid tag is never mistaken for a digest reference.
    assertFalse(Digest.looksLikeDigest(tag), tag);
  }

  @FuzzTest(maxDuration = "1m")
  void digestParameter(byte[] input) {
    String text = new String(input, StandardCharsets.UTF_8);
    Digest d;
    try {
      d = DigestParameter.parse(text);
    } catch (RegistryException e) {
      assertRefused(e, ErrorCode.DIGEST_INVALID, 400);
      return;
    }
    assertEquals(text, d.toString());
  }

  @FuzzTest(maxDuration = "1m")
  void byteRange(FuzzedDataProvider data) {
    long size = data.consumeLong(0, Long.MAX_VALUE);
    String header = data.consumeRemainingAsString();
    Optional<ByteRange> range;
    try {
      range = ByteRange.fromHeader(header, size);
    } catch (RegistryException e) {
      assertRefused(e, ErrorCode.BLOB_UNKNOWN, 416);
      assertEquals("bytes */" + size, e.headers().get("Content-Range"));
      return;
    }
    assertNotNull(range);
    range.ifPresent(r -> {
      assertTrue(r.first() >= 0 && r.first() <= r.last() && r.last() < size, r + " of " + size);
      assertTrue(r.length() >= 1 && r.length() <= size);
    });
  }

  @FuzzTest(maxDuration = "1m")
  void contentRange(byte[] input) {
    String header = new String(input, StandardCharsets.UTF_8);
    ContentRange range;
    try {
      range = ContentRange.parse(header);
    } catch (RegistryException e) {
      assertRefused(e, ErrorCode.BLOB_UPLOAD_INVALID, 416);
      return;
    }
    if (range == null) {
      assertTrue(header.isEmpty());
      return;
    }
    assertTrue(range.first() >= 0 && range.first() <= range.last(), range.toString());
    assertTrue(range.length() >= 1, range.toString());
    assertEquals(range.first(), ContentRange.startOrUnknown(header));
  }

  @FuzzTest(maxDuration = "1m")
  void pagination(FuzzedDataProvider data) {
    String n = data.consumeBoolean() ? null : data.consumeString(40);
    String last = data.consumeBoolean() ? null : data.consumeRemainingAsString();
    Pagination p;
    try {
      p = Pagination.of(n, last);
    } catch (RegistryException e) {
      assertRefused(e, ErrorCode.UNSUPPORTED, 400);
      return;
    }
    assertTrue(p.limit() >= 0 && p.limit() <= Pagination.MAX_PAGE, String.valueOf(p.limit()));
    assertTrue(p.last() == null || !p.last().isEmpty());
  }

  private static void assertRefused(RegistryException e, ErrorCode code, int status) {
    assertEquals(code, e.code(), e.getMessage());
    assertEquals(status, e.status(), e.getMessage());
    assertNotNull(e.getMessage());
  }
}

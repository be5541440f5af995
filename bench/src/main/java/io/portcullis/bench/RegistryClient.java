package io.portcullis.bench;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpRequest.BodyPublishers;
import java.net.http.HttpResponse;
import java.net.http.HttpResponse.BodyHandlers;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The distribution-spec calls the workloads make: metadata requests over one {@link HttpClient} per
 * target (HTTP/1.1, its own connection pool), blob bodies over plain sockets ({@link RawHttp}). Every call checks the status it expects and throws otherwise; every request has
 * a timeout, so no loop can hang on a stuck server.
 */
final class RegistryClient {
  static final String OCI_MANIFEST = "application/vnd.oci.image.manifest.v1+json";
  static final String MANIFEST_ACCEPT = OCI_MANIFEST
      + ", application/vnd.oci.image.index.v1+json"
      + ", application/vnd.docker.distribution.manifest.v2+json";
  static final Duration SMALL_TIMEOUT = Duration.ofSeconds(30);

  final String name;
  final URI base;
  /** The server's process id (0 if unknown), to count the CPU time it spends on each workload. */
  final long pid;
  private final HttpClient http;

  RegistryClient(String name, URI base, long pid) {
    this.name = name;
    this.base = base;
    this.pid = pid;
    this.http = HttpClient.newBuilder()
        .version(HttpClient.Version.HTTP_1_1)
        .followRedirects(HttpClient.Redirect.NEVER)
        .connectTimeout(Duration.ofSeconds(5))
        .build();
  }

  void ping() {
    expect(send(get("/v2/").build(), BodyHandlers.discarding()), 200, "GET /v2/");
  }

  /** POST to open an upload, then one PUT with the whole body and {@code ?digest=} (body over a plain socket). */
  void pushMonolithic(String repo, GeneratedBlob blob) {
    URI location = startUpload(repo);
    URI put = withDigest(location, blob.digest());
    RawHttp.Response response;
    try (InputStream body = blob.open()) {
      response = RawHttp.exchange("PUT", put, Map.of("Content-Type", "application/octet-stream"), body, blob.size,
          blobTimeout(blob.size).toMillis());
    } catch (IOException e) {
      throw new IllegalStateException(name + ": PUT " + put + ": " + e, e);
    }
    expectRaw(response, 201, "PUT blob upload");
  }

  /** Same as {@link #pushMonolithic} for content already in memory (small blobs). */
  void pushBytes(String repo, byte[] data, String digest) {
    URI location = startUpload(repo);
    HttpRequest put = HttpRequest.newBuilder(withDigest(location, digest))
        .timeout(SMALL_TIMEOUT)
        .header("Content-Type", "application/octet-stream")
        .PUT(BodyPublishers.ofByteArray(data))
        .build();
    expect(send(put, BodyHandlers.discarding()), 201, "PUT blob upload");
  }

  /** POST, then PATCH chunks of {@code chunkSize} with Content-Range, then PUT {@code ?digest=} with no body. */
  void pushChunked(String repo, GeneratedBlob blob, int chunkSize) {
    URI location = startUpload(repo);
    byte[] chunk = new byte[chunkSize];
    long offset = 0;
    try (InputStream in = blob.open()) {
      while (offset < blob.size) {
        int n = 0;
        while (n < chunkSize) {
          int r = in.read(chunk, n, chunkSize - n);
          if (r < 0) {
            break;
          }
          n += r;
        }
        Map<String, String> headers = new LinkedHashMap<>();
        headers.put("Content-Type", "application/octet-stream");
        headers.put("Content-Range", offset + "-" + (offset + n - 1));
        RawHttp.Response response = RawHttp.exchange("PATCH", location, headers, new ByteArrayInputStream(chunk, 0, n), n,
            blobTimeout(n).toMillis());
        expectRaw(response, 202, "PATCH chunk at " + offset);
        String next = response.header("Location");
        if (next == null) {
          throw new IllegalStateException(name + ": no Location header after PATCH");
        }
        location = base.resolve(next);
        offset += n;
      }
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
    HttpRequest put = HttpRequest.newBuilder(withDigest(location, blob.digest()))
        .timeout(SMALL_TIMEOUT)
        .PUT(BodyPublishers.noBody())
        .build();
    expect(send(put, BodyHandlers.discarding()), 201, "PUT closing chunked upload");
  }

  /** GET a blob, reading (and dropping) every byte; returns how many arrived. */
  long pullBlob(String repo, String digest, long expectedSize) {
    return pullUrl(base.resolve("/v2/" + repo + "/blobs/" + digest), expectedSize);
  }

  /** GET over a plain socket, every byte of the body read and dropped. */
  long pullUrl(URI url, long expectedSize) {
    RawHttp.Response response;
    try {
      response = RawHttp.exchange("GET", url, Map.of(), null, 0, blobTimeout(expectedSize).toMillis());
    } catch (IOException e) {
      throw new IllegalStateException(name + ": GET " + url + ": " + e, e);
    }
    expectRaw(response, 200, "GET " + url);
    if (response.bodyBytes() != expectedSize) {
      throw new IllegalStateException(name + ": GET " + url + " gave " + response.bodyBytes() + " bytes, expected " + expectedSize);
    }
    return response.bodyBytes();
  }

  void putManifest(String repo, String reference, byte[] body) {
    HttpRequest put = HttpRequest.newBuilder(base.resolve("/v2/" + repo + "/manifests/" + reference))
        .timeout(SMALL_TIMEOUT)
        .header("Content-Type", OCI_MANIFEST)
        .PUT(BodyPublishers.ofByteArray(body))
        .build();
    expect(send(put, BodyHandlers.discarding()), 201, "PUT manifest " + repo + ":" + reference);
  }

  byte[] getManifest(String repo, String reference) {
    HttpRequest get = get("/v2/" + repo + "/manifests/" + reference).header("Accept", MANIFEST_ACCEPT).build();
    HttpResponse<byte[]> response = send(get, BodyHandlers.ofByteArray());
    expect(response, 200, "GET manifest " + repo + ":" + reference);
    return response.body();
  }

  /** A GET's status and body (the body cut to 1,000 characters), whatever the status: for checks that explain a refusal. */
  record Answer(int status, String body) {}

  /** GET of a manifest that does not throw on a non-200 answer. */
  Answer tryGetManifest(String repo, String reference) {
    HttpRequest get = get("/v2/" + repo + "/manifests/" + reference).header("Accept", MANIFEST_ACCEPT).build();
    HttpResponse<byte[]> response = send(get, BodyHandlers.ofByteArray());
    String body = new String(response.body(), java.nio.charset.StandardCharsets.UTF_8);
    return new Answer(response.statusCode(), body.length() > 1000 ? body.substring(0, 1000) + "..." : body);
  }

  /** Host and port as an image reference names the registry ({@code 127.0.0.1:5000}). */
  String hostPort() {
    return base.getHost() + ":" + base.getPort();
  }

  void headManifest(String repo, String reference) {
    HttpRequest head = get("/v2/" + repo + "/manifests/" + reference)
        .header("Accept", MANIFEST_ACCEPT)
        .method("HEAD", BodyPublishers.noBody())
        .build();
    expect(send(head, BodyHandlers.discarding()), 200, "HEAD manifest " + repo + ":" + reference);
  }

  byte[] listTags(String repo) {
    HttpResponse<byte[]> response = send(get("/v2/" + repo + "/tags/list").build(), BodyHandlers.ofByteArray());
    expect(response, 200, "GET tags list " + repo);
    return response.body();
  }

  private URI startUpload(String repo) {
    HttpRequest post = HttpRequest.newBuilder(base.resolve("/v2/" + repo + "/blobs/uploads/"))
        .timeout(SMALL_TIMEOUT)
        .POST(BodyPublishers.noBody())
        .build();
    HttpResponse<Void> response = send(post, BodyHandlers.discarding());
    expect(response, 202, "POST blob upload");
    return locationOf(response);
  }

  private URI locationOf(HttpResponse<?> response) {
    String location = response.headers().firstValue("Location")
        .orElseThrow(() -> new IllegalStateException(name + ": no Location header on " + response.uri()));
    return base.resolve(location);
  }

  private void expectRaw(RawHttp.Response response, int status, String what) {
    if (response.status() != status) {
      throw new IllegalStateException(name + ": " + what + " answered " + response.status() + " (expected " + status + ")");
    }
  }

  private static URI withDigest(URI location, String digest) {
    String s = location.toString();
    return URI.create(s + (s.contains("?") ? "&" : "?") + "digest=" + digest);
  }

  private HttpRequest.Builder get(String path) {
    return HttpRequest.newBuilder(base.resolve(path)).timeout(SMALL_TIMEOUT).GET();
  }

  /** Generous: 30 s plus 1 s per 10 MiB, so a stalled transfer still ends the loop. */
  private static Duration blobTimeout(long size) {
    return Duration.ofSeconds(30 + size / (10L << 20));
  }

  private <T> HttpResponse<T> send(HttpRequest request, HttpResponse.BodyHandler<T> handler) {
    try {
      return http.send(request, handler);
    } catch (IOException e) {
      throw new IllegalStateException(name + ": " + request.method() + " " + request.uri() + ": " + e, e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted", e);
    }
  }

  private void expect(HttpResponse<?> response, int status, String what) {
    if (response.statusCode() != status) {
      Object body = response.body();
      String detail = body instanceof byte[] bytes ? ": " + new String(bytes, java.nio.charset.StandardCharsets.UTF_8) : "";
      throw new IllegalStateException(name + ": " + what + " answered " + response.statusCode()
          + " (expected " + status + ")" + (detail.length() > 300 ? detail.substring(0, 300) : detail));
    }
  }
}

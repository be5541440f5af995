package io.portcullis.gateway.conformance;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.portcullis.gateway.PortcullisServer;
import io.portcullis.gateway.ServerConfig;
import io.portcullis.gateway.conformance.Oci.Descriptor;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpHeaders;
import java.net.http.HttpRequest;
import java.net.http.HttpRequest.BodyPublisher;
import java.net.http.HttpRequest.BodyPublishers;
import java.net.http.HttpResponse;
import java.net.http.HttpResponse.BodyHandlers;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A Portcullis server on a random loopback port with its own storage directory, and a plain
 * {@link HttpClient} speaking the distribution API to it. Helpers push blobs, manifests and whole images
 * the way a client would, asserting each step, so tests can stay on what they check.
 */
public final class RegistryTestClient implements AutoCloseable {
  private static final AtomicInteger REPOS = new AtomicInteger();

  private final PortcullisServer server;
  private final URI external;
  private final HttpClient http;

  private RegistryTestClient(PortcullisServer server) { this(server, null); }

  private RegistryTestClient(PortcullisServer server, URI external) {
    this.server = server;
    this.external = external;
    this.http = HttpClient.newBuilder()
        .version(HttpClient.Version.HTTP_1_1)
        .followRedirects(HttpClient.Redirect.NEVER)
        .connectTimeout(Duration.ofSeconds(10))
        .build();
  }

  /**
   * Starts a registry serving {@code storageDir} on 127.0.0.1 and a free port. With the system property
   * {@code conformance.registry=http://host:port} the suites run against that registry instead (to check
   * the tests themselves against another implementation).
   */
  public static RegistryTestClient start(Path storageDir) {
    String url = System.getProperty("conformance.registry");
    if (url != null && !url.isBlank()) return new RegistryTestClient(null, URI.create(url));
    return new RegistryTestClient(PortcullisServer.start(ServerConfig.defaults().withPort(0).withStorageDir(storageDir)));
  }

  /** Starts a registry with the test defaults changed by {@code customize} (auth, gate...). */
  public static RegistryTestClient start(Path storageDir, java.util.function.UnaryOperator<ServerConfig> customize) {
    return new RegistryTestClient(PortcullisServer.start(
        customize.apply(ServerConfig.defaults().withPort(0).withStorageDir(storageDir))));
  }

  /** Drives a registry that runs elsewhere (another process) at {@code base}; closing does not stop it. */
  public static RegistryTestClient connect(URI base) { return new RegistryTestClient(null, base); }

  /** Drives an already started server (closed with this client). */
  public static RegistryTestClient of(PortcullisServer server) { return new RegistryTestClient(server); }

  public int port() { return external != null ? external.getPort() : server.port(); }

  public URI baseUri() { return external != null ? external : server.baseUri(); }

  /** {@code 127.0.0.1:PORT}, the registry part of an image reference. */
  public String hostPort() { return baseUri().getHost() + ":" + port(); }

  /** A repository name no other test uses, with two path segments: {@code <prefix>/r<N>}. */
  public static String newRepo(String prefix) { return prefix + "/r" + REPOS.incrementAndGet(); }

  @Override
  public void close() { if (server != null) server.close(); }

  // ---------------------------------------------------------------------------------------------
  // Raw HTTP

  /** One HTTP exchange, with the request kept for assertion messages. */
  public record Resp(String method, URI uri, int status, HttpHeaders headers, byte[] body) {
    public Optional<String> header(String name) { return headers.firstValue(name); }

    public String headerOrNull(String name) { return headers.firstValue(name).orElse(null); }

    public String text() { return new String(body, StandardCharsets.UTF_8); }

    public JsonNode json() {
      try {
        return Oci.JSON.readTree(body);
      } catch (IOException e) {
        throw new AssertionError("not JSON: " + this, e);
      }
    }

    /** The {@code code} of each entry in an OCI error body, in order (empty if the body is no such thing). */
    public List<String> errorCodes() {
      return Oci.errorCodes(body);
    }

    @Override
    public String toString() {
      String b = text();
      if (b.length() > 400) b = b.substring(0, 400) + "...";
      return method + " " + uri.getRawPath() + (uri.getRawQuery() == null ? "" : "?" + uri.getRawQuery())
          + " -> " + status + " " + headers.map() + " " + b;
    }
  }

  public Resp get(String path, String... headers) { return send("GET", path, BodyPublishers.noBody(), headers); }

  public Resp head(String path, String... headers) { return send("HEAD", path, BodyPublishers.noBody(), headers); }

  public Resp delete(String path, String... headers) { return send("DELETE", path, BodyPublishers.noBody(), headers); }

  public Resp post(String path, byte[] body, String... headers) { return send("POST", path, of(body), headers); }

  public Resp put(String path, byte[] body, String... headers) { return send("PUT", path, of(body), headers); }

  public Resp patch(String path, byte[] body, String... headers) { return send("PATCH", path, of(body), headers); }

  private static BodyPublisher of(byte[] body) {
    return body == null ? BodyPublishers.noBody() : BodyPublishers.ofByteArray(body);
  }

  /**
   * Sends {@code method} to {@code pathOrUrl} (a path on this registry, or an absolute URL as a
   * {@code Location} may be) with {@code headers} given as name, value, name, value...
   */
  public Resp send(String method, String pathOrUrl, BodyPublisher body, String... headers) {
    URI uri = resolve(pathOrUrl);
    HttpRequest.Builder b = HttpRequest.newBuilder(uri).timeout(Duration.ofMinutes(10)).method(method, body);
    for (int i = 0; i + 1 < headers.length; i += 2) b.header(headers[i], headers[i + 1]);
    try {
      HttpResponse<byte[]> r = http.send(b.build(), BodyHandlers.ofByteArray());
      return new Resp(method, uri, r.statusCode(), r.headers(), r.body() == null ? new byte[0] : r.body());
    } catch (IOException e) {
      throw new UncheckedIOException(method + " " + uri, e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  /** Sends a request and hands the response body over as a stream (for large downloads). */
  public HttpResponse<InputStream> stream(String method, String pathOrUrl, BodyPublisher body, String... headers)
      throws IOException, InterruptedException {
    HttpRequest.Builder b = HttpRequest.newBuilder(resolve(pathOrUrl)).timeout(Duration.ofMinutes(10)).method(method, body);
    for (int i = 0; i + 1 < headers.length; i += 2) b.header(headers[i], headers[i + 1]);
    return http.send(b.build(), BodyHandlers.ofInputStream());
  }

  /** A path on this registry, or an absolute URL (the spec lets a Location be either), as a URI. */
  public URI resolve(String pathOrUrl) {
    if (pathOrUrl.startsWith("http://") || pathOrUrl.startsWith("https://")) return URI.create(pathOrUrl);
    return URI.create(baseUri() + (pathOrUrl.startsWith("/") ? "" : "/") + pathOrUrl);
  }

  /** Appends a query parameter to a URL that may already have a query (an upload Location may). */
  public static String withQuery(String url, String name, String value) {
    return url + (url.contains("?") ? "&" : "?") + name + "=" + encode(value);
  }

  public static String encode(String s) { return java.net.URLEncoder.encode(s, StandardCharsets.UTF_8); }

  /** Raw bytes that came back on the wire for one HTTP/1.1 request (status line, headers, any body). */
  public record RawResponse(int status, String headerBlock, byte[] afterHeaders) {
    public Optional<String> header(String name) {
      for (String line : headerBlock.split("\r\n")) {
        int c = line.indexOf(':');
        if (c > 0 && line.substring(0, c).trim().equalsIgnoreCase(name)) return Optional.of(line.substring(c + 1).trim());
      }
      return Optional.empty();
    }
  }

  /**
   * Sends {@code HEAD path} over a bare socket with {@code Connection: close} and returns everything the
   * server wrote, so a test can see a body that an HTTP client would silently discard.
   */
  public RawResponse rawHead(String path) {
    try (Socket s = new Socket(baseUri().getHost(), port())) {
      s.setSoTimeout(15_000);
      OutputStream out = s.getOutputStream();
      out.write(("HEAD " + path + " HTTP/1.1\r\nHost: " + hostPort() + "\r\nAccept: " + Oci.ACCEPT_ALL
          + "\r\nConnection: close\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
      out.flush();
      ByteArrayOutputStream all = new ByteArrayOutputStream();
      s.getInputStream().transferTo(all);
      byte[] raw = all.toByteArray();
      String text = new String(raw, StandardCharsets.ISO_8859_1);
      int end = text.indexOf("\r\n\r\n");
      assertTrue(end > 0, "no end of headers in HEAD response: " + text);
      String head = text.substring(0, end);
      int status = Integer.parseInt(head.split(" ")[1]);
      byte[] rest = java.util.Arrays.copyOfRange(raw, end + 4, raw.length);
      return new RawResponse(status, head, rest);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  // ---------------------------------------------------------------------------------------------
  // Client workflows (each step asserted)

  /** Pushes {@code data} to {@code repo} by POST then PUT ?digest= and returns its sha256 digest. */
  public String uploadBlob(String repo, byte[] data) {
    String digest = Oci.sha256(data);
    Resp post = post("/v2/" + repo + "/blobs/uploads/", null);
    assertEquals(202, post.status(), () -> "start upload: " + post);
    String location = post.header("Location").orElseThrow(() -> new AssertionError("no Location: " + post));
    Resp put = put(withQuery(location, "digest", digest), data, "Content-Type", "application/octet-stream");
    assertEquals(201, put.status(), () -> "complete upload: " + put);
    return digest;
  }

  /** Uploads {@code data} and returns its descriptor with {@code mediaType}. */
  public Descriptor uploadBlob(String repo, String mediaType, byte[] data) {
    uploadBlob(repo, data);
    return Descriptor.of(mediaType, data);
  }

  public Resp putManifest(String repo, String reference, String mediaType, byte[] body) {
    return put("/v2/" + repo + "/manifests/" + reference, body, "Content-Type", mediaType);
  }

  /** Puts a manifest, asserts 201, and returns its descriptor. */
  public Descriptor pushManifest(String repo, String reference, String mediaType, byte[] body) {
    Resp r = putManifest(repo, reference, mediaType, body);
    assertEquals(201, r.status(), () -> "manifest PUT: " + r);
    return Descriptor.of(mediaType, body);
  }

  /** What {@link #pushImage} pushed: the blobs' bytes, the manifest bytes, and descriptors. */
  public record Image(String repo, byte[] config, List<byte[]> layers, byte[] manifest, String mediaType) {
    public String digest() { return Oci.sha256(manifest); }

    public Descriptor descriptor() { return Descriptor.of(mediaType, manifest); }
  }

  /** Pushes an OCI image of {@code layerCount} random layers (1 KiB to 64 KiB) tagged {@code tag} (null: by digest). */
  public Image pushImage(String repo, String tag, int layerCount) {
    return pushImage(repo, tag, layerCount, false);
  }

  public Image pushImage(String repo, String tag, int layerCount, boolean docker) {
    byte[] config = Oci.config("amd64");
    Oci.ManifestBuilder m = docker ? Oci.dockerManifest() : Oci.ociManifest();
    m.config(uploadBlob(repo, docker ? Oci.DOCKER_CONFIG : Oci.OCI_CONFIG, config));
    List<byte[]> layers = new ArrayList<>();
    for (int i = 0; i < layerCount; i++) {
      byte[] layer = Oci.randomBytes(1024 << (i % 7));
      layers.add(layer);
      m.layer(uploadBlob(repo, docker ? Oci.DOCKER_LAYER : Oci.OCI_LAYER, layer));
    }
    byte[] manifest = m.build();
    String mediaType = docker ? Oci.DOCKER_MANIFEST : Oci.OCI_MANIFEST;
    pushManifest(repo, tag != null ? tag : Oci.sha256(manifest), mediaType, manifest);
    return new Image(repo, config, layers, manifest, mediaType);
  }

  /** GET of a tags list page: the tags and the next-page URL from {@code Link}, if any. */
  public record Page(List<String> items, String next, Resp resp) {}

  public Page tagsPage(String url) {
    Resp r = get(url);
    assertEquals(200, r.status(), () -> "tags list: " + r);
    List<String> tags = new ArrayList<>();
    r.json().path("tags").forEach(t -> tags.add(t.asText()));
    return new Page(tags, nextLink(r), r);
  }

  public Page catalogPage(String url) {
    Resp r = get(url);
    assertEquals(200, r.status(), () -> "catalog: " + r);
    List<String> repos = new ArrayList<>();
    r.json().path("repositories").forEach(t -> repos.add(t.asText()));
    return new Page(repos, nextLink(r), r);
  }

  private static final Pattern LINK = Pattern.compile("<([^>]*)>\\s*;\\s*rel=\"?next\"?", Pattern.CASE_INSENSITIVE);

  /** The target of a {@code Link: <url>; rel="next"} header (RFC 5988), or null. */
  public static String nextLink(Resp r) {
    for (String v : r.headers().allValues("Link")) {
      Matcher m = LINK.matcher(v);
      if (m.find()) return m.group(1);
    }
    return null;
  }

  // ---------------------------------------------------------------------------------------------
  // Assertions shared by the suites

  /** Asserts {@code status} and an OCI error body whose entries include {@code code}. */
  public static void assertError(Resp r, int status, String code) {
    assertEquals(status, r.status(), () -> "status for " + code + ": " + r);
    assertErrorBody(r);
    assertTrue(r.errorCodes().contains(code), () -> "expected error code " + code + ": " + r);
  }

  /** The spec's error body: {"errors":[{"code":"UPPER_CASE","message":..,"detail":..}]}, JSON content type. */
  public static void assertErrorBody(Resp r) {
    String type = r.header("Content-Type").orElse("");
    assertTrue(type.toLowerCase(Locale.ROOT).startsWith("application/json"), () -> "error Content-Type: " + r);
    JsonNode errors = r.json().path("errors");
    assertTrue(errors.isArray() && errors.size() > 0, () -> "no errors array: " + r);
    for (JsonNode e : errors) {
      String code = e.path("code").asText("");
      assertTrue(code.matches("[A-Z_]+"), () -> "code must be upper case and underscores: " + r);
      assertTrue(ErrorCodes.ALL.contains(code), () -> "code not in the spec's list: " + code + " in " + r);
      assertTrue(!e.has("message") || e.get("message").isTextual(), () -> "message must be a string: " + r);
    }
  }

  /** Asserts a blob answers 200 with exactly {@code data}. */
  public void assertBlob(String repo, String digest, byte[] data) {
    Resp r = get("/v2/" + repo + "/blobs/" + digest);
    assertEquals(200, r.status(), () -> "blob GET: " + r);
    assertTrue(java.util.Arrays.equals(data, r.body()), () -> "blob bytes differ for " + digest + " (got " + r.body().length + " bytes)");
  }

  public static void assertLocation(Resp r) {
    assertNotNull(r.headerOrNull("Location"), () -> "Location header missing: " + r);
    assertFalse(r.headerOrNull("Location").isBlank(), () -> "Location header empty: " + r);
  }
}

package io.portcullis.attest.registry;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.portcullis.attest.discovery.ArtifactSource;
import io.portcullis.attest.discovery.ReferrerDescriptor;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A small OCI distribution client over {@code java.net.http}: manifests (GET/HEAD/PUT), blobs (GET,
 * HEAD, monolithic POST+PUT upload), tags and the referrers API. Anonymous, with the anonymous
 * bearer-token dance when a registry asks for it; {@code insecure} means plain HTTP.
 */
public final class RegistryClient implements ArtifactSource {
  public static final String ACCEPT_MANIFESTS = String.join(",",
      "application/vnd.oci.image.manifest.v1+json",
      "application/vnd.oci.image.index.v1+json",
      "application/vnd.docker.distribution.manifest.v2+json",
      "application/vnd.docker.distribution.manifest.list.v2+json");
  private static final long MAX_MANIFEST = 4 << 20;
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final int MAX_REFERRER_PAGES = 10;
  private static final Pattern NEXT_LINK = Pattern.compile("<([^>]+)>\\s*;\\s*rel=\"?next\"?");
  private static final Pattern CHALLENGE_PARAM = Pattern.compile("(\\w+)=\"([^\"]*)\"");

  /** A fetched manifest with its media type and digest. */
  public record Manifest(byte[] bytes, String mediaType, String digest) {}

  private final String base;
  private final HttpClient http;
  private volatile String token;

  public RegistryClient(String registry, boolean insecure) {
    this.base = (insecure ? "http://" : "https://") + registry;
    this.http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10))
        .followRedirects(HttpClient.Redirect.NORMAL).build();
  }

  // --- ArtifactSource ---

  @Override
  public Optional<byte[]> manifest(String repository, String reference) {
    try {
      return fetchManifest(repository, reference).map(Manifest::bytes);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  @Override
  public InputStream blob(String repository, String digest) throws IOException {
    HttpResponse<InputStream> r = send(get(url(repository, "blobs/" + digest)), HttpResponse.BodyHandlers.ofInputStream());
    if (r.statusCode() != 200) {
      String body = new String(r.body().readNBytes(1000), StandardCharsets.UTF_8);
      r.body().close();
      throw new RegistryException("GET blob " + digest, r.statusCode(), body);
    }
    return r.body();
  }

  /** Follows {@code Link: <...>; rel="next"} pages, at most {@value #MAX_REFERRER_PAGES} of them. */
  @Override
  public List<ReferrerDescriptor> referrers(String repository, String subjectDigest) {
    List<ReferrerDescriptor> out = new ArrayList<>();
    URI next = url(repository, "referrers/" + subjectDigest);
    try {
      for (int page = 0; next != null && page < MAX_REFERRER_PAGES; page++) {
        HttpResponse<byte[]> r = send(get(next).header("Accept", "application/vnd.oci.image.index.v1+json"),
            HttpResponse.BodyHandlers.ofByteArray());
        if (r.statusCode() != 200) {
          break;
        }
        for (JsonNode d : JSON.readTree(r.body()).path("manifests")) {
          Map<String, String> ann = new LinkedHashMap<>();
          d.path("annotations").fields().forEachRemaining(e -> ann.put(e.getKey(), e.getValue().asText()));
          out.add(new ReferrerDescriptor(d.path("mediaType").asText(), d.path("digest").asText(),
              d.path("size").asLong(), d.path("artifactType").asText(null), ann));
        }
        next = r.headers().firstValue("Link").map(this::nextLink).orElse(null);
      }
    } catch (IOException | RuntimeException e) {
      // a registry without (working) referrers support has no referrers for us
    }
    return out;
  }

  private URI nextLink(String link) {
    Matcher m = NEXT_LINK.matcher(link);
    return m.find() ? URI.create(base).resolve(m.group(1)) : null;
  }

  // --- further operations ---

  /** A manifest by tag or digest; empty on 404. The digest is computed from the bytes. */
  public Optional<Manifest> fetchManifest(String repository, String reference) throws IOException {
    HttpResponse<InputStream> r = send(get(url(repository, "manifests/" + reference)).header("Accept", ACCEPT_MANIFESTS),
        HttpResponse.BodyHandlers.ofInputStream());
    try (InputStream in = r.body()) {
      if (r.statusCode() == 404) {
        return Optional.empty();
      }
      byte[] body = in.readNBytes((int) MAX_MANIFEST + 1);
      if (r.statusCode() != 200) {
        throw new RegistryException("GET manifest " + repository + ":" + reference, r.statusCode(),
            new String(body, StandardCharsets.UTF_8));
      }
      if (body.length > MAX_MANIFEST) {
        throw new IOException("manifest " + reference + " larger than " + MAX_MANIFEST + " bytes");
      }
      String type = r.headers().firstValue("Content-Type").orElse("");
      return Optional.of(new Manifest(body, type, sha256(body)));
    }
  }

  /** What a HEAD of a manifest says: its media type, digest and size. */
  public record ManifestHead(String mediaType, String digest, long size) {}

  /**
   * A manifest's media type, digest and size from a HEAD request, without its content; empty on 404.
   * Gated registries answer a HEAD by digest even for artifacts whose pull they deny, so that they can be signed.
   */
  public Optional<ManifestHead> headManifest(String repository, String reference) throws IOException {
    HttpResponse<Void> r = send(HttpRequest.newBuilder(url(repository, "manifests/" + reference))
        .method("HEAD", HttpRequest.BodyPublishers.noBody()).header("Accept", ACCEPT_MANIFESTS), HttpResponse.BodyHandlers.discarding());
    if (r.statusCode() == 404) {
      return Optional.empty();
    }
    if (r.statusCode() != 200) {
      throw new RegistryException("HEAD manifest " + repository + ":" + reference, r.statusCode(), "");
    }
    String type = r.headers().firstValue("Content-Type").orElse("");
    String digest = r.headers().firstValue("Docker-Content-Digest").orElse("");
    long size = r.headers().firstValueAsLong("Content-Length").orElse(-1);
    if (type.isBlank() || digest.isBlank() || size < 0) {
      throw new IOException("HEAD manifest " + repository + ":" + reference + " lacks Content-Type, Docker-Content-Digest or Content-Length");
    }
    return Optional.of(new ManifestHead(type, digest, size));
  }

  public boolean blobExists(String repository, String digest) throws IOException {
    HttpResponse<Void> r = send(HttpRequest.newBuilder(url(repository, "blobs/" + digest))
        .method("HEAD", HttpRequest.BodyPublishers.noBody()), HttpResponse.BodyHandlers.discarding());
    return r.statusCode() == 200;
  }

  /** Uploads a blob monolithically (POST then PUT with the digest) unless it is already there. */
  public String pushBlob(String repository, byte[] content) throws IOException {
    String digest = sha256(content);
    if (blobExists(repository, digest)) {
      return digest;
    }
    HttpResponse<String> start = send(HttpRequest.newBuilder(url(repository, "blobs/uploads/"))
        .POST(HttpRequest.BodyPublishers.noBody()), HttpResponse.BodyHandlers.ofString());
    if (start.statusCode() != 202) {
      throw new RegistryException("POST blob upload", start.statusCode(), start.body());
    }
    String location = start.headers().firstValue("Location")
        .orElseThrow(() -> new IOException("blob upload without Location"));
    URI loc = URI.create(base).resolve(location);
    String sep = loc.getRawQuery() == null ? "?" : "&";
    URI put = URI.create(loc + sep + "digest=" + URLEncoder.encode(digest, StandardCharsets.UTF_8));
    HttpResponse<String> done = send(HttpRequest.newBuilder(put).header("Content-Type", "application/octet-stream")
        .PUT(HttpRequest.BodyPublishers.ofByteArray(content)), HttpResponse.BodyHandlers.ofString());
    if (done.statusCode() != 201) {
      throw new RegistryException("PUT blob " + digest, done.statusCode(), done.body());
    }
    return digest;
  }

  /** PUTs a manifest under a tag or its digest; returns its digest. */
  public String putManifest(String repository, String reference, String mediaType, byte[] manifest) throws IOException {
    HttpResponse<String> r = send(HttpRequest.newBuilder(url(repository, "manifests/" + reference))
        .header("Content-Type", mediaType).PUT(HttpRequest.BodyPublishers.ofByteArray(manifest)),
        HttpResponse.BodyHandlers.ofString());
    if (r.statusCode() != 201 && r.statusCode() != 200) {
      throw new RegistryException("PUT manifest " + repository + ":" + reference, r.statusCode(), r.body());
    }
    return sha256(manifest);
  }

  public List<String> tags(String repository) throws IOException {
    HttpResponse<byte[]> r = send(get(url(repository, "tags/list")), HttpResponse.BodyHandlers.ofByteArray());
    if (r.statusCode() == 404) {
      return List.of();
    }
    if (r.statusCode() != 200) {
      throw new RegistryException("GET tags " + repository, r.statusCode(), new String(r.body(), StandardCharsets.UTF_8));
    }
    List<String> out = new ArrayList<>();
    JSON.readTree(r.body()).path("tags").forEach(t -> out.add(t.asText()));
    return out;
  }

  // --- mechanics ---

  private URI url(String repository, String path) {
    return URI.create(base + "/v2/" + repository + "/" + path);
  }

  private static HttpRequest.Builder get(URI u) {
    return HttpRequest.newBuilder(u).GET();
  }

  private <T> HttpResponse<T> send(HttpRequest.Builder req, HttpResponse.BodyHandler<T> handler) throws IOException {
    try {
      req.timeout(Duration.ofSeconds(60));
      if (token != null) {
        req.header("Authorization", "Bearer " + token);
      }
      HttpRequest built = req.build();
      HttpResponse<T> r = http.send(built, handler);
      if (r.statusCode() == 401 && token == null) {
        String challenge = r.headers().firstValue("WWW-Authenticate").orElse("");
        if (challenge.regionMatches(true, 0, "Bearer ", 0, 7) && fetchAnonymousToken(challenge)) {
          closeQuietly(r);
          HttpRequest again = HttpRequest.newBuilder(built, (n, v) -> true)
              .header("Authorization", "Bearer " + token).build();
          return http.send(again, handler);
        }
      }
      return r;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IOException("interrupted", e);
    }
  }

  private boolean fetchAnonymousToken(String challenge) throws IOException, InterruptedException {
    Map<String, String> p = new LinkedHashMap<>();
    Matcher m = CHALLENGE_PARAM.matcher(challenge);
    while (m.find()) {
      p.put(m.group(1), m.group(2));
    }
    if (!p.containsKey("realm")) {
      return false;
    }
    StringBuilder u = new StringBuilder(p.get("realm"));
    String sep = u.indexOf("?") >= 0 ? "&" : "?";
    for (String k : List.of("service", "scope")) {
      if (p.containsKey(k)) {
        u.append(sep).append(k).append('=').append(URLEncoder.encode(p.get(k), StandardCharsets.UTF_8));
        sep = "&";
      }
    }
    HttpResponse<byte[]> r = http.send(HttpRequest.newBuilder(URI.create(u.toString())).GET().build(),
        HttpResponse.BodyHandlers.ofByteArray());
    if (r.statusCode() != 200) {
      return false;
    }
    JsonNode t = JSON.readTree(r.body());
    token = t.path("token").asText(t.path("access_token").asText(null));
    return token != null;
  }

  private static void closeQuietly(HttpResponse<?> r) {
    if (r.body() instanceof InputStream in) {
      try {
        in.close();
      } catch (IOException e) {
        // nothing to do
      }
    }
  }

  static String sha256(byte[] data) {
    try {
      return "sha256:" + HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(data));
    } catch (java.security.NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}

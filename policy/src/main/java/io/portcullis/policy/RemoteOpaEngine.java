package io.portcullis.policy;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Objects;
import java.util.Optional;

/**
 * Asks a remote OPA server through its REST Data API: {@code POST {base}/v1/data/{path}} with
 * {@code {"input": ...}}; an absent {@code result} means undefined. An unreachable server, a timeout,
 * a non-2xx status or an unreadable answer is a {@link PolicyException} (the gate denies).
 */
public final class RemoteOpaEngine implements PolicyEngine {
  private static final ObjectMapper JSON = new ObjectMapper()
      .enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS)
      .enable(DeserializationFeature.USE_BIG_INTEGER_FOR_INTS);
  private static final int MAX_RESPONSE_BYTES = 16 * 1024 * 1024;

  private final URI base;
  private final Duration timeout;
  private final HttpClient client;
  private final String revision;

  /**
   * @param baseUrl the OPA server, e.g. {@code http://localhost:8181}
   * @param timeout the time budget of one decision (connect plus response)
   */
  public RemoteOpaEngine(URI baseUrl, Duration timeout) {
    String s = baseUrl.toString();
    this.base = URI.create(s.endsWith("/") ? s.substring(0, s.length() - 1) : s);
    this.timeout = Objects.requireNonNull(timeout);
    this.client = HttpClient.newBuilder().connectTimeout(timeout).followRedirects(HttpClient.Redirect.NEVER).build();
    this.revision = "remote:" + this.base;
  }

  @Override
  public Optional<JsonNode> evaluate(String path, JsonNode input) throws PolicyException {
    String p = path.replace('.', '/').replaceAll("^/+|/+$", "");
    URI uri = URI.create(base + "/v1/data/" + p);
    ObjectNode body = JsonNodeFactory.instance.objectNode();
    if (input != null) body.set("input", input);
    HttpRequest request;
    try {
      request = HttpRequest.newBuilder(uri)
          .timeout(timeout)
          .header("Content-Type", "application/json")
          .header("Accept", "application/json")
          .POST(HttpRequest.BodyPublishers.ofByteArray(JSON.writeValueAsBytes(body)))
          .build();
    } catch (IOException e) {
      throw new PolicyException("opa_unavailable", "cannot encode input: " + e.getMessage(), null, e);
    }
    HttpResponse<byte[]> response;
    try {
      response = client.send(request, HttpResponse.BodyHandlers.ofByteArray());
    } catch (IOException e) {
      throw new PolicyException("opa_unavailable", "OPA at " + base + " unreachable: " + e, null, e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new PolicyException("opa_unavailable", "interrupted while asking OPA at " + base, null, e);
    }
    byte[] bytes = response.body();
    if (response.statusCode() / 100 != 2) {
      String text = new String(bytes, 0, Math.min(bytes.length, 2000), StandardCharsets.UTF_8);
      String code = "opa_unavailable";
      try {
        JsonNode err = JSON.readTree(bytes);
        if (err != null && err.hasNonNull("code")) code = err.get("code").asText();
      } catch (IOException ignored) {
        // not a JSON error body: keep the raw text
      }
      throw new PolicyException(code, "OPA at " + base + " answered " + response.statusCode() + ": " + text, null);
    }
    if (bytes.length > MAX_RESPONSE_BYTES) {
      throw new PolicyException("opa_unavailable", "OPA response larger than " + MAX_RESPONSE_BYTES + " bytes", null);
    }
    try {
      JsonNode answer = JSON.readTree(bytes);
      if (answer == null || !answer.isObject()) throw new PolicyException("opa_unavailable", "OPA answer is not a JSON object", null);
      return Optional.ofNullable(answer.get("result"));
    } catch (IOException e) {
      throw new PolicyException("opa_unavailable", "unreadable OPA answer: " + e.getMessage(), null, e);
    }
  }

  @Override
  public String revision() { return revision; }
}

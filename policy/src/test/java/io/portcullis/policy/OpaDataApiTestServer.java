package io.portcullis.policy;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.util.Optional;

/** A real HTTP server speaking OPA's Data API ({@code POST /v1/data/<path>}) backed by an embedded engine. */
final class OpaDataApiTestServer implements AutoCloseable {
  private static final ObjectMapper JSON = new ObjectMapper()
      .enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS)
      .enable(DeserializationFeature.USE_BIG_INTEGER_FOR_INTS);

  private final HttpServer server;
  private final PolicyEngine engine;

  OpaDataApiTestServer(PolicyEngine engine) throws IOException {
    this.engine = engine;
    this.server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    server.createContext("/v1/data", this::handle);
    server.start();
  }

  URI baseUri() {
    return URI.create("http://127.0.0.1:" + server.getAddress().getPort());
  }

  private void handle(HttpExchange ex) throws IOException {
    try (ex) {
      if (!ex.getRequestMethod().equals("POST")) {
        send(ex, 405, "{\"code\":\"invalid_method\",\"message\":\"use POST\"}");
        return;
      }
      String path = ex.getRequestURI().getPath().substring("/v1/data".length());
      JsonNode body;
      try (InputStream in = ex.getRequestBody()) {
        byte[] bytes = in.readAllBytes();
        body = bytes.length == 0 ? JSON.createObjectNode() : JSON.readTree(bytes);
      }
      try {
        Optional<JsonNode> result = engine.evaluate(path, body.get("input"));
        ObjectNode out = JSON.createObjectNode();
        result.ifPresent(r -> out.set("result", r));
        send(ex, 200, JSON.writeValueAsString(out));
      } catch (PolicyException e) {
        ObjectNode err = JSON.createObjectNode();
        err.put("code", "internal_error");
        err.put("message", e.getMessage());
        send(ex, 500, JSON.writeValueAsString(err));
      }
    }
  }

  private static void send(HttpExchange ex, int status, String body) throws IOException {
    byte[] bytes = body.getBytes(java.nio.charset.StandardCharsets.UTF_8);
    ex.getResponseHeaders().set("Content-Type", "application/json");
    ex.sendResponseHeaders(status, bytes.length);
    try (OutputStream out = ex.getResponseBody()) {
      out.write(bytes);
    }
  }

  @Override
  public void close() {
    server.stop(0);
  }
}

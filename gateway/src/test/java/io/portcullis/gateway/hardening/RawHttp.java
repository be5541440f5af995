package io.portcullis.gateway.hardening;

import io.portcullis.gateway.conformance.Oci;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * HTTP/1.1 over a bare socket, for requests that a normal client would refuse to send or would
 * normalise first: {@code ..} segments, encoded separators, raw bytes that are not UTF-8, oversized
 * request lines and headers. Each request uses its own connection ({@code Connection: close}) and the
 * answer is read until the server closes it.
 */
final class RawHttp {
  private final String host;
  private final int port;

  RawHttp(String host, int port) {
    this.host = host;
    this.port = port;
  }

  /** What came back: the status, the header block and the body (de-chunked). */
  record Answer(String request, int status, String headers, byte[] body) {
    Optional<String> header(String name) {
      for (String line : headers.split("\r\n")) {
        int c = line.indexOf(':');
        if (c > 0 && line.substring(0, c).trim().equalsIgnoreCase(name)) return Optional.of(line.substring(c + 1).trim());
      }
      return Optional.empty();
    }

    String text() { return new String(body, StandardCharsets.UTF_8); }

    /** The codes of an OCI error body, in order; empty when the body is not one. */
    List<String> errorCodes() {
      return Oci.errorCodes(body);
    }

    @Override
    public String toString() {
      String b = text();
      if (b.length() > 300) b = b.substring(0, 300) + "...";
      String req = request.length() > 200 ? request.substring(0, 200) + "..." : request;
      return req.replace("\r\n", " | ") + " -> " + status + " " + b;
    }
  }

  /** Sends {@code method target} with the extra header lines (each without CRLF) and an optional body. */
  Answer send(String method, String target, byte[] body, String... headerLines) {
    ByteArrayOutputStream req = new ByteArrayOutputStream();
    write(req, method + " ");
    // The target is sent byte for byte as given (ISO-8859-1 maps each char to one byte), so that a test
    // can put raw non-UTF-8 bytes on the request line.
    req.writeBytes(target.getBytes(StandardCharsets.ISO_8859_1));
    write(req, " HTTP/1.1\r\nHost: " + host + ":" + port + "\r\nConnection: close\r\n");
    for (String h : headerLines) write(req, h + "\r\n");
    if (body != null) write(req, "Content-Length: " + body.length + "\r\n");
    write(req, "\r\n");
    if (body != null) req.writeBytes(body);
    return exchange(method + " " + target, req.toByteArray());
  }

  Answer get(String target, String... headerLines) { return send("GET", target, null, headerLines); }

  /** Writes {@code request} as is and reads the answer until the server closes the connection. */
  Answer exchange(String description, byte[] request) {
    try (Socket s = new Socket(host, port)) {
      s.setSoTimeout(15_000);
      OutputStream out = s.getOutputStream();
      try {
        out.write(request);
        out.flush();
      } catch (IOException e) {
        // The server may answer and close before reading everything we send (an oversized request):
        // what it answered is still to be read.
      }
      return parse(description, readAll(s.getInputStream()));
    } catch (IOException e) {
      throw new UncheckedIOException(description, e);
    }
  }

  static byte[] readAll(InputStream in) throws IOException {
    ByteArrayOutputStream all = new ByteArrayOutputStream();
    byte[] buf = new byte[8192];
    try {
      int n;
      while ((n = in.read(buf)) >= 0) all.write(buf, 0, n);
    } catch (SocketTimeoutException e) {
      throw new AssertionError("the server neither answered nor closed the connection within the socket timeout; got so far: "
          + new String(all.toByteArray(), StandardCharsets.ISO_8859_1));
    } catch (IOException e) {
      // a reset after the answer (the server closed with unread request bytes): keep what arrived
      if (all.size() == 0) throw e;
    }
    return all.toByteArray();
  }

  static Answer parse(String description, byte[] raw) {
    String text = new String(raw, StandardCharsets.ISO_8859_1);
    int end = text.indexOf("\r\n\r\n");
    if (!text.startsWith("HTTP/1.1 ") || end < 0) throw new AssertionError("no HTTP answer to " + description + ": " + text);
    String head = text.substring(0, end);
    int status = Integer.parseInt(head.substring(9, 12));
    byte[] rest = Arrays.copyOfRange(raw, end + 4, raw.length);
    boolean chunked = head.toLowerCase(Locale.ROOT).contains("transfer-encoding: chunked");
    return new Answer(description, status, head, chunked ? dechunk(rest) : rest);
  }

  private static byte[] dechunk(byte[] in) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    int i = 0;
    while (i < in.length) {
      int lineEnd = indexOf(in, i);
      if (lineEnd < 0) break;
      String sizeText = new String(in, i, lineEnd - i, StandardCharsets.ISO_8859_1).split(";")[0].trim();
      int size = Integer.parseInt(sizeText, 16);
      if (size == 0) break;
      out.write(in, lineEnd + 2, Math.min(size, in.length - lineEnd - 2));
      i = lineEnd + 2 + size + 2;
    }
    return out.toByteArray();
  }

  private static int indexOf(byte[] in, int from) {
    for (int i = from; i + 1 < in.length; i++) {
      if (in[i] == '\r' && in[i + 1] == '\n') return i;
    }
    return -1;
  }

  private static void write(ByteArrayOutputStream out, String ascii) { out.writeBytes(ascii.getBytes(StandardCharsets.ISO_8859_1)); }
}

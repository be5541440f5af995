package io.portcullis.bench;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * One HTTP/1.1 exchange over a plain socket ({@code Connection: close}), for the blob bodies: the
 * request body is streamed from an {@link InputStream} and the response body is read to the end and
 * counted, through 1 MiB buffers. {@link java.net.http.HttpClient} hands bodies through small buffers and
 * a thread hop, which on this machine caps a loopback transfer at roughly half of what curl gets from
 * nginx; the blob workloads measure the servers, so they use this instead.
 */
final class RawHttp {
  record Response(int status, Map<String, String> headers, long bodyBytes) {
    String header(String name) {
      return headers.get(name.toLowerCase(Locale.ROOT));
    }
  }

  private static final int BUFFER = 1 << 20;
  private static final int READ_TIMEOUT_MILLIS = 30_000;

  private RawHttp() {}

  /**
   * Sends {@code method url} with the given headers and, if {@code body} is not null, exactly
   * {@code length} bytes from it; reads the whole response. Fails if it takes longer than
   * {@code maxMillis} in all or any read stalls for 30 s.
   */
  static Response exchange(String method, URI url, Map<String, String> headers, InputStream body, long length,
      long maxMillis) throws IOException {
    long deadline = System.nanoTime() + maxMillis * 1_000_000L;
    try (Socket socket = new Socket()) {
      socket.connect(new InetSocketAddress(url.getHost(), url.getPort()), 5000);
      socket.setSoTimeout(READ_TIMEOUT_MILLIS);
      socket.setTcpNoDelay(true);
      StringBuilder head = new StringBuilder();
      String target = url.getRawPath() + (url.getRawQuery() == null ? "" : "?" + url.getRawQuery());
      head.append(method).append(' ').append(target).append(" HTTP/1.1\r\n");
      head.append("Host: ").append(url.getHost()).append(':').append(url.getPort()).append("\r\n");
      for (Map.Entry<String, String> h : headers.entrySet()) {
        head.append(h.getKey()).append(": ").append(h.getValue()).append("\r\n");
      }
      if (body != null || method.equals("PUT") || method.equals("PATCH") || method.equals("POST")) {
        head.append("Content-Length: ").append(body == null ? 0 : length).append("\r\n");
      }
      head.append("Connection: close\r\n\r\n");
      OutputStream out = socket.getOutputStream();
      out.write(head.toString().getBytes(StandardCharsets.US_ASCII));
      byte[] buf = new byte[BUFFER];
      if (body != null) {
        long sent = 0;
        while (sent < length) {
          int n = body.read(buf, 0, (int) Math.min(buf.length, length - sent));
          if (n < 0) {
            throw new IOException("request body ended after " + sent + " of " + length + " bytes");
          }
          out.write(buf, 0, n);
          sent += n;
          checkDeadline(deadline, url);
        }
      }
      out.flush();

      InputStream in = socket.getInputStream();
      int filled = 0;
      int headerEnd = -1;
      while (headerEnd < 0) {
        int n = in.read(buf, filled, buf.length - filled);
        if (n < 0) {
          throw new IOException("connection closed before the response headers of " + method + " " + url);
        }
        for (int i = Math.max(0, filled - 3); i + 3 < filled + n; i++) {
          if (buf[i] == '\r' && buf[i + 1] == '\n' && buf[i + 2] == '\r' && buf[i + 3] == '\n') {
            headerEnd = i + 4;
            break;
          }
        }
        filled += n;
        if (headerEnd < 0 && filled == buf.length) {
          throw new IOException("response headers of " + method + " " + url + " are over 1 MiB");
        }
      }
      String[] lines = new String(buf, 0, headerEnd, StandardCharsets.ISO_8859_1).split("\r\n");
      int status = Integer.parseInt(lines[0].split(" ")[1]);
      Map<String, String> responseHeaders = new LinkedHashMap<>();
      for (int i = 1; i < lines.length; i++) {
        int colon = lines[i].indexOf(':');
        if (colon > 0) {
          responseHeaders.put(lines[i].substring(0, colon).trim().toLowerCase(Locale.ROOT), lines[i].substring(colon + 1).trim());
        }
      }
      if ("chunked".equalsIgnoreCase(responseHeaders.get("transfer-encoding"))) {
        throw new IOException(method + " " + url + ": chunked response bodies are not handled here");
      }
      long count = filled - headerEnd;
      if (!method.equals("HEAD")) {
        int n;
        while ((n = in.read(buf)) > 0) {
          count += n;
          checkDeadline(deadline, url);
        }
      }
      return new Response(status, responseHeaders, count);
    }
  }

  private static void checkDeadline(long deadline, URI url) throws IOException {
    if (System.nanoTime() > deadline) {
      throw new IOException("gave up on " + url + ": over the time limit");
    }
  }
}

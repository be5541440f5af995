package io.portcullis.attest.registry;

import java.io.IOException;

/** A registry answered with an unexpected status; says which operation and what came back. */
public final class RegistryException extends IOException {
  private final int status;

  public RegistryException(String action, int status, String body) {
    super(action + " failed: HTTP " + status + (body == null || body.isBlank() ? "" : ": " + abbreviate(body)));
    this.status = status;
  }

  public int status() {
    return status;
  }

  private static String abbreviate(String s) {
    return s.length() > 300 ? s.substring(0, 300) + "..." : s;
  }
}

package io.portcullis.attest.verify;

import io.portcullis.attest.report.Reason;

/** The result of one check: passed, or failed with a reason and an explanation. */
public record Check(Reason reason, String detail) {
  public static final Check OK = new Check(null, null);

  public static Check fail(Reason reason, String detail) {
    return new Check(reason, detail);
  }

  public boolean passed() {
    return reason == null;
  }
}

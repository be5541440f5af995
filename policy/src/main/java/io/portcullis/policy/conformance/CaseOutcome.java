package io.portcullis.policy.conformance;

/** The result of running one case: passed, failed (with what was expected and what came), or skipped (with why). */
public record CaseOutcome(ConformanceCase testCase, Status status, String expected, String got) {
  public enum Status { PASSED, FAILED, SKIPPED }

  public static CaseOutcome passed(ConformanceCase c) { return new CaseOutcome(c, Status.PASSED, null, null); }
  public static CaseOutcome failed(ConformanceCase c, String expected, String got) { return new CaseOutcome(c, Status.FAILED, expected, got); }
  public static CaseOutcome skipped(ConformanceCase c, String reason) { return new CaseOutcome(c, Status.SKIPPED, null, reason); }
}

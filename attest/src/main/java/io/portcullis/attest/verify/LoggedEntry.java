package io.portcullis.attest.verify;

import com.fasterxml.jackson.databind.JsonNode;
import io.portcullis.attest.report.TimestampSource;
import java.time.Instant;

/**
 * A transparency-log entry whose log signature verified: its decoded body (to compare with the
 * evidence), and the trusted integrated time when the log vouches for one.
 */
public record LoggedEntry(JsonNode body, Instant integratedTime, TimestampSource source, long logIndex) {}

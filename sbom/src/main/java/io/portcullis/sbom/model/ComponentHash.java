package io.portcullis.sbom.model;

/** One checksum of a component, e.g. {@code SHA-256} and its lower-case hex value. */
public record ComponentHash(String algorithm, String value) {}

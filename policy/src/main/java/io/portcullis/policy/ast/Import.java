package io.portcullis.policy.ast;

/** {@code import data.x.y as z}: {@code path} is the reference, {@code alias} the local name. */
public record Import(Term.Ref path, String alias, Location location) {}

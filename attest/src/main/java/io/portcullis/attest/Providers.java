package io.portcullis.attest;

import java.security.Provider;

/**
 * The one BouncyCastle provider instance the project uses, passed explicitly where it is wanted (never
 * installed globally): a provider is costly to build, and one is enough for every thread.
 */
public final class Providers {
  public static final Provider BOUNCY_CASTLE = new org.bouncycastle.jce.provider.BouncyCastleProvider();

  private Providers() {}
}

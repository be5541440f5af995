package io.portcullis.bench;

import java.io.IOException;
import java.io.InputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.SplittableRandom;

/**
 * Blob content made from a seed and a size, produced as a stream and never held whole in memory.
 *
 * <p>A 64 KiB block of pseudo-random bytes is drawn once from the seed; block number {@code i} of the
 * blob is that block with its first 16 bytes replaced by {@code i} and the seed, so every block of every
 * blob differs and producing the bytes costs only a copy. The digest is computed once, by reading the
 * stream, before the blob is pushed (a monolithic PUT must name it).
 */
final class GeneratedBlob {
  static final int BLOCK = 64 * 1024;

  final long seed;
  final long size;
  private final byte[] base = new byte[BLOCK];
  private String digest;

  GeneratedBlob(long seed, long size) {
    this.seed = seed;
    this.size = size;
    new SplittableRandom(seed).nextBytes(base);
  }

  InputStream open() {
    return new BlobStream();
  }

  synchronized String digest() {
    if (digest == null) {
      MessageDigest sha = sha256();
      byte[] buf = new byte[1 << 20];
      try (InputStream in = open()) {
        int n;
        while ((n = in.read(buf)) > 0) {
          sha.update(buf, 0, n);
        }
      } catch (IOException e) {
        throw new IllegalStateException(e);
      }
      digest = "sha256:" + HexFormat.of().formatHex(sha.digest());
    }
    return digest;
  }

  /** The whole content; only for small blobs (manifests' config and layers, the mixed workload's 1 MiB). */
  byte[] bytes() {
    if (size > 16L << 20) {
      throw new IllegalStateException("refusing to hold a " + size + " byte blob in memory");
    }
    byte[] all = new byte[(int) size];
    try (InputStream in = open()) {
      int off = 0;
      while (off < all.length) {
        off += in.read(all, off, all.length - off);
      }
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
    return all;
  }

  static MessageDigest sha256() {
    try {
      return MessageDigest.getInstance("SHA-256");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  static String digestOf(byte[] data) {
    return "sha256:" + HexFormat.of().formatHex(sha256().digest(data));
  }

  private final class BlobStream extends InputStream {
    private final byte[] block = base.clone();
    private long position;
    private long blockIndex = -1;

    @Override
    public int read(byte[] b, int off, int len) {
      if (position >= size) {
        return -1;
      }
      if (len == 0) {
        return 0;
      }
      long index = position / BLOCK;
      if (index != blockIndex) {
        stamp(index);
      }
      int inBlock = (int) (position % BLOCK);
      int n = (int) Math.min(Math.min(len, BLOCK - inBlock), size - position);
      System.arraycopy(block, inBlock, b, off, n);
      position += n;
      return n;
    }

    @Override
    public int read() {
      byte[] one = new byte[1];
      return read(one, 0, 1) < 0 ? -1 : one[0] & 0xff;
    }

    private void stamp(long index) {
      for (int i = 0; i < 8; i++) {
        block[i] = (byte) (index >>> (8 * i));
        block[8 + i] = (byte) (seed >>> (8 * i));
      }
      blockIndex = index;
    }
  }
}

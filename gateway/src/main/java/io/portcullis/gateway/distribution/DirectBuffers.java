package io.portcullis.gateway.distribution;

import java.nio.ByteBuffer;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A bounded set of reusable direct buffers. Direct memory is freed only when the garbage collector
 * notices its buffer is gone, which a server with a quiet heap rarely does, so buffers are made once and
 * reused; borrowing never blocks and never allocates beyond the bound (null: do without).
 */
final class DirectBuffers {
  private final int bufferBytes;
  private final int max;
  private final AtomicInteger created = new AtomicInteger();
  private final BlockingQueue<ByteBuffer> idle;

  DirectBuffers(int max, int bufferBytes) {
    this.max = max;
    this.bufferBytes = bufferBytes;
    this.idle = new ArrayBlockingQueue<>(max);
  }

  /** An idle buffer, a new one while fewer than the bound exist, or null when all are in use. */
  ByteBuffer borrow() {
    ByteBuffer b = idle.poll();
    if (b != null) return b;
    if (created.incrementAndGet() <= max) return ByteBuffer.allocateDirect(bufferBytes);
    created.decrementAndGet();
    return null;
  }

  /** Returns a borrowed buffer (null is ignored). */
  void giveBack(ByteBuffer b) {
    if (b != null) idle.offer(b);
  }
}

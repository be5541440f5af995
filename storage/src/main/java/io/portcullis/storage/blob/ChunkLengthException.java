package io.portcullis.storage.blob;

import java.io.IOException;

/** A chunk whose length is not the one announced (by its Content-Range); it was not kept. */
public final class ChunkLengthException extends IOException {
  public ChunkLengthException(long announced, long received) {
    super("the chunk was announced as " + announced + " bytes but " + (received > announced ? "more" : received + "") + " arrived");
  }
}

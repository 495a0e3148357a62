package io.sightline.logstore;

/** The head holds {@code storage.logs.max_head_bytes} of lines not yet in chunks; the sender should retry later. */
public final class HeadFullException extends java.io.IOException {
  public HeadFullException(long limit) {
    super("log store head is full (" + limit + " bytes not yet written to chunks); retry later");
  }
}

package io.sightline.collector.receiver.loki;

/**
 * The answer to a push, as Loki gives it: 204 with no message when everything was stored; otherwise the status and
 * the plain-text message (400 also when the valid streams were stored and others were not).
 */
public record PushResult(int status, String message) {
  static final PushResult NO_CONTENT = new PushResult(204, "");

  public boolean isSuccess() {
    return status == 204;
  }
}

package io.sightline.collector.pipeline;

/**
 * The end of a pipeline: an embedded store, a remote endpoint, or the log. One instance per id and signal serves every
 * pipeline that names it. Its futures complete only once the batch is durable (see {@link Consumer}).
 */
public interface Exporter<T extends Telemetry> extends Consumer<T>, Component {

  /**
   * True when the exporter counts {@code otelcol_exporter_sent_*} and {@code otelcol_exporter_send_failed_*} itself:
   * an exporter with a sending queue takes a batch long before it is sent, so only it knows when that happens.
   */
  default boolean countsItsOwnSends() {
    return false;
  }
}

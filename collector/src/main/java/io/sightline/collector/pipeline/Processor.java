package io.sightline.collector.pipeline;

/** A pipeline stage between receivers and exporters; each pipeline has its own instance. */
public interface Processor<T extends Telemetry> extends Consumer<T>, Component {

  /** A stateless processor that rewrites each batch with {@code transform} and hands it on. */
  static <T extends Telemetry> Processor<T> transforming(Consumer<T> next, java.util.function.UnaryOperator<T> transform) {
    return batch -> next.consume(transform.apply(batch));
  }
}

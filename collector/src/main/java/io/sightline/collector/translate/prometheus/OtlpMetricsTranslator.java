package io.sightline.collector.translate.prometheus;

import io.opentelemetry.proto.metrics.v1.DataPointFlags;
import io.opentelemetry.proto.metrics.v1.ResourceMetrics;
import java.util.List;

/**
 * Translates OTLP metrics into Prometheus series exactly as Prometheus 3's OTLP endpoint does, reporting the result
 * to a {@link PrometheusSink}:
 *
 * <pre>
 *   resource {service.namespace=shop, service.name=cart, service.instance.id=i-1, host.name=h}
 *     scope metrics
 *       http.server.request.duration (histogram, unit s), point {http.route=/a}: bounds [0.1, 1], counts [1, 2, 0]
 *   ↓
 *   http_server_request_duration_seconds_bucket{http_route="/a", job="shop/cart", instance="i-1", le="0.1"}   1
 *   http_server_request_duration_seconds_bucket{..., le="1"}    3
 *   http_server_request_duration_seconds_bucket{..., le="+Inf"} 3
 *   http_server_request_duration_seconds_sum{...}, http_server_request_duration_seconds_count{...}
 *   target_info{job="shop/cart", instance="i-1", host_name="h"} 1
 * </pre>
 *
 * <p>Delta sums and histograms are made cumulative first (see {@link DeltaToCumulative}); delta exponential
 * histograms are passed on as they are, with the reset hint {@code GAUGE}, as Prometheus ingests them natively.
 * Points that cannot be translated are reported through {@link PrometheusSink#dropped}; nothing in the input makes
 * {@link #translate} throw. Thread-safe.
 */
public final class OtlpMetricsTranslator {
  static final long NANOS_PER_MILLI = 1_000_000L;

  private final TranslatorConfig config;
  private final MetricNamer metricNamer;
  private final DeltaToCumulative deltas;

  public OtlpMetricsTranslator(TranslatorConfig config) {
    this.config = config;
    this.metricNamer = new MetricNamer(config.namespace(), config.translationStrategy());
    this.deltas = new DeltaToCumulative(config.deltaToCumulativeMaxStreams());
  }

  /** Translates one batch; {@code sink} sees everything before this returns. */
  public void translate(List<ResourceMetrics> batch, PrometheusSink sink) {
    TranslationRun run = new TranslationRun(config, metricNamer, deltas, sink);
    for (ResourceMetrics rm : batch) {
      run.resource(rm);
    }
  }

  /** Delta streams with a running total now. */
  public int deltaStreams() {
    return deltas.streams();
  }

  /** Delta streams forgotten so far because there were more than {@code delta_to_cumulative.max_streams}. */
  public long evictedDeltaStreams() {
    return deltas.evicted();
  }

  public TranslatorConfig config() {
    return config;
  }

  static boolean noRecordedValue(int flags) {
    return (flags & DataPointFlags.DATA_POINT_FLAGS_NO_RECORDED_VALUE_MASK_VALUE) != 0;
  }

  static long millis(long unixNanos) {
    return unixNanos / NANOS_PER_MILLI;
  }
}

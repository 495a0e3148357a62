package io.sightline.collector.remotewrite;

import io.prometheus.metrics.core.datapoints.CounterDataPoint;
import io.prometheus.metrics.core.datapoints.DistributionDataPoint;
import io.prometheus.metrics.core.datapoints.GaugeDataPoint;
import io.prometheus.metrics.core.metrics.Counter;
import io.prometheus.metrics.core.metrics.Gauge;
import io.prometheus.metrics.core.metrics.Histogram;
import io.prometheus.metrics.model.registry.PrometheusRegistry;

/**
 * The remote-write queues' own metrics under Prometheus' names ({@code storage/remote/queue_manager.go}), one series
 * per queue labelled {@code remote_name} and {@code url}, registered once per registry. Prometheus counts a request's
 * samples in {@code samples_total} at every attempt, retries included, and so does Sightline.
 */
public final class RemoteWriteMetrics {
  private static final String PREFIX = "prometheus_remote_storage_";
  /** Prometheus' {@code DefBuckets} and 25s, 60s, 120s, 300s. */
  private static final double[] SEND_DURATION_BUCKETS = {.005, .01, .025, .05, .1, .25, .5, 1, 2.5, 5, 10, 25, 60,
      120, 300};

  private final Counter samples;
  private final Counter exemplars;
  private final Counter metadata;
  private final Counter samplesFailed;
  private final Counter exemplarsFailed;
  private final Counter metadataFailed;
  private final Counter samplesRetried;
  private final Counter exemplarsRetried;
  private final Counter metadataRetried;
  private final Counter samplesDropped;
  private final Counter exemplarsDropped;
  private final Counter bytes;
  private final Counter metadataBytes;
  private final Gauge samplesPending;
  private final Gauge exemplarsPending;
  private final Gauge highestSent;
  private final Gauge maxSamplesPerSend;
  private final Histogram sendDuration;
  final CounterDataPoint samplesIn;
  final CounterDataPoint exemplarsIn;

  public RemoteWriteMetrics(PrometheusRegistry registry) {
    samples = counter(registry, "samples", "Total number of samples sent to remote storage.");
    exemplars = counter(registry, "exemplars", "Total number of exemplars sent to remote storage.");
    metadata = counter(registry, "metadata", "Total number of metadata entries sent to remote storage.");
    samplesFailed = counter(registry, "samples_failed",
        "Total number of samples which failed on send to remote storage, non-recoverable errors.");
    exemplarsFailed = counter(registry, "exemplars_failed",
        "Total number of exemplars which failed on send to remote storage, non-recoverable errors.");
    metadataFailed = counter(registry, "metadata_failed",
        "Total number of metadata entries which failed on send to remote storage, non-recoverable errors.");
    samplesRetried = counter(registry, "samples_retried", "Total number of samples which failed on send to remote "
        + "storage but were retried because the send error was recoverable.");
    exemplarsRetried = counter(registry, "exemplars_retried", "Total number of exemplars which failed on send to "
        + "remote storage but were retried because the send error was recoverable.");
    metadataRetried = counter(registry, "metadata_retried", "Total number of metadata entries which failed on send "
        + "to remote storage but were retried because the send error was recoverable.");
    samplesDropped = counter(registry, "samples_dropped", "Total number of samples which were dropped before being "
        + "sent via remote write: by write relabelling, for being older than sample_age_limit, as the oldest of a "
        + "full in-memory queue, or left unsent at shutdown.");
    exemplarsDropped = counter(registry, "exemplars_dropped", "Total number of exemplars which were dropped before "
        + "being sent via remote write, for the same reasons as samples.");
    bytes = counter(registry, "bytes", "The total number of bytes of data (not metadata) sent by the queue after "
        + "compression.");
    metadataBytes = counter(registry, "metadata_bytes",
        "The total number of bytes of metadata sent by the queue after compression.");
    samplesPending = gauge(registry, "samples_pending",
        "The number of samples pending in the queue to be sent to the remote storage.");
    exemplarsPending = gauge(registry, "exemplars_pending",
        "The number of exemplars pending in the queue to be sent to the remote storage.");
    highestSent = gauge(registry, "queue_highest_sent_timestamp_seconds", "Highest timestamp successfully sent by "
        + "this queue, in seconds since epoch. Initialized to 0 when no data has been sent yet.");
    maxSamplesPerSend = gauge(registry, "max_samples_per_send",
        "The maximum number of samples to be sent, in a single request, to the remote storage.");
    sendDuration = Histogram.builder().name(PREFIX + "sent_batch_duration_seconds")
        .help("Duration of send calls to the remote storage.").classicOnly()
        .classicUpperBounds(SEND_DURATION_BUCKETS).labelNames("remote_name", "url").register(registry);
    samplesIn = Counter.builder().name(PREFIX + "samples_in")
        .help("Samples in to remote storage, compare to samples out for queue managers.").register(registry)
        .labelValues();
    exemplarsIn = Counter.builder().name(PREFIX + "exemplars_in")
        .help("Exemplars in to remote storage, compare to exemplars out for queue managers.").register(registry)
        .labelValues();
  }

  private static Counter counter(PrometheusRegistry registry, String name, String help) {
    return Counter.builder().name(PREFIX + name).help(help).labelNames("remote_name", "url").register(registry);
  }

  private static Gauge gauge(PrometheusRegistry registry, String name, String help) {
    return Gauge.builder().name(PREFIX + name).help(help).labelNames("remote_name", "url").register(registry);
  }

  /** One queue's series; {@code maxPerSend} is told in its {@code max_samples_per_send} gauge. */
  Queue queue(String remoteName, String url, int maxPerSend) {
    String[] l = {remoteName, url};
    Queue q = new Queue(samples.labelValues(l), exemplars.labelValues(l), metadata.labelValues(l),
        samplesFailed.labelValues(l), exemplarsFailed.labelValues(l), metadataFailed.labelValues(l),
        samplesRetried.labelValues(l), exemplarsRetried.labelValues(l), metadataRetried.labelValues(l),
        samplesDropped.labelValues(l), exemplarsDropped.labelValues(l), bytes.labelValues(l),
        metadataBytes.labelValues(l), samplesPending.labelValues(l), exemplarsPending.labelValues(l),
        highestSent.labelValues(l), sendDuration.labelValues(l));
    maxSamplesPerSend.labelValues(l).set(maxPerSend);
    return q;
  }

  /** The data points of one queue. */
  record Queue(CounterDataPoint samples, CounterDataPoint exemplars, CounterDataPoint metadata,
      CounterDataPoint samplesFailed, CounterDataPoint exemplarsFailed, CounterDataPoint metadataFailed,
      CounterDataPoint samplesRetried, CounterDataPoint exemplarsRetried, CounterDataPoint metadataRetried,
      CounterDataPoint samplesDropped, CounterDataPoint exemplarsDropped, CounterDataPoint bytes,
      CounterDataPoint metadataBytes, GaugeDataPoint samplesPending, GaugeDataPoint exemplarsPending,
      GaugeDataPoint highestSentTimestamp, DistributionDataPoint sendDuration) {}
}

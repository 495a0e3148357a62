/**
 * Loki's ways in, without a store: {@code POST /loki/api/v1/push} bodies (JSON and snappy protobuf, decoded in one
 * pass), OTLP logs through {@code translate.loki}, and the distributor between them and a {@link
 * io.sightline.collector.receiver.loki.LogSink}: label parsing, Loki's validation and limits with its messages and
 * status codes, {@code service_name} discovery and {@code detected_level}, the ingestion rate limit. The server binds
 * the sink to the log store and mounts {@link io.sightline.collector.receiver.loki.LokiPushService} and {@link
 * io.sightline.collector.receiver.loki.OtlpLogsService}.
 */
package io.sightline.collector.receiver.loki;

/**
 * OTLP logs → Loki: Loki 3's default mapping of resources, scopes and records to streams, lines and structured
 * metadata ({@link io.sightline.collector.translate.loki.OtlpLogsTranslator}), configured as Loki's
 * {@code otlp_config} ({@link io.sightline.collector.translate.loki.OtlpLogsConfig}). Knows no store: it hands
 * entries to a callback.
 */
package io.sightline.collector.translate.loki;

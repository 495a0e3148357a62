/** Tempo's span metrics processor: calls, latency and size per service, span name, kind and status. */
package io.sightline.collector.generator.spanmetrics;

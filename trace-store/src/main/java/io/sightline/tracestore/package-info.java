/**
 * The trace store's SPI, the only package other modules use: {@link io.sightline.tracestore.TraceStore} (append
 * through a {@link io.sightline.tracestore.SpanAppender}, read a trace by id, fetch traces that may match
 * {@link io.sightline.tracestore.Condition}s), its config and its stats.
 */
package io.sightline.tracestore;

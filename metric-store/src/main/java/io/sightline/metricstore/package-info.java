/**
 * The metric store's public face: {@link io.sightline.metricstore.MetricStore}, its {@link
 * io.sightline.metricstore.Appender} (durable on commit) and {@link io.sightline.metricstore.Querier}. Everything
 * in sub-packages is an implementation detail.
 */
package io.sightline.metricstore;

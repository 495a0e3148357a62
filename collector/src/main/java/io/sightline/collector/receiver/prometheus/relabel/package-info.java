/**
 * Prometheus relabeling ({@code relabel_configs}, {@code metric_relabel_configs}): the config, and rules applied to
 * label sets with Prometheus' semantics, Go's {@code $1}/{@code ${name}} expansion included.
 */
package io.sightline.collector.receiver.prometheus.relabel;

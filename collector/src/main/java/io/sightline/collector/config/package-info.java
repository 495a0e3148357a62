/**
 * Configuration files in the OpenTelemetry Collector's shape: a YAML tree that remembers where each value
 * came from, so that a wrong key or type fails at start with the file, line and key named.
 */
package io.sightline.collector.config;

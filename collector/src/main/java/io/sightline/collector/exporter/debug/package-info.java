/** The Collector's {@code debug} exporter: writes what passes through a pipeline to the log. */
package io.sightline.collector.exporter.debug;

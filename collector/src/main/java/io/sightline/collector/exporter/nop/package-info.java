/** The Collector's {@code nop} exporter: takes everything and keeps nothing, for measuring the receive path alone. */
package io.sightline.collector.exporter.nop;

/** Series state of generated metrics (counters, classic histograms with exemplars, gauges), written out every collection interval. */
package io.sightline.collector.generator.registry;

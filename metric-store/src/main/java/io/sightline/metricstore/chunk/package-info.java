/** Sample encodings of the metric store: Prometheus' Gorilla XOR chunk, bit for bit. */
package io.sightline.metricstore.chunk;

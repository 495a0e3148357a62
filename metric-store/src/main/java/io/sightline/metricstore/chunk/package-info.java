/**
 * Sample encodings of the metric store: {@link io.sightline.metricstore.chunk.XorChunk}, Prometheus' Gorilla XOR
 * chunk, byte for byte, over a bit stream ({@code BitWriter}, {@code BitReader}) that mirrors Prometheus'
 * {@code bstream}. Byte-for-byte rather than merely equivalent, so that chunks can be exchanged with Prometheus and
 * compared against its output in tests. JDK only: no dependency reaches into this package. The layout is drawn in
 * {@code metric-store/FORMAT.md}.
 */
package io.sightline.metricstore.chunk;

/** What the generator's processors read from OTLP spans, with Tempo's conversions of attribute values and label names. */
package io.sightline.collector.generator.spans;

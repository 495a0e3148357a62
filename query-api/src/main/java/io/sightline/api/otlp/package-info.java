/** What the trace APIs share about OTLP data: ids in hex, attribute values as the Collector renders them. */
package io.sightline.api.otlp;

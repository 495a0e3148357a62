/**
 * The Collector's {@code attributes} processor: insert, update, upsert, delete or hash attributes of spans, log
 * records and metric data points. {@link io.sightline.collector.processor.attributes.AttributeActions} is shared with
 * the {@code resource} processor.
 */
package io.sightline.collector.processor.attributes;

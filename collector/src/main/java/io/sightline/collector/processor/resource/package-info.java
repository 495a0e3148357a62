/** The Collector's {@code resource} processor: the attribute actions applied to each batch's resources. */
package io.sightline.collector.processor.resource;

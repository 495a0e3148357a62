/** Jaeger's query HTTP API over the trace store, in Jaeger's UI model and envelope, under {@code /jaeger/api}. */
package io.sightline.api.jaeger;

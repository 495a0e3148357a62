/** Tempo's HTTP API over the trace store, in Tempo's exact shapes (what Grafana's Tempo data source calls). */
package io.sightline.api.tempo;

/** Tempo's service graph processor: client and server halves of each call paired into request metrics per edge. */
package io.sightline.collector.generator.servicegraph;

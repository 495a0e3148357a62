/** A Prometheus remote-write load generator: realistic series, sent round by round in timestamp order. */
package io.sightline.bench.remotewrite;

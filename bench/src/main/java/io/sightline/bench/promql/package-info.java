/** PromQL query latency: a corpus of dashboard-like range queries timed against one server. */
package io.sightline.bench.promql;

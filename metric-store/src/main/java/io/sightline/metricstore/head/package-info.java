/**
 * The in-memory head: every series' recent samples in compressed chunks, a postings index from label pairs to
 * series, and the write-ahead log that makes a commit durable and lets a restart rebuild the head.
 */
package io.sightline.metricstore.head;

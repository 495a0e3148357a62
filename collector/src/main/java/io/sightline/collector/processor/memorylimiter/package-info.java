/**
 * The Collector's {@code memory_limiter}: refuses data at the door while the heap is above its soft limit, so the
 * server slows its senders down instead of running out of memory.
 */
package io.sightline.collector.processor.memorylimiter;

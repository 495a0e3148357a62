/**
 * The in-memory form of spans that the head, the blocks and the queries share: trace ids as two longs, spans with
 * their resource and scope, the canonical assembly of a trace, and condition matching.
 */
package io.sightline.tracestore.model;

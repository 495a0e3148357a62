/** The head: live traces in memory, assembled by trace id across batches until they go idle and move to a block. */
package io.sightline.tracestore.head;

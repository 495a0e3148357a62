/**
 * The head: streams by label set, each with its open chunk and the chunks cut from it but not yet in a block; the
 * appender, WAL commit and replay, cuts and checkpoints.
 */
package io.sightline.logstore.stream;

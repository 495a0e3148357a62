/**
 * Per-chunk skip filters: the token keys of a chunk's lines in a bloom filter, and the keys a needle must find there,
 * so that a line-filter query skips chunks where no line can contain the needle.
 */
package io.sightline.logstore.filter;

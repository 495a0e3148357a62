/**
 * Postings: for each label name and value, the bitmap of the series that carry it; and how label matchers become
 * bitmap operations, shared by the head and the blocks.
 */
package io.sightline.metricstore.postings;

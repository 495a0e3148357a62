/** The vocabulary every engine shares: label sets and label matchers. Values only, no I/O. */
package io.sightline.core.model;

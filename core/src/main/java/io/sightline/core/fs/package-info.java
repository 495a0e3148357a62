/** Directory chores every store repeats: deleting a tree, forcing a directory entry to disk, measuring a tree. */
package io.sightline.core.fs;

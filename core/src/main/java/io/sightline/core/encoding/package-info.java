/** Byte-level encodings every store uses: growable buffers with varints, and a reader for them. */
package io.sightline.core.encoding;

/** Label matchers over streams: label → streams postings as RoaringBitmaps, for a block's streams. */
package io.sightline.logstore.index;

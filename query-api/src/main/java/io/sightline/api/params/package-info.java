/** Request parameters shared by the query APIs: times, durations, repeated keys. Never error shapes. */
package io.sightline.api.params;

/** The embedded stores, and the ways in that write to them directly (Prometheus remote write). */
package io.sightline.server.embedded;

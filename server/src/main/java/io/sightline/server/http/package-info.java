/** The HTTP port shared by the query APIs, the UI and the server's own {@code /metrics} and health endpoints. */
package io.sightline.server.http;

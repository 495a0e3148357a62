/** {@code sightline.yaml}: the built-in defaults, the user's files, command-line overrides, and the server's own keys. */
package io.sightline.server.config;

/** The Sightline server: the command line, and the one place where pipelines, stores and HTTP APIs are put together. */
package io.sightline.server;

/** Tempo's metrics generator in process: its configuration, and the one object that takes spans and writes series. */
package io.sightline.collector.generator;

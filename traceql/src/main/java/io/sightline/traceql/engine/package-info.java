/** TraceQL search as Tempo evaluates it, one whole trace (OTLP {@code TracesData}) at a time, with no store behind it. */
package io.sightline.traceql.engine;

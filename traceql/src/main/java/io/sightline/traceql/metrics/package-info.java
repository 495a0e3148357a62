/** TraceQL metrics as Tempo evaluates them: spans of matching spansets into step-aligned series, then second stages. */
package io.sightline.traceql.metrics;

package io.sightline.traceql.metrics;

import io.sightline.traceql.syntax.Static;

/** A series label: a TraceQL name ({@code resource.service.name}, {@code p}, {@code __name__}) and a typed value. */
public record Label(String name, Static value) {}

package io.sightline.traceql.engine;

import io.sightline.traceql.syntax.Attribute;
import io.sightline.traceql.syntax.Op;
import io.sightline.traceql.syntax.Static;

/**
 * A test a store may use to skip traces: every trace the query matches has at least one span for which
 * {@code attribute op operand} holds. {@code op} is a comparison ({@code = != < <= > >= =~ !~}) or
 * {@link Op#EXISTS} (operand nil). An unscoped attribute ({@code .x}) is the span's value, else the resource's;
 * intrinsics such as {@code duration} and {@code traceDuration} give the duration bounds. The engine re-checks
 * everything, so a store may ignore any condition it cannot use.
 */
public record Condition(Attribute attribute, Op op, Static operand) {}

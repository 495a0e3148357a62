package io.sightline.logql.engine;

import io.sightline.logql.engine.LogqlResult.Sample;
import java.util.List;

/** The samples of one evaluation step, at {@code timestampMillis} (Loki's {@code StepResult}). */
record StepVector(long timestampMillis, List<Sample> samples) {}

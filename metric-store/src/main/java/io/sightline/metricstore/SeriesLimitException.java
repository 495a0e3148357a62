package io.sightline.metricstore;

import io.sightline.core.model.Labels;

/**
 * A new series was refused: the store holds as many as it may ({@code storage.metrics.max_series}). Samples of
 * existing series are still accepted.
 */
public final class SeriesLimitException extends RuntimeException {
  public SeriesLimitException(Labels labels, int limit) {
    super("series limit of " + limit + " reached (storage.metrics.max_series): refusing new series " + labels, null,
        false, false);
  }
}

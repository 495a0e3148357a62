package io.sightline.metricstore;

import io.sightline.core.model.Labels;
import java.util.List;

/** The exemplars of one series, oldest first. */
public record SeriesExemplars(Labels seriesLabels, List<Exemplar> exemplars) {}

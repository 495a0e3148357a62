package io.sightline.collector.pipeline;

import io.sightline.collector.obsreport.ObsReport;
import java.nio.file.Path;

/** What the running server offers every component: where to keep files, and where to count what it does. */
public record Host(Path dataDir, ObsReport obsReport) {}

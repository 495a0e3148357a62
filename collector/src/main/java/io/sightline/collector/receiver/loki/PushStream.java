package io.sightline.collector.receiver.loki;

import io.sightline.core.model.LogEntry;
import java.util.List;

/** One stream of a decoded push: its labels as parsed (not yet validated) and its entries in pushed order. */
record PushStream(StreamLabels labels, List<LogEntry> entries) {}

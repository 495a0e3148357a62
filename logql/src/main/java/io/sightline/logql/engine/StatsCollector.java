package io.sightline.logql.engine;

import io.sightline.core.model.Labels;
import io.sightline.logstore.SelectStats;

/**
 * Counts what a query read: the store's own figures from each {@link SelectStats}, and the engine's (lines and
 * bytes it ran through the pipeline, lines the pipeline kept). Turned into Loki's {@link QueryStatistics}: the
 * store's head plays Loki's ingesters, its chunks the querier's store.
 */
final class StatsCollector {
  private long chunksTotal;
  private long chunksSkipped;
  private long headEntries;
  private long decompressedEntries;
  private long decompressedBytes;
  private long compressedBytes;
  private long lines;
  private long lineBytes;
  private long metadataBytes;
  private long postFilterLines;

  void add(SelectStats s) {
    if (s == null) {
      return;
    }
    chunksTotal += s.chunksTotal();
    chunksSkipped += s.chunksSkipped();
    headEntries += s.headEntries();
    decompressedEntries += s.decompressedEntries();
    decompressedBytes += s.decompressedBytes();
    compressedBytes += s.compressedBytes();
  }

  void read(int lineLength, Labels metadata) {
    lines++;
    lineBytes += lineLength;
    if (metadata != null) {
      for (int i = 0; i < metadata.size(); i++) {
        metadataBytes += metadata.name(i).length() + metadata.value(i).length();
      }
    }
  }

  void kept() {
    postFilterLines++;
  }

  QueryStatistics result(long execNanos, long entriesReturned) {
    // Split what the engine read between chunks (the store's decompressed counts) and the head (the rest), as
    // Loki splits it between its stores and its ingesters' head chunks.
    long chunkLines = Math.min(decompressedEntries, lines);
    long headLines = Math.max(headEntries, lines - chunkLines);
    long total = lineBytes + metadataBytes;
    long chunkBytes = Math.min(decompressedBytes, total);
    long chunkMeta = total == 0 ? 0 : Math.round((double) metadataBytes * chunkBytes / total);
    long headMeta = metadataBytes - chunkMeta;
    long headBytes = lineBytes - (chunkBytes - chunkMeta);
    if (headBytes < 0) {
      headBytes = 0;
    }
    long chunkPostFilter = lines == 0 ? 0 : Math.round((double) postFilterLines * chunkLines / lines);
    QueryStatistics.Store querierStore = new QueryStatistics.Store(chunksTotal, chunksTotal - chunksSkipped, 0,
        metadataBytes > 0, new QueryStatistics.Chunk(0, 0, chunkBytes - chunkMeta, chunkLines, compressedBytes, 0,
        chunkPostFilter, 0, chunkMeta), 0, 0, 0);
    QueryStatistics.Store ingesterStore = new QueryStatistics.Store(0, 0, 0, false, new QueryStatistics.Chunk(
        headBytes, headLines, 0, 0, 0, 0, postFilterLines - chunkPostFilter, headMeta, 0), 0, 0, 0);
    long totalBytes = chunkBytes - chunkMeta + headBytes;
    long totalLines = chunkLines + headLines;
    double exec = execNanos / 1e9;
    QueryStatistics.Summary summary = new QueryStatistics.Summary(
        exec == 0 ? 0 : (long) (totalBytes / exec), exec == 0 ? 0 : (long) (totalLines / exec), totalBytes,
        totalLines, exec, 0, 0, entriesReturned, 0, 0, postFilterLines, metadataBytes);
    return new QueryStatistics(summary, new QueryStatistics.Querier(querierStore, exec),
        new QueryStatistics.Ingester(headLines > 0 ? 1 : 0, 0, headLines > 0 ? 1 : 0, headLines, ingesterStore));
  }
}

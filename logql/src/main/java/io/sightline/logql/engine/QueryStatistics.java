package io.sightline.logql.engine;

/**
 * What a query read and returned, in the shape of Loki's {@code stats.Result} (the {@code data.stats} object of
 * every query response). A single-node Sightline has no ingesters, caches or index gateways: what Loki's ingesters
 * hold is the store's head, so the head's counts go to {@code ingester}, the chunks' to {@code querier}; caches and
 * index are zero (the HTTP layer writes Loki's zero objects for them).
 */
public record QueryStatistics(Summary summary, Querier querier, Ingester ingester) {

  /** Loki's {@code stats.Summary}; times in seconds, as Loki's JSON has them. */
  public record Summary(long bytesProcessedPerSecond, long linesProcessedPerSecond, long totalBytesProcessed,
                        long totalLinesProcessed, double execTime, double queueTime, long subqueries,
                        long totalEntriesReturned, long splits, long shards, long totalPostFilterLines,
                        long totalStructuredMetadataBytesProcessed) {}

  /** Loki's {@code stats.Querier}. */
  public record Querier(Store store, double querierExecTime) {}

  /** Loki's {@code stats.Ingester}. */
  public record Ingester(int totalReached, long totalChunksMatched, long totalBatches, long totalLinesSent,
                         Store store) {}

  /** Loki's {@code stats.Store}; {@code chunksDownloadTime} and {@code chunkRefsFetchTime} in nanoseconds. */
  public record Store(long totalChunksRef, long totalChunksDownloaded, long chunksDownloadTime,
                      boolean queryReferencedStructuredMetadata, Chunk chunk, long chunkRefsFetchTime,
                      long congestionControlLatency, long pipelineWrapperFilteredLines) {
    public static final Store EMPTY = new Store(0, 0, 0, false, Chunk.EMPTY, 0, 0, 0);
  }

  /** Loki's {@code stats.Chunk}. */
  public record Chunk(long headChunkBytes, long headChunkLines, long decompressedBytes, long decompressedLines,
                      long compressedBytes, long totalDuplicates, long postFilterLines,
                      long headChunkStructuredMetadataBytes, long decompressedStructuredMetadataBytes) {
    public static final Chunk EMPTY = new Chunk(0, 0, 0, 0, 0, 0, 0, 0, 0);
  }

  public static final QueryStatistics EMPTY = new QueryStatistics(
      new Summary(0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0), new Querier(Store.EMPTY, 0),
      new Ingester(0, 0, 0, 0, Store.EMPTY));
}

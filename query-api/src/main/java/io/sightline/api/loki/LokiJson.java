package io.sightline.api.loki;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.linecorp.armeria.common.HttpData;
import com.linecorp.armeria.common.HttpHeaderNames;
import com.linecorp.armeria.common.HttpResponse;
import com.linecorp.armeria.common.HttpStatus;
import com.linecorp.armeria.common.MediaType;
import com.linecorp.armeria.common.ResponseHeaders;
import io.sightline.core.model.GoFormat;
import io.sightline.core.model.Labels;
import io.sightline.logql.engine.LogqlResult;
import io.sightline.logql.engine.QueryStatistics;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.math.BigDecimal;
import java.util.List;

/** Loki's JSON shapes ({@code pkg/util/marshal}), written with Jackson's streaming generator. */
final class LokiJson {
  private static final JsonFactory FACTORY = new JsonFactory();
  static final String CATEGORIZE_LABELS = "categorize-labels";

  /** Writes a value. */
  @FunctionalInterface
  interface Writer {
    void write(JsonGenerator g) throws IOException;
  }

  private LokiJson() {}

  /** A 200 whose body is what {@code body} writes. */
  static HttpResponse ok(Writer body) {
    return HttpResponse.of(ResponseHeaders.of(HttpStatus.OK, HttpHeaderNames.CONTENT_TYPE,
        MediaType.JSON_UTF_8), HttpData.wrap(bytes(body)));
  }

  static byte[] bytes(Writer body) {
    ByteArrayOutputStream out = new ByteArrayOutputStream(256);
    try (JsonGenerator g = FACTORY.createGenerator(out)) {
      body.write(g);
    } catch (IOException e) {
      throw new IllegalStateException("writing JSON to memory cannot fail", e);
    }
    return out.toByteArray();
  }

  /** {@code {"status":"success","data":...}}. */
  static HttpResponse success(Writer data) {
    return ok(g -> {
      g.writeStartObject();
      g.writeStringField("status", "success");
      g.writeFieldName("data");
      data.write(g);
      g.writeEndObject();
    });
  }

  static void labels(JsonGenerator g, Labels labels) throws IOException {
    g.writeStartObject();
    for (int i = 0; i < labels.size(); i++) {
      g.writeStringField(labels.name(i), labels.value(i));
    }
    g.writeEndObject();
  }

  /** Prometheus' {@code model.Time} in JSON: seconds with up to three decimals, unquoted. */
  static void time(JsonGenerator g, long millis) throws IOException {
    g.writeNumber(BigDecimal.valueOf(millis, 3).stripTrailingZeros().toPlainString());
  }

  /** {@code [<seconds>, "<value>"]}, the value as Prometheus' {@code model.SampleValue} prints it. */
  static void point(JsonGenerator g, long millis, double value) throws IOException {
    g.writeStartArray();
    time(g, millis);
    g.writeString(GoFormat.plain(value));
    g.writeEndArray();
  }

  /**
   * A query's {@code data}: {@code resultType}, {@code encodingFlags} when categorizing, {@code result} and
   * {@code stats}; Loki's {@code encodeData}.
   */
  static void data(JsonGenerator g, LogqlResult r, boolean categorize) throws IOException {
    g.writeStartObject();
    g.writeStringField("resultType", r.resultType());
    if (categorize) {
      g.writeArrayFieldStart("encodingFlags");
      g.writeString(CATEGORIZE_LABELS);
      g.writeEndArray();
    }
    g.writeFieldName("result");
    switch (r) {
      case LogqlResult.Streams s -> streams(g, categorize ? s.categorized() : s.streams(), categorize);
      case LogqlResult.Matrix m -> {
        g.writeStartArray();
        for (LogqlResult.Series series : m.series()) {
          g.writeStartObject();
          g.writeFieldName("metric");
          labels(g, series.metric());
          g.writeArrayFieldStart("values");
          for (LogqlResult.Point p : series.points()) {
            point(g, p.timestampMillis(), p.value());
          }
          g.writeEndArray();
          g.writeEndObject();
        }
        g.writeEndArray();
      }
      case LogqlResult.Vector v -> {
        g.writeStartArray();
        for (LogqlResult.Sample s : v.samples()) {
          sample(g, s.metric(), s.timestampMillis(), s.value());
        }
        g.writeEndArray();
      }
      case LogqlResult.Scalar s -> point(g, s.timestampMillis(), s.value());
    }
    g.writeFieldName("stats");
    stats(g, r.statistics());
    g.writeEndObject();
  }

  static void sample(JsonGenerator g, Labels metric, long millis, double value) throws IOException {
    g.writeStartObject();
    g.writeFieldName("metric");
    labels(g, metric);
    g.writeFieldName("value");
    point(g, millis, value);
    g.writeEndObject();
  }

  /**
   * {@code [{"stream":{...},"values":[["<ns>","<line>"],...]}]}; categorized, each entry has a third element with
   * its {@code structuredMetadata} and {@code parsed} labels, each only when it has any.
   */
  static void streams(JsonGenerator g, List<LogqlResult.Stream> streams, boolean categorize) throws IOException {
    g.writeStartArray();
    for (LogqlResult.Stream s : streams) {
      stream(g, s.labels(), s.entries(), categorize);
    }
    g.writeEndArray();
  }

  static void stream(JsonGenerator g, Labels labels, List<LogqlResult.Entry> entries, boolean categorize)
      throws IOException {
    g.writeStartObject();
    g.writeFieldName("stream");
    labels(g, labels);
    g.writeArrayFieldStart("values");
    for (LogqlResult.Entry e : entries) {
      g.writeStartArray();
      g.writeString(Long.toString(e.timestampNanos()));
      g.writeString(e.line());
      if (categorize) {
        g.writeStartObject();
        if (!e.structuredMetadata().isEmpty()) {
          g.writeFieldName("structuredMetadata");
          labels(g, e.structuredMetadata());
        }
        if (!e.parsed().isEmpty()) {
          g.writeFieldName("parsed");
          labels(g, e.parsed());
        }
        g.writeEndObject();
      }
      g.writeEndArray();
    }
    g.writeEndArray();
    g.writeEndObject();
  }

  /** Loki's {@code stats.Result}: what the engine measured; caches and index are zero on a single node. */
  static void stats(JsonGenerator g, QueryStatistics s) throws IOException {
    if (s == null) {
      s = QueryStatistics.EMPTY;
    }
    g.writeStartObject();
    QueryStatistics.Summary sum = s.summary();
    g.writeObjectFieldStart("summary");
    g.writeNumberField("bytesProcessedPerSecond", sum.bytesProcessedPerSecond());
    g.writeNumberField("linesProcessedPerSecond", sum.linesProcessedPerSecond());
    g.writeNumberField("totalBytesProcessed", sum.totalBytesProcessed());
    g.writeNumberField("totalLinesProcessed", sum.totalLinesProcessed());
    g.writeNumberField("execTime", sum.execTime());
    g.writeNumberField("queueTime", sum.queueTime());
    g.writeNumberField("subqueries", sum.subqueries());
    g.writeNumberField("totalEntriesReturned", sum.totalEntriesReturned());
    g.writeNumberField("splits", sum.splits());
    g.writeNumberField("shards", sum.shards());
    g.writeNumberField("totalPostFilterLines", sum.totalPostFilterLines());
    g.writeNumberField("totalStructuredMetadataBytesProcessed", sum.totalStructuredMetadataBytesProcessed());
    g.writeEndObject();
    g.writeObjectFieldStart("querier");
    g.writeFieldName("store");
    store(g, s.querier().store());
    g.writeNumberField("querierExecTime", s.querier().querierExecTime());
    g.writeEndObject();
    QueryStatistics.Ingester ing = s.ingester();
    g.writeObjectFieldStart("ingester");
    g.writeNumberField("totalReached", ing.totalReached());
    g.writeNumberField("totalChunksMatched", ing.totalChunksMatched());
    g.writeNumberField("totalBatches", ing.totalBatches());
    g.writeNumberField("totalLinesSent", ing.totalLinesSent());
    g.writeFieldName("store");
    store(g, ing.store());
    g.writeEndObject();
    g.writeObjectFieldStart("cache");
    for (String name : List.of("chunk", "index", "result", "statsResult", "volumeResult", "seriesResult",
        "labelResult", "instantMetricResult", "logResult", "taskResult")) {
      g.writeObjectFieldStart(name);
      for (String field : List.of("entriesFound", "entriesRequested", "entriesStored", "bytesReceived", "bytesSent",
          "requests", "downloadTime", "queryLengthServed")) {
        g.writeNumberField(field, 0);
      }
      g.writeEndObject();
    }
    g.writeEndObject();
    g.writeObjectFieldStart("index");
    g.writeNumberField("totalChunks", 0);
    g.writeNumberField("postFilterChunks", 0);
    g.writeNumberField("shardsDuration", 0);
    g.writeBooleanField("usedBloomFilters", false);
    g.writeNumberField("totalStreams", 0);
    g.writeNumberField("chunkRefsLookupTime", 0);
    g.writeNumberField("bloomFilterTime", 0);
    g.writeEndObject();
    g.writeEndObject();
  }

  private static void store(JsonGenerator g, QueryStatistics.Store st) throws IOException {
    g.writeStartObject();
    g.writeNumberField("totalChunksRef", st.totalChunksRef());
    g.writeNumberField("totalChunksDownloaded", st.totalChunksDownloaded());
    g.writeNumberField("chunksDownloadTime", st.chunksDownloadTime());
    g.writeBooleanField("queryReferencedStructuredMetadata", st.queryReferencedStructuredMetadata());
    g.writeBooleanField("queryUsedV2Engine", false);
    QueryStatistics.Chunk c = st.chunk();
    g.writeObjectFieldStart("chunk");
    g.writeNumberField("headChunkBytes", c.headChunkBytes());
    g.writeNumberField("headChunkLines", c.headChunkLines());
    g.writeNumberField("decompressedBytes", c.decompressedBytes());
    g.writeNumberField("decompressedLines", c.decompressedLines());
    g.writeNumberField("compressedBytes", c.compressedBytes());
    g.writeNumberField("totalDuplicates", c.totalDuplicates());
    g.writeNumberField("postFilterLines", c.postFilterLines());
    g.writeNumberField("headChunkStructuredMetadataBytes", c.headChunkStructuredMetadataBytes());
    g.writeNumberField("decompressedStructuredMetadataBytes", c.decompressedStructuredMetadataBytes());
    g.writeEndObject();
    g.writeNumberField("chunkRefsFetchTime", st.chunkRefsFetchTime());
    g.writeNumberField("congestionControlLatency", st.congestionControlLatency());
    g.writeNumberField("pipelineWrapperFilteredLines", st.pipelineWrapperFilteredLines());
    g.writeObjectFieldStart("dataobj");
    for (String field : List.of("prePredicateDecompressedRows", "prePredicateDecompressedBytes",
        "prePredicateDecompressedStructuredMetadataBytes", "postPredicateRows", "postPredicateDecompressedBytes",
        "postPredicateStructuredMetadataBytes", "postFilterRows", "pagesScanned", "pagesDownloaded",
        "pagesDownloadedBytes", "pageBatches", "totalRowsAvailable", "totalPageDownloadTime",
        "wireBytesTransferred")) {
      g.writeNumberField(field, 0);
    }
    g.writeEndObject();
    g.writeEndObject();
  }
}

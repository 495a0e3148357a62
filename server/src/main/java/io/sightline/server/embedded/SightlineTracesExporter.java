package io.sightline.server.embedded;

import io.opentelemetry.proto.trace.v1.ResourceSpans;
import io.opentelemetry.proto.trace.v1.ScopeSpans;
import io.sightline.collector.pipeline.ConsumeResult;
import io.sightline.collector.pipeline.Exporter;
import io.sightline.collector.pipeline.PermanentException;
import io.sightline.collector.pipeline.RetryableException;
import io.sightline.collector.pipeline.Traces;
import io.sightline.tracestore.HeadFullException;
import io.sightline.tracestore.SpanAppender;
import io.sightline.tracestore.TraceStore;
import io.sightline.tracestore.TraceTooLargeException;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Appends each batch of OTLP spans to the embedded trace store; the future completes once the store's commit has
 * returned, that is once the batch is in the WAL. The work runs on a blocking executor, as the commit writes (and may
 * sync) a file.
 *
 * <ul>
 *   <li>Resource spans the store refuses (a trace past {@code max_bytes_per_trace}, a span id of the wrong length) are
 *       the rejected items of a partial success, as Tempo's distributor reports its refusals; a batch of which
 *       nothing could be stored fails with {@link PermanentException}.
 *   <li>A batch that would fill the memory past {@code storage.traces.max_live_bytes} is refused whole with
 *       {@link RetryableException} (429 / RESOURCE_EXHAUSTED with Retry-After), as Tempo refuses live traces past
 *       its limit.
 *   <li>A commit that fails (the disk) fails the batch with {@link RetryableException}: nothing of it was kept, so the
 *       client's retry stores it once.
 * </ul>
 *
 * <p>After a successful commit, the stored resource spans go to {@code stored} (the metrics generator), on the same
 * thread: what the generator counts is exactly what the store holds.
 */
final class SightlineTracesExporter implements Exporter<Traces> {
  private static final Logger log = LoggerFactory.getLogger(SightlineTracesExporter.class);

  private final String id;
  private final Supplier<TraceStore> store;
  private final StoredSpans stored;
  private final StoreWrites writes;

  SightlineTracesExporter(String id, Supplier<TraceStore> store, Executor executor,
      StoredSpans stored) {
    this.id = id;
    this.store = store;
    this.writes = new StoreWrites(id, "trace store", executor);
    this.stored = stored;
  }

  @Override
  public CompletableFuture<ConsumeResult> consume(Traces batch) {
    return writes.submit(() -> write(batch));
  }

  private ConsumeResult write(Traces batch) {
    TraceStore traces = store.get();
    if (traces == null) {
      throw new RetryableException("the trace store is not open", SightlineMetricsExporter.RETRY_AFTER, false);
    }
    SpanAppender appender = traces.appender();
    long refused = 0;
    String firstRefusal = null;
    // A batch read from protobuf and left unchanged is stored from its encodings: its spans are never parsed.
    List<byte[]> wire = batch.wireResources();
    int resources = wire != null ? wire.size() : batch.resourceSpans().size();
    List<byte[]> accepted = new ArrayList<>(resources);
    try {
      for (int i = 0; i < resources; i++) {
        ResourceSpans rs = wire != null ? null : batch.resourceSpans().get(i);
        byte[] encoding = wire != null ? wire.get(i) : batch.encoding(rs);
        try {
          if (rs == null) {
            appender.appendEncoded(encoding);
          } else {
            appender.append(rs, encoding); // the wire bytes, when it came as protobuf: not encoded again
          }
          if (stored != StoredSpans.NONE) {
            accepted.add(encoding != null ? encoding : rs.toByteArray());
          }
        } catch (TraceTooLargeException | IllegalArgumentException e) {
          refused += rs != null ? spanCount(rs) : spanCount(encoding);
          if (firstRefusal == null) {
            firstRefusal = e.getMessage();
          }
        }
      }
    } catch (HeadFullException e) {
      // Nothing of the batch is kept: the client's retry, once a block cut has made room, stores it once.
      appender.rollback();
      throw new RetryableException(e.getMessage(), SightlineMetricsExporter.RETRY_AFTER, true);
    } catch (RuntimeException e) {
      appender.rollback();
      throw e;
    }
    if (batch.itemCount() > 0 && refused >= batch.itemCount()) {
      appender.rollback();
      throw new PermanentException("no span could be stored; first: " + firstRefusal);
    }
    try {
      appender.commit();
    } catch (IOException e) {
      log.atError().setCause(e).addKeyValue("exporter", id).log("the trace store could not commit a batch");
      throw new RetryableException("the trace store could not write its WAL: " + e.getMessage(),
          SightlineMetricsExporter.RETRY_AFTER, false);
    }
    try {
      if (stored != StoredSpans.NONE) {
        stored.stored(accepted);
      }
    } catch (RuntimeException e) {
      // The spans are stored: a failure to count them must not make the client send them again.
      log.atError().setCause(e).addKeyValue("exporter", id).log("the metrics generator failed on a stored batch");
    }
    return refused == 0 ? ConsumeResult.ACCEPTED
        : ConsumeResult.partial(refused, refused + " spans could not be stored; first: " + firstRefusal);
  }

  /** The spans of an encoded resource that the store refused (a rare path: parsing it is fine). */
  private static long spanCount(byte[] encoding) {
    try {
      return spanCount(ResourceSpans.parseFrom(encoding));
    } catch (com.google.protobuf.InvalidProtocolBufferException e) {
      return 0;
    }
  }

  private static long spanCount(ResourceSpans rs) {
    long n = 0;
    for (ScopeSpans ss : rs.getScopeSpansList()) {
      n += ss.getSpansCount();
    }
    return n;
  }

  /** Waits for the batches in flight, so that the store closes only after their commits. */
  @Override
  public void close() throws Exception {
    writes.awaitAll();
  }

  @Override
  public String toString() {
    return "sightline exporter " + id;
  }
}

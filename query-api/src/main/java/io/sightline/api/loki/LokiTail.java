package io.sightline.api.loki;

import com.fasterxml.jackson.core.JsonGenerator;
import com.linecorp.armeria.common.HttpRequest;
import com.linecorp.armeria.common.HttpResponse;
import com.linecorp.armeria.common.websocket.WebSocket;
import com.linecorp.armeria.common.websocket.WebSocketCloseStatus;
import com.linecorp.armeria.common.websocket.WebSocketFrame;
import com.linecorp.armeria.common.websocket.WebSocketWriter;
import com.linecorp.armeria.server.HttpService;
import com.linecorp.armeria.server.ServiceRequestContext;
import com.linecorp.armeria.server.websocket.WebSocketService;
import io.sightline.api.params.Params;
import io.sightline.core.model.Labels;
import io.sightline.logql.engine.LogqlResult;
import io.sightline.logql.log.LabelsResult;
import io.sightline.logql.log.Pipeline;
import io.sightline.logql.log.StreamPipeline;
import io.sightline.logql.syntax.LogSelectorExpr;
import io.sightline.logql.syntax.ParseException;
import io.sightline.logql.syntax.Parser;
import io.sightline.logstore.EntryIterator;
import io.sightline.logstore.LogStore;
import io.sightline.logstore.SelectRequest;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;
import org.reactivestreams.Subscriber;
import org.reactivestreams.Subscription;

/**
 * {@code /loki/api/v1/tail} over a WebSocket, as Grafana's Live mode and {@code logcli --tail} use it: the newest
 * {@code limit} lines since {@code start} first, oldest first, then every new line, in Loki's frames of at most 100
 * entries. The store has no push notification, so each connection polls it every {@value #POLL_MILLIS} ms. Loki's
 * ingesters hand a tail each line as it is pushed, whatever its time; a poll finds lines by time instead, so it
 * reads again the last {@value #CATCH_UP_MILLIS} ms before its previous look (only when the store took new lines
 * since), and a line pushed later than that after its own time is not sent. Parameter errors are 400s before the
 * upgrade; limits are Loki's close frames (1011) after it.
 */
final class LokiTail {
  /** How often a connection looks for new lines. */
  static final long POLL_MILLIS = 100;
  /** How far before its previous look a poll reads again, for lines pushed a little after their time. */
  static final long CATCH_UP_MILLIS = 5_000;
  /** Loki's {@code maxDelayForInTailing}. */
  static final int MAX_DELAY_FOR = 5;
  /** Loki's {@code maxEntriesPerTailResponse}. */
  static final int MAX_ENTRIES_PER_FRAME = 100;
  /** Loki's {@code maxDroppedEntriesPerTailResponse}; also what one poll sends at most before it drops lines. */
  static final int MAX_DROPPED_PER_FRAME = 1000;
  private static final long PING_MILLIS = 1_000;

  private final Supplier<LogStore> store;
  private final LokiApi.Options options;
  private final Clock clock;
  private final AtomicInteger active = new AtomicInteger();

  LokiTail(Supplier<LogStore> store, LokiApi.Options options, Clock clock) {
    this.store = store;
    this.options = options;
    this.clock = clock;
  }

  /** The WebSocket service, behind a check of the parameters that answers Loki's 400 before the upgrade. */
  HttpService service() {
    WebSocketService ws = WebSocketService.builder(this::open).allowedOrigins("*").build();
    return ws.decorate((delegate, ctx, req) -> {
      try {
        request(ctx, req);
      } catch (LokiError e) {
        return e.response();
      }
      return delegate.serve(ctx, req);
    });
  }

  /** How many tail connections are open. */
  int active() {
    return active.get();
  }

  /** Loki's {@code ParseTailQuery}: the query, {@code limit}, {@code start} and {@code delay_for}. */
  private Request request(ServiceRequestContext ctx, HttpRequest req) throws LokiError {
    LokiParams p = new LokiParams(Params.of(ctx.query(), com.linecorp.armeria.common.AggregatedHttpRequest.of(
        req.headers())), nowNanos());
    LogSelectorExpr expr;
    try {
      if (!(Parser.parseExpr(p.query()) instanceof LogSelectorExpr l)
          || l instanceof io.sightline.logql.syntax.SampleExpr) {
        throw LokiError.badRequest("parse error : only log selector is supported");
      }
      expr = l;
      Pipeline.compile(expr);
    } catch (ParseException e) {
      throw LokiError.badRequest(e.getMessage());
    }
    int limit = p.limit();
    long start = p.bounds()[0];
    long delay = LokiParams.parseInt(p.get("delay_for"), 0);
    if (delay < 0 || delay > 0xFFFF_FFFFL) {
      throw LokiError.badRequest("delay_for value " + delay + " is out of range [0, 4294967295]");
    }
    if (delay > MAX_DELAY_FOR) {
      throw LokiError.badRequest("delay_for can't be greater than " + MAX_DELAY_FOR);
    }
    return new Request(expr, limit, start, delay * 1_000_000_000L, LokiApi.categorizeLabels(ctx));
  }

  private record Request(LogSelectorExpr expr, int limit, long startNanos, long delayNanos, boolean categorize) {}

  private long nowNanos() {
    java.time.Instant now = clock.instant();
    return now.getEpochSecond() * 1_000_000_000L + now.getNano();
  }

  private WebSocket open(ServiceRequestContext ctx, WebSocket in) {
    WebSocketWriter out = WebSocket.streaming();
    ctx.clearRequestTimeout();
    Request r;
    try {
      r = request(ctx, ctx.request());
    } catch (LokiError e) {
      out.close(WebSocketCloseStatus.INTERNAL_SERVER_ERROR, closeReason(e.getMessage()));
      return out;
    }
    int count = active.incrementAndGet();
    if (count > options.maxConcurrentTails()) {
      active.decrementAndGet();
      out.close(WebSocketCloseStatus.INTERNAL_SERVER_ERROR, "max concurrent tail requests limit exceeded, count > "
          + "limit (" + count + " > " + options.maxConcurrentTails() + ")");
      return out;
    }
    Tailer t = new Tailer(r, out, ctx);
    in.subscribe(new Subscriber<WebSocketFrame>() {
      @Override
      public void onSubscribe(Subscription s) {
        s.request(Long.MAX_VALUE);
      }

      @Override
      public void onNext(WebSocketFrame frame) {
        frame.close();
      }

      @Override
      public void onError(Throwable cause) {
        t.stop(null);
      }

      @Override
      public void onComplete() {
        t.stop(null);
      }
    });
    out.whenComplete().handle((v, cause) -> {
      t.stop(null);
      return null;
    });
    t.start();
    return out;
  }

  /** A close frame's reason holds at most 123 bytes of UTF-8. */
  static String closeReason(String message) {
    byte[] b = message.getBytes(StandardCharsets.UTF_8);
    if (b.length <= 123) {
      return message;
    }
    int n = 123;
    while (n > 0 && (b[n] & 0xC0) == 0x80) {
      n--; // not inside a character
    }
    return new String(b, 0, n, StandardCharsets.UTF_8);
  }

  /** The key of an entry already sent, so that a poll over an overlapping window does not send it twice. */
  private record Sent(long timestampNanos, Labels stream, String line) {}

  /** One connection's polling: runs on the blocking executor, one poll at a time. */
  private final class Tailer {
    private final Request request;
    private final WebSocketWriter out;
    private final ServiceRequestContext ctx;
    private final Pipeline pipeline;
    private final long deadlineNanos;
    private final Set<Sent> sent = new HashSet<>();
    private final ArrayDeque<Sent> sentOrder = new ArrayDeque<>();
    /** The end of the previous look, and the store's count of stored entries then. */
    private long lastEnd;
    private long lastStored = -1;
    private long lastPing;
    private volatile ScheduledFuture<?> task;
    private boolean stopped;

    Tailer(Request request, WebSocketWriter out, ServiceRequestContext ctx) {
      this.request = request;
      this.out = out;
      this.ctx = ctx;
      try {
        this.pipeline = Pipeline.compile(request.expr());
      } catch (ParseException e) {
        throw new IllegalStateException("the query compiled before the upgrade", e);
      }
      this.deadlineNanos = System.nanoTime() + options.tailMaxDuration().toNanos();
    }

    void start() {
      ctx.blockingTaskExecutor().execute(() -> {
        try {
          history();
        } catch (IOException | RuntimeException e) {
          stop(e.getMessage() == null ? e.toString() : e.getMessage());
          return;
        }
        synchronized (this) {
          if (!stopped) {
            task = ctx.blockingTaskExecutor().scheduleWithFixedDelay(this::poll, POLL_MILLIS, POLL_MILLIS,
                TimeUnit.MILLISECONDS);
          }
        }
      });
    }

    /** Ends the connection once: with a close frame carrying {@code error}, or quietly when the client left. */
    synchronized void stop(String error) {
      if (stopped) {
        return;
      }
      stopped = true;
      active.decrementAndGet();
      if (task != null) {
        task.cancel(false);
      }
      if (error != null) {
        out.close(WebSocketCloseStatus.INTERNAL_SERVER_ERROR, closeReason(error));
      } else {
        out.close();
      }
    }

    /** The newest {@code limit} lines from {@code start} to now, oldest first. */
    private void history() throws IOException {
      long now = nowNanos();
      long end = now - request.delayNanos();
      lastEnd = end;
      lastStored = store.get().stats().entriesStored();
      List<Out> found = new ArrayList<>();
      if (request.startNanos() < end) {
        try (EntryIterator it = store.get().querier().select(new SelectRequest(request.expr().matchers(),
            request.startNanos(), end, SelectRequest.Direction.BACKWARD, null))) {
          while (found.size() < request.limit() && it.next()) {
            Out o = process(it);
            if (o != null) {
              found.add(o);
            }
          }
        }
      }
      java.util.Collections.reverse(found);
      for (Out o : found) {
        remember(o.key());
      }
      send(found, List.of());
    }

    private void poll() {
      if (System.nanoTime() - deadlineNanos > 0) {
        stop("reached tail max duration limit");
        return;
      }
      try {
        long now = nowNanos();
        long end = now - request.delayNanos();
        long stored = store.get().stats().entriesStored();
        // Nothing stored since the last look: only the time that passed since can hold lines not yet sent.
        long from = stored == lastStored ? lastEnd : lastEnd - CATCH_UP_MILLIS * 1_000_000L;
        forget(lastEnd - CATCH_UP_MILLIS * 1_000_000L);
        List<Out> fresh = new ArrayList<>();
        List<Out> dropped = new ArrayList<>();
        try (EntryIterator it = store.get().querier().select(new SelectRequest(request.expr().matchers(), from,
            end, SelectRequest.Direction.FORWARD, null))) {
          while (it.next()) {
            String line = new String(it.lineBuffer(), it.lineOffset(), it.lineLength(), StandardCharsets.UTF_8);
            Sent key = new Sent(it.timestampNanos(), it.streamLabels(), line);
            if (sent.contains(key)) {
              continue;
            }
            Out o = process(it);
            remember(key);
            if (o == null) {
              continue;
            }
            if (fresh.size() < MAX_DROPPED_PER_FRAME) {
              fresh.add(o);
            } else if (dropped.size() < MAX_DROPPED_PER_FRAME) {
              dropped.add(o); // a poll's worth beyond what a client takes in one go: reported, as Loki drops
            }
          }
        }
        lastEnd = Math.max(lastEnd, end);
        lastStored = stored;
        send(fresh, dropped);
        long nowMs = System.currentTimeMillis();
        if (nowMs - lastPing >= PING_MILLIS && out.isOpen()) {
          out.writePing();
          lastPing = nowMs;
        }
      } catch (IOException | RuntimeException e) {
        stop(e.getMessage() == null ? e.toString() : e.getMessage());
      }
    }

    private void remember(Sent key) {
      if (sent.add(key)) {
        sentOrder.addLast(key);
      }
    }

    /** Drops the keys of entries older than the next poll's window, which cannot come again. */
    private void forget(long from) {
      for (Iterator<Sent> i = sentOrder.iterator(); i.hasNext(); ) {
        Sent s = i.next();
        if (s.timestampNanos() >= from && sentOrder.size() < 100_000) {
          continue;
        }
        sent.remove(s);
        i.remove();
      }
    }

    /** The entry after the pipeline, or null when the pipeline drops it. */
    private Out process(EntryIterator it) {
      StreamPipeline sp = pipeline.forStream(it.streamLabels());
      if (!sp.process(it.timestampNanos(), it.lineBuffer(), it.lineOffset(), it.lineLength(),
          it.structuredMetadata())) {
        return null;
      }
      String original = new String(it.lineBuffer(), it.lineOffset(), it.lineLength(), StandardCharsets.UTF_8);
      LabelsResult l = sp.labels();
      return new Out(new Sent(it.timestampNanos(), it.streamLabels(), original), sp.lineString(),
          Labels.of(l.pairs()), Labels.of(l.stream()), Labels.of(l.structuredMetadata()), Labels.of(l.parsed()));
    }

    /** Loki's frames: each entry as its own stream object, at most 100 a frame; dropped entries ride on the first. */
    private void send(List<Out> entries, List<Out> dropped) {
      if (!out.isOpen()) {
        return;
      }
      for (int at = 0; at < entries.size() || at == 0 && !dropped.isEmpty(); at += MAX_ENTRIES_PER_FRAME) {
        List<Out> part = entries.subList(at, Math.min(entries.size(), at + MAX_ENTRIES_PER_FRAME));
        List<Out> drop = at == 0 ? dropped : List.of();
        byte[] frame = LokiJson.bytes(g -> frame(g, part, drop));
        out.tryWrite(new String(frame, StandardCharsets.UTF_8));
      }
    }

    private void frame(JsonGenerator g, List<Out> entries, List<Out> dropped) throws IOException {
      g.writeStartObject();
      g.writeArrayFieldStart("streams");
      for (Out o : entries) {
        LokiJson.stream(g, request.categorize() ? o.stream() : o.all(), List.of(new LogqlResult.Entry(
            o.key().timestampNanos(), o.line(), o.stream(), o.metadata(), o.parsed())), request.categorize());
      }
      g.writeEndArray();
      if (!dropped.isEmpty()) {
        g.writeArrayFieldStart("dropped_entries");
        for (Out o : dropped) {
          g.writeStartObject();
          g.writeStringField("timestamp", Long.toString(o.key().timestampNanos()));
          g.writeFieldName("labels");
          LokiJson.labels(g, o.all());
          g.writeEndObject();
        }
        g.writeEndArray();
      }
      if (request.categorize()) {
        g.writeArrayFieldStart("encodingFlags");
        g.writeString(LokiJson.CATEGORIZE_LABELS);
        g.writeEndArray();
      }
      g.writeEndObject();
    }
  }

  /** An entry to send: its key, its line after the pipeline and its labels, all and split. */
  private record Out(Sent key, String line, Labels all, Labels stream, Labels metadata, Labels parsed) {}
}

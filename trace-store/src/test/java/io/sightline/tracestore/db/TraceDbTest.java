package io.sightline.tracestore.db;

import static io.sightline.tracestore.db.Spans.T0;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.protobuf.ByteString;
import io.opentelemetry.proto.common.v1.AnyValue;
import io.opentelemetry.proto.trace.v1.ResourceSpans;
import io.opentelemetry.proto.trace.v1.ScopeSpans;
import io.opentelemetry.proto.trace.v1.Span;
import io.opentelemetry.proto.trace.v1.Status;
import io.opentelemetry.proto.trace.v1.TracesData;
import io.sightline.core.wal.WalConfig;
import io.sightline.tracestore.AttributeScope;
import io.sightline.tracestore.Condition;
import io.sightline.tracestore.FetchRequest;
import io.sightline.tracestore.Operation;
import io.sightline.tracestore.SpanAppender;
import io.sightline.tracestore.TraceStoreConfig;
import io.sightline.tracestore.TraceTooLargeException;
import io.sightline.tracestore.block.FileNames;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TraceDbTest {
  @TempDir
  Path dir;

  private final Spans spans = new Spans(7);

  /**
   * No background upkeep in tests: each test cuts, merges and deletes when it says so. No time retention either: the
   * fixtures' spans are from a fixed date.
   */
  private static TraceStoreConfig.Builder config() {
    return TraceStoreConfig.builder().upkeepInterval(Duration.ofHours(1)).retention(Duration.ZERO)
        .wal(new WalConfig(WalConfig.DEFAULT_SEGMENT_SIZE, WalConfig.Sync.NEVER, null));
  }

  private TraceDb open() throws IOException {
    return TraceDb.open(dir, config().build());
  }

  private static void commit(TraceDb db, TracesData data) throws IOException {
    SpanAppender a = db.appender();
    data.getResourceSpansList().forEach(a::append);
    a.commit();
  }

  private static void commit(TraceDb db, ResourceSpans rs) throws IOException {
    SpanAppender a = db.appender();
    a.append(rs);
    a.commit();
  }

  private static int spanCount(TracesData t) {
    return t.getResourceSpansList().stream().flatMap(r -> r.getScopeSpansList().stream())
        .mapToInt(ScopeSpans::getSpansCount).sum();
  }

  @Test
  void everyOtlpFieldSurvivesTheHeadABlockAndWalReplay() throws IOException {
    byte[] id = spans.traceId();
    TracesData trace = spans.richTrace(id, T0);
    try (TraceDb db = open()) {
      commit(db, trace);
      assertThat(db.trace(id, 0, Long.MAX_VALUE)).contains(trace);
      db.closeWithoutFlush();
    }
    try (TraceDb db = open()) {
      assertThat(db.stats().headSpans()).isEqualTo(4);
      assertThat(db.trace(id, 0, Long.MAX_VALUE)).contains(trace);
      db.flush(true);
      assertThat(db.stats().headSpans()).isZero();
      assertThat(db.blocks()).hasSize(1);
      assertThat(db.trace(id, 0, Long.MAX_VALUE)).contains(trace);
    }
    try (TraceDb db = open()) {
      assertThat(db.stats().headSpans()).isZero();
      assertThat(db.trace(id, 0, Long.MAX_VALUE)).contains(trace);
      assertThat(db.trace(spans.traceId(), 0, Long.MAX_VALUE)).isEmpty();
      db.blocks().get(0).verify();
    }
  }

  @Test
  void spansAppendedWithTheirWireEncodingAreStoredAsThoseWithout() throws IOException {
    byte[] id = spans.traceId();
    TracesData trace = spans.richTrace(id, T0);
    byte[] other = spans.traceId();
    TracesData second = spans.richTrace(other, T0);
    try (TraceDb db = open()) {
      SpanAppender a = db.appender();
      for (ResourceSpans rs : trace.getResourceSpansList()) {
        a.append(rs, rs.toByteArray());
      }
      // An encoding that does not hold the message's spans (here: of another message) is not used.
      for (ResourceSpans rs : second.getResourceSpansList()) {
        a.append(rs, ResourceSpans.getDefaultInstance().toByteArray());
      }
      a.commit();
      assertThat(db.trace(id, 0, Long.MAX_VALUE)).contains(trace);
      assertThat(db.trace(other, 0, Long.MAX_VALUE)).contains(second);
      db.closeWithoutFlush();
    }
    try (TraceDb db = open()) {
      assertThat(db.trace(id, 0, Long.MAX_VALUE)).contains(trace);
      assertThat(db.trace(other, 0, Long.MAX_VALUE)).contains(second);
      db.flush(true);
      assertThat(db.trace(id, 0, Long.MAX_VALUE)).contains(trace);
      assertThat(db.trace(other, 0, Long.MAX_VALUE)).contains(second);
    }
  }

  @Test
  void conditionsJudgeAHeadSpanAsTheyJudgeItInABlock() throws IOException {
    byte[] id = spans.traceId();
    List<Condition> conditions = List.of(Condition.intrinsic(Condition.Intrinsic.NAME, "GET /orders"),
        Condition.intrinsic(Condition.Intrinsic.NAME, ""), Condition.intrinsic(Condition.Intrinsic.NAME, "GET"),
        Condition.intrinsic(Condition.Intrinsic.STATUS, "error"), Condition.intrinsic(Condition.Intrinsic.STATUS, "9"),
        Condition.intrinsic(Condition.Intrinsic.KIND, "client"), Condition.intrinsic(Condition.Intrinsic.KIND, "17"),
        Condition.intrinsic(Condition.Intrinsic.KIND, "producer"),
        Condition.intrinsic(Condition.Intrinsic.SERVICE_NAME, "orders"),
        new Condition(AttributeScope.SPAN, "span.string", "value ü"), new Condition(null, "span.int", "-42"),
        new Condition(AttributeScope.SPAN, "span.int", "-42.0"), new Condition(AttributeScope.SPAN, "span.double", "0"),
        new Condition(AttributeScope.SPAN, "span.bool_true", "true"),
        new Condition(AttributeScope.SPAN, "span.bool_false", "true"),
        new Condition(AttributeScope.SPAN, "span.empty_string", ""),
        new Condition(AttributeScope.SPAN, "span.array", "anything"),
        new Condition(AttributeScope.SPAN, "span.empty_value", ""),
        new Condition(AttributeScope.SPAN, "event.string", "value ü"),
        new Condition(AttributeScope.EVENT, "event.string", "value ü"),
        new Condition(AttributeScope.EVENT, "event.int", "-41"),
        new Condition(AttributeScope.LINK, "link.bool_true", "true"),
        new Condition(AttributeScope.LINK, "span.int", "-42"));
    try (TraceDb db = open()) {
      commit(db, spans.richTrace(id, T0));
      List<Boolean> inHead = new ArrayList<>();
      for (Condition c : conditions) {
        inHead.add(!fetch(db, request(c)).isEmpty());
      }
      db.flush(true);
      assertThat(db.stats().headSpans()).isZero();
      for (int i = 0; i < conditions.size(); i++) {
        assertThat(!fetch(db, request(conditions.get(i))).isEmpty()).as("%s", conditions.get(i))
            .isEqualTo(inHead.get(i));
      }
      assertThat(inHead).containsExactly(true, true, false, true, true, true, true, false, true, true, true, true,
          true, true, false, true, true, false, false, true, false, true, false);
    }
  }

  @Test
  void appendsPastMaxLiveBytesAreRefusedWholeUntilABlockCutMakesRoom() throws IOException {
    byte[] first = spans.traceId();
    TracesData one = spans.richTrace(first, T0);
    int size = one.getResourceSpansList().stream().flatMap(r -> r.getScopeSpansList().stream())
        .flatMap(ss -> ss.getSpansList().stream()).mapToInt(s -> s.toByteArray().length).sum();
    try (TraceDb db = TraceDb.open(dir, config().maxLiveBytes(size + size / 2).build())) {
      commit(db, one);
      byte[] second = spans.traceId();
      SpanAppender a = db.appender();
      assertThatThrownBy(() -> spans.richTrace(second, T0).getResourceSpansList().forEach(a::append))
          .isInstanceOf(io.sightline.tracestore.HeadFullException.class)
          .hasMessageContaining("max live traces bytes exceeded").hasMessageContaining("max_live_bytes");
      a.rollback();
      assertThat(db.trace(second, 0, Long.MAX_VALUE)).isEmpty();
      db.flush(true); // the first trace goes to a block: its bytes leave memory
      commit(db, spans.richTrace(second, T0));
      assertThat(db.trace(second, 0, Long.MAX_VALUE)).isPresent();
      assertThat(db.trace(first, 0, Long.MAX_VALUE)).contains(one);
    }
  }

  @Test
  void spansOfOneTraceFromSeparateCommitsAndResourcesAcrossBlockCutsComeBackAsOneTrace() throws IOException {
    byte[] id = spans.traceId();
    Span root = spans.span(id, null, "root", T0, 1_000_000);
    Span child = spans.span(id, root.getSpanId(), "child", T0 + 10, 1000);
    Span late = spans.span(id, root.getSpanId(), "late", T0 + 20, 1000);
    try (TraceDb db = TraceDb.open(dir, config().minBlocksToCompact(2).build())) {
      commit(db, Spans.resource("front").addScopeSpans(Spans.scope("a").addSpans(root)).build());
      db.flush(true);
      commit(db, Spans.resource("back").addScopeSpans(Spans.scope("b").addSpans(child)).build());
      assertThat(db.trace(id, 0, Long.MAX_VALUE).map(TraceDbTest::spanCount)).contains(2);
      db.flush(true);
      commit(db, Spans.resource("back").addScopeSpans(Spans.scope("b").addSpans(late)).build());
      assertThat(db.blocks()).hasSize(2);
      TracesData whole = db.trace(id, 0, Long.MAX_VALUE).orElseThrow();
      assertThat(spanCount(whole)).isEqualTo(3);
      assertThat(whole.getResourceSpansCount()).isEqualTo(2);
      assertThat(whole.getResourceSpans(1).getScopeSpans(0).getSpansList()).containsExactly(child, late);
      db.flush(true);
      db.maintain();
      assertThat(db.blocks()).hasSize(1);
      assertThat(db.trace(id, 0, Long.MAX_VALUE)).contains(whole);
      assertThat(db.blocks().get(0).meta().level()).isEqualTo(2);
    }
  }

  @Test
  void aCrashBetweenWritingABlockAndItsCheckpointNeitherLosesNorDuplicates() throws IOException {
    byte[] done = spans.traceId();
    byte[] open = spans.traceId();
    Path walCopy = dir.resolveSibling(dir.getFileName() + "-wal-copy");
    try (TraceDb db = open()) {
      commit(db, Spans.resource("svc").addScopeSpans(Spans.scope("s").addSpans(spans.span(done, null, "a", T0, 5)))
          .build());
      copyTree(dir.resolve(FileNames.WAL_DIR), walCopy);
      db.flush(true);
      db.closeWithoutFlush();
    }
    // Back to the WAL as it was before the checkpoint: the block exists, its spans are still in the WAL.
    deleteTree(dir.resolve(FileNames.WAL_DIR));
    copyTree(walCopy, dir.resolve(FileNames.WAL_DIR));
    try (TraceDb db = open()) {
      assertThat(db.stats().headSpans()).isZero();
      commit(db, Spans.resource("svc").addScopeSpans(Spans.scope("s").addSpans(spans.span(open, null, "b", T0, 5)))
          .build());
      db.closeWithoutFlush();
    }
    try (TraceDb db = open()) {
      assertThat(db.trace(done, 0, Long.MAX_VALUE).map(TraceDbTest::spanCount)).contains(1);
      assertThat(db.trace(open, 0, Long.MAX_VALUE).map(TraceDbTest::spanCount)).contains(1);
      assertThat(db.stats().spans()).isEqualTo(2);
    }
    deleteTree(walCopy);
  }

  @Test
  void fetchUsesConditionsTimeBoundsDurationsAndLimitNewestFirst() throws IOException {
    try (TraceDb db = open()) {
      List<byte[]> ids = new ArrayList<>();
      for (int i = 0; i < 6; i++) {
        byte[] id = spans.traceId();
        ids.add(id);
        long start = T0 + i * 1_000_000_000L;
        Span.Builder s = spans.span(id, null, i % 2 == 0 ? "GET" : "POST", start, (i + 1) * 1_000_000L).toBuilder()
            .addAttributes(Spans.num("http.status_code", i == 3 ? 500 : 200));
        if (i == 3) {
          s.setStatus(Status.newBuilder().setCode(Status.StatusCode.STATUS_CODE_ERROR))
              .setKind(Span.SpanKind.SPAN_KIND_SERVER)
              .addEvents(Span.Event.newBuilder().setName("exception").addAttributes(Spans.str("exception.type", "IO")))
              .addLinks(Span.Link.newBuilder().addAttributes(Spans.str("link.kind", "follows")));
        }
        commit(db, Spans.resource(i < 3 ? "web" : "api").addScopeSpans(Spans.scope("lib" + i).addSpans(s)).build());
        if (i == 1 || i == 4) {
          db.flush(true); // traces 0-1 and 2-4 in blocks, 5 in the head
        }
      }
      assertThat(fetch(db, new FetchRequest(0, Long.MAX_VALUE, List.of(), 0, 0, 10)))
          .containsExactly(hex(ids.get(5)), hex(ids.get(4)), hex(ids.get(3)), hex(ids.get(2)), hex(ids.get(1)),
              hex(ids.get(0)));
      assertThat(fetch(db, new FetchRequest(0, Long.MAX_VALUE, List.of(), 0, 0, 2)))
          .containsExactly(hex(ids.get(5)), hex(ids.get(4)));
      assertThat(fetch(db, new FetchRequest(T0 + 1_500_000_000L, T0 + 3_500_000_000L, List.of(), 0, 0, 10)))
          .containsExactly(hex(ids.get(3)), hex(ids.get(2)));
      assertThat(fetch(db, request(Condition.intrinsic(Condition.Intrinsic.SERVICE_NAME, "web"))))
          .containsExactly(hex(ids.get(2)), hex(ids.get(1)), hex(ids.get(0)));
      assertThat(fetch(db, request(Condition.intrinsic(Condition.Intrinsic.NAME, "POST"),
          Condition.intrinsic(Condition.Intrinsic.SERVICE_NAME, "api"))))
          .containsExactly(hex(ids.get(5)), hex(ids.get(3)));
      for (Condition c : List.of(new Condition(AttributeScope.SPAN, "http.status_code", "500"),
          new Condition(null, "http.status_code", "500.0"),
          Condition.intrinsic(Condition.Intrinsic.STATUS, "error"),
          Condition.intrinsic(Condition.Intrinsic.KIND, "server"),
          new Condition(AttributeScope.EVENT, "exception.type", "IO"),
          new Condition(AttributeScope.LINK, "link.kind", "follows"),
          new Condition(AttributeScope.INSTRUMENTATION, "scope.attr", "s"))) {
        List<String> expected = c.scope() == AttributeScope.INSTRUMENTATION
            ? ids.reversed().stream().map(TraceDbTest::hex).toList()
            : List.of(hex(ids.get(3)));
        assertThat(fetch(db, request(c))).as(c.toString()).containsExactlyElementsOf(expected);
      }
      assertThat(fetch(db, request(new Condition(AttributeScope.RESOURCE, "service.name", "nope")))).isEmpty();
      assertThat(fetch(db, request(new Condition(null, "service.name", "api"))))
          .containsExactly(hex(ids.get(5)), hex(ids.get(4)), hex(ids.get(3)));
      assertThat(fetch(db, new FetchRequest(0, Long.MAX_VALUE, List.of(), 3_000_000, 5_000_000, 10)))
          .containsExactly(hex(ids.get(4)), hex(ids.get(3)), hex(ids.get(2)));
      List<TracesData> whole = new ArrayList<>();
      db.fetch(request(Condition.intrinsic(Condition.Intrinsic.STATUS, "error")), (id, t) -> whole.add(t));
      assertThat(whole).containsExactly(db.trace(ids.get(3), 0, Long.MAX_VALUE).orElseThrow());
      List<String> stopped = new ArrayList<>();
      db.fetch(new FetchRequest(0, Long.MAX_VALUE, List.of(), 0, 0, 10), (id, t) -> stopped.add(hex(id)) && false);
      assertThat(stopped).hasSize(1);
    }
  }

  private static FetchRequest request(Condition... conditions) {
    return new FetchRequest(0, Long.MAX_VALUE, List.of(conditions), 0, 0, 100);
  }

  private static List<String> fetch(TraceDb db, FetchRequest request) throws IOException {
    List<String> out = new ArrayList<>();
    db.fetch(request, (id, trace) -> {
      assertThat(spanCount(trace)).isPositive();
      return out.add(hex(id));
    });
    return out;
  }

  private static String hex(byte[] id) {
    return HexFormat.of().formatHex(id);
  }

  @Test
  void tagsServicesAndOperationsComeFromTheHeadAndTheBlocks() throws IOException {
    try (TraceDb db = open()) {
      byte[] a = spans.traceId();
      commit(db, spans.richTrace(a, T0));
      db.flush(true);
      byte[] b = spans.traceId();
      commit(db, Spans.resource("payments").addScopeSpans(Spans.scope("x").addSpans(spans.span(b, null, "charge",
          T0 + 1_000_000_000_000L, 10).toBuilder().addAttributes(Spans.str("span.string", "other")))).build());

      assertThat(db.services()).containsExactly("orders", "payments");
      assertThat(db.operations("orders")).containsExactly(new Operation("GET /orders", 2), new Operation("SELECT", 3),
          new Operation("remote child", 17));
      assertThat(db.operations("payments")).containsExactly(new Operation("charge", 1));

      Map<AttributeScope, List<String>> names = db.tagNames(0, Long.MAX_VALUE, 100);
      assertThat(names.get(AttributeScope.SPAN)).contains("span.string", "span.kvlist", "n");
      assertThat(names.get(AttributeScope.EVENT)).contains("event.int");
      assertThat(names.get(AttributeScope.LINK)).contains("link.array");
      assertThat(names.get(AttributeScope.RESOURCE)).containsExactly("deployment.environment", "service.name");
      assertThat(names.get(AttributeScope.INSTRUMENTATION)).containsExactly("scope.attr");
      assertThat(db.tagNames(0, Long.MAX_VALUE, 2).get(AttributeScope.SPAN)).hasSize(2);
      // Only the block's time range: the head's trace is a thousand seconds later.
      assertThat(db.tagNames(0, T0 + 1_000_000_000L, 100).get(AttributeScope.SPAN)).doesNotContain("n");

      assertThat(db.tagValues(AttributeScope.SPAN, "span.string", 0, Long.MAX_VALUE, 10)).containsExactly(
          AnyValue.newBuilder().setStringValue("other").build(),
          AnyValue.newBuilder().setStringValue("value ü").build());
      assertThat(db.tagValues(AttributeScope.EVENT, "event.int", 0, Long.MAX_VALUE, 10))
          .containsExactly(AnyValue.newBuilder().setIntValue(-42).build());
      assertThat(db.tagValues(null, "service.name", 0, Long.MAX_VALUE, 10)).containsExactly(
          AnyValue.newBuilder().setStringValue("orders").build(),
          AnyValue.newBuilder().setStringValue("payments").build());
      assertThat(db.tagValues(null, "service.name", 0, Long.MAX_VALUE, 1)).hasSize(1);
      assertThat(db.tagValues(AttributeScope.INSTRUMENTATION, "scope.attr", 0, Long.MAX_VALUE, 10))
          .containsExactly(AnyValue.newBuilder().setStringValue("s").build());
    }
  }

  @Test
  void aCorruptedBlockIsSetAsideAndTheRestStillOpens() throws IOException {
    byte[] good = spans.traceId();
    byte[] bad = spans.traceId();
    try (TraceDb db = open()) {
      commit(db, spans.richTrace(bad, T0));
      db.flush(true);
      commit(db, spans.richTrace(good, T0 + 1000));
    }
    Path badBlock;
    try (TraceDb db = open()) {
      assertThat(db.blocks()).hasSize(2);
      badBlock = db.blocks().stream().filter(b -> b.mayContain(io.sightline.tracestore.model.TraceKey.of(bad))
          && !b.mayContain(io.sightline.tracestore.model.TraceKey.of(good))).findFirst().orElseThrow().dir();
    }
    Path index = badBlock.resolve(FileNames.INDEX);
    byte[] bytes = Files.readAllBytes(index);
    bytes[bytes.length / 2] ^= 0x40;
    Files.write(index, bytes);
    try (TraceDb db = open()) {
      assertThat(db.blocks()).hasSize(1);
      assertThat(db.trace(good, 0, Long.MAX_VALUE)).isPresent();
      assertThat(db.trace(bad, 0, Long.MAX_VALUE)).isEmpty();
    }
    assertThat(badBlock.resolveSibling(badBlock.getFileName() + FileNames.CORRUPTED_SUFFIX)).isDirectory();
  }

  @Test
  void retentionDeletesBlocksByAgeAndBySize() throws IOException {
    long now = System.currentTimeMillis() * 1_000_000L;
    byte[] old = spans.traceId();
    byte[] recent = spans.traceId();
    byte[] newest = spans.traceId();
    try (TraceDb db = TraceDb.open(dir, config().retention(Duration.ofDays(1)).build())) {
      commit(db, spans.richTrace(old, now - Duration.ofDays(3).toNanos()));
      db.flush(true);
      commit(db, spans.richTrace(recent, now - Duration.ofHours(1).toNanos()));
      db.flush(true);
      commit(db, spans.richTrace(newest, now));
      db.flush(true);
      db.maintain();
      assertThat(db.blocks()).hasSize(2);
      assertThat(db.trace(old, 0, Long.MAX_VALUE)).isEmpty();
      assertThat(db.trace(recent, 0, Long.MAX_VALUE)).isPresent();
    }
    long onDisk;
    try (TraceDb db = open()) {
      onDisk = db.stats().bytesOnDisk();
    }
    try (TraceDb db = TraceDb.open(dir, config().retentionBytes(onDisk - 1).build())) {
      db.maintain();
      assertThat(db.blocks()).hasSize(1);
      assertThat(db.trace(recent, 0, Long.MAX_VALUE)).isEmpty();
      assertThat(db.trace(newest, 0, Long.MAX_VALUE)).isPresent();
    }
  }

  @Test
  void concurrentAppendersWhileBlocksAreCutAndMergedLoseAndDuplicateNothing() throws Exception {
    int threads = 4;
    int commitsPerThread = 150;
    int tracesPerCommit = 5;
    TraceStoreConfig cfg = config().maxTraceIdle(Duration.ofMillis(1)).minBlocksToCompact(3).build();
    Map<String, Integer> expected = new ConcurrentHashMap<>();
    try (TraceDb db = TraceDb.open(dir, cfg)) {
      AtomicBoolean done = new AtomicBoolean();
      CountDownLatch started = new CountDownLatch(threads);
      List<Thread> writers = new ArrayList<>();
      List<byte[]> shared = new ArrayList<>();
      for (int i = 0; i < 20; i++) {
        shared.add(spans.traceId());
      }
      for (int t = 0; t < threads; t++) {
        int thread = t;
        Thread w = new Thread(() -> {
          Spans local = new Spans(100 + thread);
          started.countDown();
          try {
            for (int c = 0; c < commitsPerThread; c++) {
              SpanAppender a = db.appender();
              ScopeSpans.Builder scope = Spans.scope("t" + thread);
              for (int k = 0; k < tracesPerCommit; k++) {
                // Some traces get spans from every thread, over and over: they are cut and continued many times.
                byte[] id = k == 0 ? shared.get(c % shared.size()) : local.traceId();
                scope.addSpans(local.span(id, null, "op" + k, T0 + c * 1000L, 100));
                expected.merge(hex(id), 1, Integer::sum);
              }
              a.append(Spans.resource("svc" + thread).addScopeSpans(scope).build());
              a.commit();
            }
          } catch (IOException e) {
            throw new RuntimeException(e);
          }
        });
        writers.add(w);
        w.start();
      }
      started.await();
      Thread cutter = new Thread(() -> {
        try {
          // Until the writers are done and at least one block was cut: on a busy machine the writers can finish first.
          while (!done.get() || db.blocks().isEmpty()) {
            db.flush(false);
            db.maintain();
          }
        } catch (IOException e) {
          throw new RuntimeException(e);
        }
      });
      cutter.start();
      for (Thread w : writers) {
        w.join();
      }
      done.set(true);
      cutter.join();
      assertThat(db.blocks()).isNotEmpty();
      long total = threads * commitsPerThread * tracesPerCommit;
      List<String> mismatches = new ArrayList<>();
      for (Map.Entry<String, Integer> e : expected.entrySet()) {
        Optional<TracesData> t = db.trace(HexFormat.of().parseHex(e.getKey()), 0, Long.MAX_VALUE);
        int n = t.map(TraceDbTest::spanCount).orElse(0);
        if (n != e.getValue()) {
          mismatches.add(e.getKey() + ": " + n + " of " + e.getValue());
        }
      }
      assertThat(mismatches).isEmpty();
      db.flush(true);
      db.maintain();
      assertThat(db.stats().spans()).isEqualTo(total);
      assertThat(db.stats().headSpans()).isZero();
      int sum = 0;
      for (String id : expected.keySet()) {
        sum += db.trace(HexFormat.of().parseHex(id), 0, Long.MAX_VALUE).map(TraceDbTest::spanCount).orElse(0);
      }
      assertThat(sum).isEqualTo(total);
    }
  }

  @Test
  void anAppendThatWouldGrowATracePastTheLimitIsRefusedAndTheRestIsKept() throws IOException {
    byte[] big = spans.traceId();
    byte[] small = spans.traceId();
    try (TraceDb db = TraceDb.open(dir, config().maxBytesPerTrace(2_000).build())) {
      SpanAppender a = db.appender();
      a.append(Spans.resource("s").addScopeSpans(Spans.scope("x").addSpans(spans.span(small, null, "ok", T0, 1)))
          .build());
      ScopeSpans.Builder many = Spans.scope("x");
      for (int i = 0; i < 40; i++) {
        many.addSpans(spans.span(big, null, "span with a long enough name " + i, T0, 1));
      }
      assertThatThrownBy(() -> a.append(Spans.resource("s").addScopeSpans(many).build()))
          .isInstanceOf(TraceTooLargeException.class).hasMessageContaining(hex(big));
      assertThatThrownBy(() -> a.append(Spans.resource("s").addScopeSpans(ScopeSpans.newBuilder()
          .addSpans(Span.newBuilder().setTraceId(ByteString.copyFrom(new byte[8])))).build()))
          .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("16 bytes");
      a.commit();
      assertThat(db.trace(small, 0, Long.MAX_VALUE)).isPresent();
      assertThat(db.trace(big, 0, Long.MAX_VALUE)).isEmpty();
    }
  }

  @Test
  void aTornWalTailIsCutBackAndEveryCommittedSpanIsReplayed() throws IOException {
    byte[] id = spans.traceId();
    TracesData trace = spans.richTrace(id, T0);
    try (TraceDb db = open()) {
      commit(db, trace);
      db.closeWithoutFlush();
    }
    Path wal = dir.resolve(FileNames.WAL_DIR);
    Path last;
    try (Stream<Path> files = Files.list(wal)) {
      last = files.filter(p -> p.getFileName().toString().matches("\\d{8}")).filter(p -> p.toFile().length() > 0)
          .max(Path::compareTo).orElseThrow();
    }
    // Half a record: a fragment header promising more bytes than follow.
    Files.write(last, new byte[] {1, 0, 100, 1, 2, 3, 4, 9, 9}, java.nio.file.StandardOpenOption.APPEND);
    try (TraceDb db = open()) {
      assertThat(db.trace(id, 0, Long.MAX_VALUE)).contains(trace);
    }
  }

  @Test
  void aBlockTakesLessThanOneHundredBytesPerTypicalSpan() throws IOException {
    Spans gen = new Spans(11);
    int traces = 2_000;
    int perTrace = 10;
    try (TraceDb db = open()) {
      SpanAppender a = db.appender();
      for (int t = 0; t < traces; t++) {
        byte[] id = gen.traceId();
        ScopeSpans.Builder scope = Spans.scope("io.opentelemetry.http");
        ByteString root = null;
        long start = T0 + t * 7_000_000L;
        for (int i = 0; i < perTrace; i++) {
          Span s = gen.span(id, root, "GET /api/v1/orders/{id}", start + i * 130_000L, 90_000L + i * 1_000L).toBuilder()
              .setKind(Span.SpanKind.SPAN_KIND_SERVER)
              .addAttributes(Spans.str("http.request.method", "GET"))
              .addAttributes(Spans.str("http.route", "/api/v1/orders/{id}"))
              .addAttributes(Spans.num("http.response.status_code", i % 7 == 0 ? 500 : 200))
              .addAttributes(Spans.str("server.address", "orders.internal"))
              .addAttributes(Spans.num("server.port", 8080))
              .addAttributes(Spans.str("url.path", "/api/v1/orders/" + (t * 31 + i))).build();
          root = root == null ? s.getSpanId() : root;
          scope.addSpans(s);
        }
        a.append(Spans.resource("svc" + t % 5).addScopeSpans(scope).build());
      }
      a.commit();
      db.flush(true);
      long bytes = db.blocks().get(0).sizeBytes();
      assertThat(bytes / (double) (traces * perTrace)).isLessThan(100);
    }
  }

  private static void copyTree(Path from, Path to) throws IOException {
    try (Stream<Path> walk = Files.walk(from)) {
      for (Path p : walk.toList()) {
        Path target = to.resolve(from.relativize(p).toString());
        if (Files.isDirectory(p)) {
          Files.createDirectories(target);
        } else {
          Files.copy(p, target);
        }
      }
    }
  }

  private static void deleteTree(Path root) throws IOException {
    io.sightline.core.fs.Directories.deleteTree(root);
  }
}

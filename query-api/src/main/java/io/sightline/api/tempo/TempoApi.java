package io.sightline.api.tempo;

import com.google.protobuf.CodedOutputStream;
import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.util.JsonFormat;
import com.linecorp.armeria.common.HttpData;
import com.linecorp.armeria.common.HttpHeaderNames;
import com.linecorp.armeria.common.HttpMethod;
import com.linecorp.armeria.common.HttpResponse;
import com.linecorp.armeria.common.HttpStatus;
import com.linecorp.armeria.common.MediaType;
import com.linecorp.armeria.common.QueryParams;
import com.linecorp.armeria.common.RequestHeaders;
import com.linecorp.armeria.common.ResponseHeaders;
import com.linecorp.armeria.server.ServerBuilder;
import com.linecorp.armeria.server.ServiceRequestContext;
import io.opentelemetry.proto.trace.v1.TracesData;
import io.sightline.tracestore.TraceStore;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * Tempo's HTTP API: trace by id (v1 and v2, OTLP JSON or protobuf by the Accept header, as Grafana asks for it),
 * search (TraceQL and legacy tags), tag names and values (v1 and v2), TraceQL metrics (range and instant),
 * {@code /api/echo} and build info. Errors are Tempo's: plain-text messages with 400, an empty 404 for a trace that
 * is not stored.
 */
public final class TempoApi {
  /** What Grafana sees as the Tempo version: recent enough for every feature its Tempo data source gates by version. */
  public static final String REPORTED_VERSION = "2.9.0";
  static final MediaType PROTOBUF = MediaType.parse("application/protobuf");
  private static final JsonFormat.Printer JSON = JsonFormat.printer().omittingInsignificantWhitespace();

  private final Supplier<TraceStore> store;
  private final TempoSearch search;
  private final TempoTags tags;
  private final TempoMetrics metrics;

  /**
   * What one request may read, so that a search or metrics query over a large store answers in bounded time and
   * memory: it stops after {@code maxTraces} traces or {@code maxBytes} bytes of them (a metrics answer then says
   * {@code PARTIAL}). {@code queryEndCutoff} keeps metrics queries off the most recent moments, as Tempo's
   * {@code query_end_cutoff} does.
   */
  public record Limits(int maxTraces, long maxBytes, java.time.Duration queryEndCutoff) {
    /**
     * 50,000 traces or 256 MiB: a few seconds of evaluation on one core for typical traces of tens of spans, and far
     * more than the 20 results of a default search; Tempo's own 30s end cutoff.
     */
    public static final Limits DEFAULTS = new Limits(50_000, 256L << 20, java.time.Duration.ofSeconds(30));

    public Limits {
      if (maxTraces <= 0 || maxBytes <= 0 || queryEndCutoff.isNegative()) {
        throw new IllegalArgumentException("limits must be positive");
      }
    }

    long queryEndCutoffNanos() {
      return queryEndCutoff.toNanos();
    }
  }

  public TempoApi(Supplier<TraceStore> store) {
    this(store, Limits.DEFAULTS, java.time.Clock.systemUTC());
  }

  public TempoApi(Supplier<TraceStore> store, Limits limits, java.time.Clock clock) {
    this.store = store;
    this.search = new TempoSearch(store, limits);
    this.tags = new TempoTags(store, limits);
    this.metrics = new TempoMetrics(store, limits, clock);
  }

  public void addRoutes(ServerBuilder sb) {
    sb.service("/api/echo", (ctx, req) -> HttpResponse.of(HttpStatus.OK, MediaType.PLAIN_TEXT_UTF_8, "echo"));
    sb.service("/api/status/buildinfo", (ctx, req) -> HttpResponse.of(HttpStatus.OK, MediaType.JSON,
        "{\"version\":\"" + REPORTED_VERSION + "\",\"revision\":\"sightline\",\"branch\":\"main\","
            + "\"buildUser\":\"sightline\",\"buildDate\":\"\",\"goVersion\":\"\"}"));
    route(sb, "/api/traces/{traceID}", (ctx, q, headers) -> traceById(ctx, q, headers, false));
    route(sb, "/api/v2/traces/{traceID}", (ctx, q, headers) -> traceById(ctx, q, headers, true));
    route(sb, "/api/search", (ctx, q, headers) -> search.search(new TempoParams(q), q.names()));
    route(sb, "/api/search/tags", (ctx, q, headers) -> tags.tags(new TempoParams(q), false));
    route(sb, "/api/v2/search/tags", (ctx, q, headers) -> tags.tags(new TempoParams(q), true));
    route(sb, "regex:^/api/search/tag/(?<tag>.*)/values$",
        (ctx, q, headers) -> tags.tagValues(ctx.pathParam("tag"), new TempoParams(q)));
    route(sb, "regex:^/api/v2/search/tag/(?<tag>.*)/values$",
        (ctx, q, headers) -> tags.tagValuesV2(ctx.pathParam("tag"), new TempoParams(q)));
    route(sb, "/api/metrics/query_range", (ctx, q, headers) -> metrics.queryRange(new TempoParams(q)));
    route(sb, "/api/metrics/query", (ctx, q, headers) -> metrics.queryInstant(new TempoParams(q)));
  }

  private HttpResponse traceById(ServiceRequestContext ctx, QueryParams q, RequestHeaders headers, boolean v2)
      throws IOException, TempoError {
    byte[] id = TraceIds.parse(ctx.pathParam("traceID"));
    long start = seconds(q, "start");
    long end = seconds(q, "end");
    if (start != 0 && end != 0 && end <= start) {
      throw new TempoError("http parameter start must be before end. received start=" + start + " end=" + end);
    }
    Optional<TracesData> trace = store.get().trace(id, start == 0 ? 0 : start * 1_000_000_000L,
        end == 0 ? Long.MAX_VALUE : end * 1_000_000_000L);
    if (trace.isEmpty() || trace.get().getResourceSpansCount() == 0) {
      return HttpResponse.of(ResponseHeaders.of(HttpStatus.NOT_FOUND), HttpData.empty());
    }
    TracesData t = trace.get();
    boolean protobuf = wantsProtobuf(headers);
    byte[] body;
    if (v2) {
      body = protobuf ? traceByIdResponse(t) : ("{\"trace\":" + JSON.print(t) + ",\"metrics\":{\"inspectedBytes\":\""
          + t.getSerializedSize() + "\"}}").getBytes(StandardCharsets.UTF_8);
    } else {
      // Tempo's v1 JSON keeps its historical name for the resource spans: "batches".
      body = protobuf ? t.toByteArray()
          : JSON.print(t).replaceFirst("\"resourceSpans\":", "\"batches\":").getBytes(StandardCharsets.UTF_8);
    }
    return HttpResponse.of(ResponseHeaders.of(HttpStatus.OK, HttpHeaderNames.CONTENT_TYPE,
        protobuf ? PROTOBUF : MediaType.JSON), HttpData.wrap(body));
  }

  /** Tempo's {@code TraceByIDResponse}: the trace (field 1, Tempo's Trace: OTLP's TracesData) and its metrics (2). */
  private static byte[] traceByIdResponse(TracesData trace) throws IOException {
    byte[] traceBytes = trace.toByteArray();
    ByteArrayOutputStream out = new ByteArrayOutputStream(traceBytes.length + 32);
    CodedOutputStream c = CodedOutputStream.newInstance(out);
    c.writeByteArray(1, traceBytes);
    int metricsSize = CodedOutputStream.computeUInt64Size(1, traceBytes.length);
    c.writeTag(2, com.google.protobuf.WireFormat.WIRETYPE_LENGTH_DELIMITED);
    c.writeUInt32NoTag(metricsSize);
    c.writeUInt64(1, traceBytes.length); // inspectedBytes
    c.flush();
    return out.toByteArray();
  }

  /** Tempo's {@code MarshalingFormatFromAcceptHeader}: protobuf when the Accept header names it, else JSON. */
  static boolean wantsProtobuf(RequestHeaders headers) {
    for (String accept : headers.getAll(HttpHeaderNames.ACCEPT)) {
      if (accept.contains("application/protobuf")) {
        return true;
      }
    }
    return false;
  }

  /** Unix seconds; 0 when absent. */
  private static long seconds(QueryParams q, String name) throws TempoError {
    String v = q.get(name, "");
    if (v.isEmpty()) {
      return 0;
    }
    try {
      return Long.parseLong(v);
    } catch (NumberFormatException e) {
      throw new TempoError("invalid " + name + ": strconv.ParseInt: parsing \"" + v + "\": invalid syntax");
    }
  }

  /** A request Tempo refuses with 400 and this message as the body. */
  static final class TempoError extends Exception {
    TempoError(String message) {
      super(message);
    }
  }

  @FunctionalInterface
  private interface Endpoint {
    HttpResponse handle(ServiceRequestContext ctx, QueryParams q, RequestHeaders headers)
        throws IOException, TempoError;
  }

  private static void route(ServerBuilder sb, String path, Endpoint endpoint) {
    sb.service(path, (ctx, req) -> {
      if (req.method() != HttpMethod.GET) {
        return HttpResponse.of(HttpStatus.METHOD_NOT_ALLOWED);
      }
      return HttpResponse.of(req.aggregate().thenApplyAsync(body -> {
        try {
          return endpoint.handle(ctx, QueryParams.fromQueryString(ctx.query() == null ? "" : ctx.query()),
              req.headers());
        } catch (TempoError e) {
          return HttpResponse.of(HttpStatus.BAD_REQUEST, MediaType.PLAIN_TEXT_UTF_8, e.getMessage());
        } catch (InvalidProtocolBufferException e) {
          return HttpResponse.of(HttpStatus.INTERNAL_SERVER_ERROR, MediaType.PLAIN_TEXT_UTF_8, e.getMessage());
        } catch (IOException | RuntimeException e) {
          return HttpResponse.of(HttpStatus.INTERNAL_SERVER_ERROR, MediaType.PLAIN_TEXT_UTF_8,
              String.valueOf(e.getMessage()));
        }
      }, ctx.blockingTaskExecutor()));
    });
  }
}

package io.sightline.api.loki;

import com.linecorp.armeria.common.AggregatedHttpRequest;
import com.linecorp.armeria.common.HttpMethod;
import com.linecorp.armeria.common.HttpResponse;
import com.linecorp.armeria.common.HttpStatus;
import com.linecorp.armeria.common.MediaType;
import com.linecorp.armeria.server.ServerBuilder;
import com.linecorp.armeria.server.ServiceRequestContext;
import io.sightline.api.params.Params;
import io.sightline.core.model.LabelMatcher;
import io.sightline.core.model.Labels;
import io.sightline.logql.engine.EngineLimits;
import io.sightline.logql.engine.LogqlEngine;
import io.sightline.logql.engine.LogqlResult;
import io.sightline.logql.engine.QueryException;
import io.sightline.logql.syntax.ParseException;
import io.sightline.logql.syntax.Parser;
import io.sightline.logql.syntax.Prettifier;
import io.sightline.logstore.LogQuerier;
import io.sightline.logstore.LogStore;
import io.sightline.logstore.SelectRequest.Direction;
import io.sightline.logstore.StreamStats;
import java.io.IOException;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeSet;
import java.util.function.Supplier;

/**
 * Loki's HTTP query API over the log store: {@code query}, {@code query_range}, {@code labels}, {@code label/<name>/
 * values}, {@code series}, {@code index/stats}, {@code index/volume}, {@code index/volume_range}, {@code
 * detected_fields}, {@code detected_field/<name>/values}, {@code detected_labels}, {@code format_query}, {@code
 * status/buildinfo}, {@code drilldown-limits} and {@code tail} (WebSocket); {@code patterns} answers 404 as a Loki
 * without a pattern ingester does. Success answers are Loki's JSON; errors are Loki's plain-text
 * bodies with its status codes. GET and form-encoded POST alike where Loki takes both.
 */
public final class LokiApi {
  /** What Grafana sees as the Loki version: recent enough for every feature its Loki data source gates by version. */
  public static final String REPORTED_VERSION = "3.5.0";

  private final Supplier<LogStore> store;
  private final Options options;
  private final Clock clock;
  private final LogqlEngine engine;
  private final LokiIndex index;
  private final DetectedFields detected;
  private final LokiTail tail;

  /**
   * The limits the API enforces, with Loki's defaults ({@code limits_config}).
   *
   * @param engine the query limits (entries per query, series per query, query length, timeout)
   * @param maxConcurrentTails tail connections open at once ({@code max_concurrent_tail_requests}, 10)
   * @param tailMaxDuration a tail connection is closed after this long ({@code tail_max_duration}, 1h)
   * @param volumeMaxSeries the groups an {@code index/volume} request may aggregate ({@code volume_max_series}, 1000)
   */
  public record Options(EngineLimits engine, int maxConcurrentTails, Duration tailMaxDuration, int volumeMaxSeries) {
    public static final int DEFAULT_MAX_CONCURRENT_TAILS = 10;
    public static final Duration DEFAULT_TAIL_MAX_DURATION = Duration.ofHours(1);
    public static final int DEFAULT_VOLUME_MAX_SERIES = 1000;
    public static final Options DEFAULTS = new Options(EngineLimits.defaults(), DEFAULT_MAX_CONCURRENT_TAILS,
        DEFAULT_TAIL_MAX_DURATION, DEFAULT_VOLUME_MAX_SERIES);

    public Options {
      if (engine == null || maxConcurrentTails <= 0 || tailMaxDuration == null || tailMaxDuration.isNegative()
          || tailMaxDuration.isZero() || volumeMaxSeries <= 0) {
        throw new IllegalArgumentException("Loki API limits must be positive");
      }
    }
  }

  /** @param store the log store, which opens after the routes are built */
  public LokiApi(Supplier<LogStore> store) {
    this(store, Options.DEFAULTS, Clock.systemUTC());
  }

  public LokiApi(Supplier<LogStore> store, Options options, Clock clock) {
    this.store = store;
    this.options = options;
    this.clock = clock;
    this.engine = new LogqlEngine(options.engine());
    this.index = new LokiIndex(store, options);
    this.detected = new DetectedFields(store, engine);
    this.tail = new LokiTail(store, options, clock);
  }

  /** The routes under {@code /loki/api/v1}. */
  public void addRoutes(ServerBuilder sb) {
    route(sb, "/loki/api/v1/query", this::query);
    route(sb, "/loki/api/v1/query_range", this::queryRange);
    route(sb, "/loki/api/v1/labels", (ctx, p) -> index.labels(p, null));
    route(sb, "/loki/api/v1/label", (ctx, p) -> index.labels(p, null));
    route(sb, "/loki/api/v1/label/{name}/values", (ctx, p) -> index.labels(p, ctx.pathParam("name")));
    route(sb, "/loki/api/v1/series", (ctx, p) -> index.series(p));
    route(sb, "/loki/api/v1/index/stats", (ctx, p) -> index.stats(p));
    route(sb, "/loki/api/v1/index/volume", (ctx, p) -> index.volume(p, false));
    route(sb, "/loki/api/v1/index/volume_range", (ctx, p) -> index.volume(p, true));
    route(sb, "/loki/api/v1/detected_fields", (ctx, p) -> detected.fields(ctx, p, null));
    route(sb, "/loki/api/v1/detected_field/{name}/values", (ctx, p) -> detected.fields(ctx, p,
        ctx.pathParam("name")));
    route(sb, "/loki/api/v1/detected_labels", (ctx, p) -> detected.labels(p));
    route(sb, "/loki/api/v1/format_query", (ctx, p) -> formatQuery(p));
    sb.service("/loki/api/v1/status/buildinfo", (ctx, req) -> LokiJson.ok(g -> {
      g.writeStartObject();
      g.writeStringField("version", REPORTED_VERSION);
      g.writeStringField("revision", "sightline");
      g.writeStringField("branch", "main");
      g.writeStringField("buildUser", "sightline");
      g.writeStringField("buildDate", "");
      g.writeStringField("goVersion", "sightline (java " + Runtime.version().feature() + ")");
      g.writeEndObject();
    }));
    // No pattern ingester runs: Loki then answers 404 with an empty body (drilldown-limits says so too).
    route(sb, "/loki/api/v1/patterns", (ctx, p) -> {
      throw new LokiError(HttpStatus.NOT_FOUND, "");
    });
    sb.service("/loki/api/v1/drilldown-limits", (ctx, req) -> LokiJson.ok(this::drilldownLimits));
    sb.service("/loki/api/v1/tail", tail.service());
  }

  /**
   * What Grafana's Logs Drilldown reads of the tenant's limits (Loki's default allowlist, those Sightline has), and
   * that no pattern ingester runs, which hides its Patterns tab.
   */
  private void drilldownLimits(com.fasterxml.jackson.core.JsonGenerator g) throws IOException {
    EngineLimits l = options.engine();
    g.writeStartObject();
    g.writeObjectFieldStart("limits");
    g.writeBooleanField("discover_log_levels", true);
    g.writeArrayFieldStart("discover_service_name");
    for (String n : List.of("service", "app", "application", "app_name", "name", "app_kubernetes_io_name",
        "container", "container_name", "k8s_container_name", "component", "workload", "job", "k8s_job_name")) {
      g.writeString(n);
    }
    g.writeEndArray();
    g.writeArrayFieldStart("log_level_fields");
    for (String n : List.of("level", "LEVEL", "Level", "severity", "SEVERITY", "Severity", "lvl", "LVL", "Lvl")) {
      g.writeString(n);
    }
    g.writeEndArray();
    g.writeNumberField("max_entries_limit_per_query", l.maxEntriesLimitPerQuery());
    g.writeBooleanField("max_line_size_truncate", false);
    g.writeStringField("max_query_bytes_read", "0B");
    g.writeStringField("max_query_length", io.sightline.core.model.Durations.format(l.maxQueryLength().toMillis()));
    g.writeStringField("max_query_lookback", "0s");
    g.writeStringField("max_query_range", io.sightline.core.model.Durations.format(l.maxQueryRange().toMillis()));
    g.writeNumberField("max_query_series", l.maxQuerySeries());
    g.writeBooleanField("metric_aggregation_enabled", false);
    g.writeBooleanField("pattern_persistence_enabled", false);
    g.writeStringField("query_timeout", io.sightline.core.model.Durations.format(l.queryTimeout().toMillis()));
    g.writeBooleanField("volume_enabled", true);
    g.writeNumberField("volume_max_series", options.volumeMaxSeries());
    g.writeEndObject();
    g.writeBooleanField("pattern_ingester_enabled", false);
    g.writeStringField("version", REPORTED_VERSION);
    g.writeEndObject();
  }

  @FunctionalInterface
  interface Endpoint {
    HttpResponse handle(ServiceRequestContext ctx, LokiParams params) throws LokiError, IOException;
  }

  private void route(ServerBuilder sb, String path, Endpoint endpoint) {
    sb.service(path, (ctx, req) -> {
      if (req.method() != HttpMethod.GET && req.method() != HttpMethod.POST) {
        return HttpResponse.of(HttpStatus.METHOD_NOT_ALLOWED);
      }
      // The engine stops a query at query_timeout with Loki's 504; the request must outlive it to answer so.
      Duration timeout = options.engine().queryTimeout();
      if (timeout.isZero()) {
        ctx.clearRequestTimeout();
      } else {
        ctx.setRequestTimeout(com.linecorp.armeria.common.util.TimeoutMode.SET_FROM_NOW, timeout.plusSeconds(5));
      }
      return HttpResponse.of(req.aggregate().thenApplyAsync((AggregatedHttpRequest body) -> {
        try {
          return endpoint.handle(ctx, new LokiParams(Params.of(ctx.query(), body), nowNanos()));
        } catch (LokiError e) {
          return e.response();
        } catch (IOException | RuntimeException e) {
          return LokiError.response(HttpStatus.INTERNAL_SERVER_ERROR, e.getMessage() == null ? e.toString()
              : e.getMessage());
        }
      }, ctx.blockingTaskExecutor()));
    });
  }

  private long nowNanos() {
    java.time.Instant now = clock.instant();
    return now.getEpochSecond() * 1_000_000_000L + now.getNano();
  }

  /** {@code query}, {@code time}, {@code limit}, {@code direction}: metric queries only, as Loki 3 has it. */
  private HttpResponse query(ServiceRequestContext ctx, LokiParams p) throws LokiError {
    int limit = p.limit();
    long time = p.time();
    Direction direction = p.forward() ? Direction.FORWARD : Direction.BACKWARD;
    parse(p.query());
    LogqlResult r = run(() -> engine.instant(store.get().querier(), p.query(), time, direction, limit,
        ctx::isCancelled));
    return result(ctx, r);
  }

  /** {@code query}, {@code start}, {@code end}, {@code since}, {@code step}, {@code interval}, {@code limit}, ... */
  private HttpResponse queryRange(ServiceRequestContext ctx, LokiParams p) throws LokiError {
    LokiParams.RangeQuery q = p.rangeQuery();
    parse(q.query());
    LogqlResult r = run(() -> engine.range(store.get().querier(), q.query(), q.start(), q.end(), q.step(),
        q.interval(), q.forward() ? Direction.FORWARD : Direction.BACKWARD, q.limit(), ctx::isCancelled));
    return result(ctx, r);
  }

  private static HttpResponse result(ServiceRequestContext ctx, LogqlResult r) {
    boolean categorize = categorizeLabels(ctx);
    return LokiJson.success(g -> LokiJson.data(g, r, categorize));
  }

  /** Whether {@code X-Loki-Response-Encoding-Flags} asks for Loki 3's split of labels (Grafana sends it). */
  static boolean categorizeLabels(ServiceRequestContext ctx) {
    for (String v : ctx.request().headers().getAll("X-Loki-Response-Encoding-Flags")) {
      for (String flag : v.split(",")) {
        if (flag.trim().equals(LokiJson.CATEGORIZE_LABELS)) {
          return true;
        }
      }
    }
    return false;
  }

  @FunctionalInterface
  interface EngineCall {
    LogqlResult run() throws ParseException, QueryException;
  }

  static LogqlResult run(EngineCall call) throws LokiError {
    try {
      return call.run();
    } catch (ParseException e) {
      throw LokiError.badRequest(e.getMessage());
    } catch (QueryException e) {
      throw new LokiError(HttpStatus.valueOf(e.status()), e.getMessage());
    }
  }

  /** Loki answers a query it cannot parse with 400 and a JSON body here, unlike its other endpoints. */
  private static HttpResponse formatQuery(LokiParams p) {
    try {
      String formatted = Prettifier.prettify(Parser.parseExpr(p.query()));
      return LokiJson.success(g -> g.writeString(formatted));
    } catch (ParseException e) {
      return HttpResponse.of(com.linecorp.armeria.common.ResponseHeaders.of(HttpStatus.BAD_REQUEST,
          com.linecorp.armeria.common.HttpHeaderNames.CONTENT_TYPE, MediaType.JSON_UTF_8),
          com.linecorp.armeria.common.HttpData.wrap(LokiJson.bytes(g -> {
            g.writeStartObject();
            g.writeStringField("status", "invalid-query");
            g.writeStringField("error", e.getMessage());
            g.writeEndObject();
          })));
    }
  }

  /** Loki's query frontend parses a query before anything runs it: a bad query is a 400 with the position. */
  private static void parse(String query) throws LokiError {
    try {
      Parser.parseExpr(query);
    } catch (ParseException e) {
      throw LokiError.badRequest(e.getMessage());
    }
  }

  /** A selector's matchers, validated as Loki's {@code syntax.ParseMatchers(query, true)}. */
  static List<LabelMatcher> matchers(String query) throws LokiError {
    try {
      return Parser.parseMatchers(query, true);
    } catch (ParseException e) {
      throw LokiError.badRequest(e.getMessage());
    }
  }

  /** Loki's {@code ValidateQueryTimeRangeLimits} for the index endpoints. */
  static void checkRange(long start, long end, EngineLimits limits) throws LokiError {
    long max = limits.maxQueryLength().toNanos();
    if (max > 0 && end - start > max) {
      throw LokiError.badRequest("the query time range exceeds the limit (query length: "
          + LokiParams.goDuration(end - start) + ", limit: "
          + io.sightline.core.model.Durations.format(limits.maxQueryLength().toMillis()) + ")");
    }
    if (end < start) {
      throw LokiError.badRequest("this data is no longer available, it is past now - max_query_lookback (0s)");
    }
  }

  static <T> TreeSet<T> sorted(List<T> values) {
    return new TreeSet<>(values);
  }

  static Labels keep(Labels l, java.util.Set<String> names) {
    Labels.Builder b = Labels.builder();
    for (int i = 0; i < l.size(); i++) {
      if (names.contains(l.name(i))) {
        b.set(l.name(i), l.value(i));
      }
    }
    return b.build();
  }

  static List<StreamStats> streamStats(LogQuerier q, List<LabelMatcher> m, long start, long end) throws IOException {
    return new ArrayList<>(q.streamStats(m, start, end));
  }
}

package io.sightline.api.prometheus;

import com.fasterxml.jackson.core.JsonGenerator;
import com.linecorp.armeria.common.AggregatedHttpRequest;
import com.linecorp.armeria.common.HttpMethod;
import com.linecorp.armeria.common.HttpResponse;
import com.linecorp.armeria.server.ServerBuilder;
import com.linecorp.armeria.server.ServiceRequestContext;
import io.sightline.api.params.InvalidParameterException;
import io.sightline.api.params.Params;
import io.sightline.core.model.Histogram;
import io.sightline.core.model.Labels;
import io.sightline.metricstore.Exemplar;
import io.sightline.metricstore.MetricMetadata;
import io.sightline.metricstore.MetricStore;
import io.sightline.metricstore.SeriesExemplars;
import io.sightline.metricstore.StoreStats;
import io.sightline.metricstore.Querier;
import io.sightline.metricstore.Series;
import io.sightline.promql.engine.Engine;
import io.sightline.promql.engine.EngineOptions;
import io.sightline.promql.engine.Matrix;
import io.sightline.promql.engine.QueryException;
import io.sightline.promql.engine.QueryResult;
import io.sightline.promql.engine.Sample;
import io.sightline.promql.engine.Value;
import io.sightline.promql.engine.Vector;
import io.sightline.promql.parser.ParseException;
import io.sightline.promql.parser.Parser;
import io.sightline.promql.parser.VectorSelector;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import java.util.function.Supplier;
import java.util.regex.Pattern;

/**
 * The read side of the Prometheus HTTP API over the metric store: query, query_range, series, labels, label values
 * and build info. GET and form-encoded POST alike, as Prometheus accepts both.
 */
public final class PrometheusApi {
  /** Prometheus' cap on points per series in a range query. */
  static final int MAX_POINTS_PER_SERIES = 11_000;
  private static final long MIN_TIME = Long.MIN_VALUE / 4;
  private static final long MAX_TIME = Long.MAX_VALUE / 4;
  private static final Pattern LABEL_NAME = Pattern.compile("[a-zA-Z_][a-zA-Z0-9_]*");
  /** What Grafana and promtool see as the server's version: a Prometheus recent enough to enable every feature. */
  public static final String REPORTED_VERSION = "3.5.0";

  private final Supplier<MetricStore> store;
  private final Options options;
  private final ScrapeTargets targets;
  private final boolean adminApi;
  private final java.time.OffsetDateTime startTime = java.time.OffsetDateTime.now();

  /**
   * What the API reports about the server around the store.
   *
   * @param adminApi whether {@code /api/v1/admin/*} works (Prometheus' {@code --web.enable-admin-api})
   * @param configYaml what {@code /api/v1/status/config} shows, secrets already masked
   * @param flags what {@code /api/v1/status/flags} shows, under Prometheus' flag names where one applies
   * @param storageRetention as runtimeinfo reports it, e.g. {@code 15d} or {@code 15d or 10GiB}
   */
  public record Options(ScrapeTargets targets, boolean adminApi, String configYaml, Map<String, String> flags,
      String storageRetention, EngineOptions engine) {
    public static final Options DEFAULT = new Options(ScrapeTargets.NONE, false, "", Map.of(), "15d",
        EngineOptions.DEFAULTS);

    public Options {
      flags = Map.copyOf(flags);
    }

    public Options(ScrapeTargets targets, boolean adminApi, String configYaml, Map<String, String> flags,
        String storageRetention) {
      this(targets, adminApi, configYaml, flags, storageRetention, EngineOptions.DEFAULTS);
    }
  }

  /** @param store the metric store, which opens after the routes are built */
  public PrometheusApi(Supplier<MetricStore> store) {
    this(store, Options.DEFAULT);
  }

  public PrometheusApi(Supplier<MetricStore> store, Options options) {
    this.store = store;
    this.options = options;
    this.targets = options.targets();
    this.adminApi = options.adminApi();
  }

  /** The routes under {@code /api/v1}. */
  public void addRoutes(ServerBuilder sb) {
    route(sb, "/api/v1/query", this::query, true);
    route(sb, "/api/v1/query_range", this::queryRange, true);
    route(sb, "/api/v1/series", this::series, true);
    route(sb, "/api/v1/query_exemplars", this::queryExemplars, true);
    route(sb, "/api/v1/metadata", this::metadata, false);
    route(sb, "/api/v1/labels", this::labels, true);
    route(sb, "/api/v1/label/{name}/values", this::labelValues, false);
    route(sb, "/api/v1/status/buildinfo", (ctx, p) -> buildInfo(), false);
    route(sb, "/api/v1/status/tsdb", this::tsdbStatus, false);
    route(sb, "/api/v1/status/runtimeinfo", (ctx, p) -> runtimeInfo(), false);
    route(sb, "/api/v1/targets", this::targets, false);
    route(sb, "/api/v1/format_query", (ctx, p) -> {
      String formatted = io.sightline.promql.parser.Printer.print(parsed(queryParam(p)));
      return Json.success(g -> g.writeString(formatted), List.of());
    }, true);
    route(sb, "/api/v1/status/config", (ctx, p) -> Json.success(g -> {
      g.writeStartObject();
      g.writeStringField("yaml", options.configYaml());
      g.writeEndObject();
    }, List.of()), false);
    route(sb, "/api/v1/status/flags", (ctx, p) -> Json.success(g -> {
      g.writeStartObject();
      for (var e : new java.util.TreeMap<>(options.flags()).entrySet()) {
        g.writeStringField(e.getKey(), e.getValue());
      }
      g.writeEndObject();
    }, List.of()), false);
    adminRoute(sb, "/api/v1/admin/tsdb/snapshot", this::snapshot);
    adminRoute(sb, "/api/v1/admin/tsdb/delete_series", this::deleteSeries);
    adminRoute(sb, "/api/v1/admin/tsdb/clean_tombstones", (ctx, p) -> {
      try {
        store.get().cleanTombstones();
      } catch (java.io.IOException | UnsupportedOperationException e) {
        throw new ApiError(ApiError.Type.INTERNAL, "clean tombstones: " + e.getMessage());
      }
      return HttpResponse.of(com.linecorp.armeria.common.HttpStatus.NO_CONTENT);
    });
    route(sb, "/api/v1/targets/metadata", this::targetsMetadata, false);
    route(sb, "/api/v1/scrape_pools", (ctx, p) -> {
      java.util.Set<String> pools = new java.util.LinkedHashSet<>();
      targets.active().forEach(t -> pools.add(t.scrapePool()));
      return Json.success(g -> {
        g.writeStartObject();
        g.writeArrayFieldStart("scrapePools");
        for (String pool : pools) {
          g.writeString(pool);
        }
        g.writeEndArray();
        g.writeEndObject();
      }, List.of());
    }, false);
  }

  /** {@code state} (active, dropped, any) and {@code scrapePool} filter; dropped targets are not kept. */
  private HttpResponse targets(ServiceRequestContext ctx, Params p) throws ApiError {
    String state = p.get("state") == null ? "any" : p.get("state").toLowerCase(java.util.Locale.ROOT);
    String pool = p.get("scrapePool");
    List<ScrapeTargets.Active> active = new ArrayList<>();
    java.util.Map<String, Integer> pools = new java.util.TreeMap<>();
    for (ScrapeTargets.Active t : targets.active()) {
      pools.putIfAbsent(t.scrapePool(), 0);
      if ((pool == null || pool.isEmpty() || pool.equals(t.scrapePool())) && !state.equals("dropped")) {
        active.add(t);
      }
    }
    return Json.success(g -> {
      g.writeStartObject();
      g.writeArrayFieldStart("activeTargets");
      for (ScrapeTargets.Active t : active) {
        g.writeStartObject();
        g.writeFieldName("discoveredLabels");
        Json.labels(g, t.discoveredLabels());
        g.writeFieldName("labels");
        Json.labels(g, t.labels());
        g.writeStringField("scrapePool", t.scrapePool());
        g.writeStringField("scrapeUrl", t.scrapeUrl());
        g.writeStringField("globalUrl", t.scrapeUrl());
        g.writeStringField("lastError", t.lastError());
        g.writeStringField("lastScrape", t.lastScrapeMs() == 0 ? "0001-01-01T00:00:00Z"
            : java.time.Instant.ofEpochMilli(t.lastScrapeMs()).toString());
        g.writeNumberField("lastScrapeDuration", t.lastScrapeDurationSeconds());
        g.writeStringField("health", t.health());
        g.writeStringField("scrapeInterval", t.scrapeInterval());
        g.writeStringField("scrapeTimeout", t.scrapeTimeout());
        g.writeEndObject();
      }
      g.writeEndArray();
      g.writeArrayFieldStart("droppedTargets");
      g.writeEndArray();
      g.writeObjectFieldStart("droppedTargetCounts");
      for (String name : pools.keySet()) {
        g.writeNumberField(name, 0);
      }
      g.writeEndObject();
      g.writeEndObject();
    }, List.of());
  }

  /** {@code match_target} (a selector over target labels), {@code metric}, {@code limit}. */
  private HttpResponse targetsMetadata(ServiceRequestContext ctx, Params p) throws ApiError, InvalidParameterException {
    int limit = p.get("limit") == null || p.get("limit").equals("-1") ? 0 : p.limit("limit");
    String metric = p.get("metric");
    String matchTarget = p.get("match_target");
    List<io.sightline.core.model.LabelMatcher> matchers = matchTarget == null || matchTarget.isEmpty() ? List.of()
        : selector("match_target", matchTarget).matchers();
    List<Object[]> rows = new ArrayList<>();
    for (ScrapeTargets.Active t : targets.active()) {
      if (!matchers.stream().allMatch(m -> m.matches(t.labels().get(m.name())))) {
        continue;
      }
      for (var e : new java.util.TreeMap<>(t.metadata()).entrySet()) {
        if (metric == null || metric.isEmpty() || metric.equals(e.getKey())) {
          rows.add(new Object[] {t.labels(), e.getKey(), e.getValue()});
        }
      }
    }
    if (!rows.isEmpty()) {
      boolean oneMetric = metric != null && !metric.isEmpty();
      List<Object[]> out = limit > 0 && rows.size() > limit ? rows.subList(0, limit) : rows;
      return Json.success(g -> {
        g.writeStartArray();
        for (Object[] r : out) {
          MetricMetadata m = (MetricMetadata) r[2];
          g.writeStartObject();
          g.writeFieldName("target");
          Json.labels(g, (Labels) r[0]);
          if (!oneMetric) {
            g.writeStringField("metric", (String) r[1]); // Prometheus leaves it out when the query named it
          }
          g.writeStringField("type", m.type());
          g.writeStringField("help", m.help());
          g.writeStringField("unit", m.unit());
          g.writeEndObject();
        }
        g.writeEndArray();
      }, List.of());
    }
    // Prometheus' answer to nothing found, with or without filters.
    throw new ApiError(ApiError.Type.NOT_FOUND, "specified metadata not found");
  }

  @FunctionalInterface
  private interface Endpoint {
    HttpResponse handle(ServiceRequestContext ctx, Params params) throws ApiError, InvalidParameterException;
  }

  /** Admin endpoints take POST or PUT, and answer 503 "admin APIs disabled" unless enabled, as Prometheus does. */
  private void adminRoute(ServerBuilder sb, String path, Endpoint endpoint) {
    sb.service(path, (ctx, req) -> {
      if (req.method() != HttpMethod.POST && req.method() != HttpMethod.PUT) {
        return HttpResponse.of(com.linecorp.armeria.common.HttpStatus.METHOD_NOT_ALLOWED);
      }
      return HttpResponse.of(req.aggregate().thenApplyAsync((AggregatedHttpRequest body) -> {
        try {
          if (!adminApi) {
            throw new ApiError(ApiError.Type.UNAVAILABLE, "admin APIs disabled");
          }
          return endpoint.handle(ctx, Params.of(ctx.query(), body));
        } catch (ApiError e) {
          return Json.error(e);
        } catch (InvalidParameterException | IllegalArgumentException e) {
          return Json.error(new ApiError(ApiError.Type.BAD_DATA, e.getMessage()));
        }
      }, ctx.blockingTaskExecutor()));
    });
  }

  /** {@code match[]} (required), {@code start}, {@code end}; 204 when done, as Prometheus answers. */
  private HttpResponse deleteSeries(ServiceRequestContext ctx, Params p) throws ApiError, InvalidParameterException {
    List<String> match = p.getAll("match[]");
    if (match.isEmpty()) {
      throw new ApiError(ApiError.Type.BAD_DATA, "no match[] parameter provided");
    }
    long start = p.timeMs("start", MIN_TIME);
    long end = p.timeMs("end", MAX_TIME);
    List<List<io.sightline.core.model.LabelMatcher>> selectors = new ArrayList<>();
    for (String m : match) {
      selectors.add(selector("match[]", m).matchers());
    }
    try {
      for (var matchers : selectors) {
        store.get().deleteSeries(matchers, start, end);
      }
    } catch (java.io.IOException | UnsupportedOperationException e) {
      throw new ApiError(ApiError.Type.INTERNAL, "delete series: " + e.getMessage());
    }
    return HttpResponse.of(com.linecorp.armeria.common.HttpStatus.NO_CONTENT);
  }

  /** Prometheus' answer: {@code {"name": "20171210T211224Z-2be650b6d019eb54"}}. */
  private HttpResponse snapshot(ServiceRequestContext ctx, Params p) throws ApiError, InvalidParameterException {
    String skip = p.get("skip_head");
    boolean skipHead = skip != null && !skip.isEmpty() && Boolean.parseBoolean(skip);
    if (skip != null && !skip.isEmpty() && !skip.equalsIgnoreCase("true") && !skip.equalsIgnoreCase("false")) {
      throw new ApiError(ApiError.Type.BAD_DATA, "unable to parse boolean 'skip_head' argument: strconv.ParseBool: "
          + "parsing \"" + skip + "\": invalid syntax");
    }
    String name;
    try {
      name = store.get().snapshot(skipHead);
    } catch (java.io.IOException | UnsupportedOperationException e) {
      throw new ApiError(ApiError.Type.INTERNAL, "create snapshot: " + e.getMessage());
    }
    return Json.success(g -> {
      g.writeStartObject();
      g.writeStringField("name", name);
      g.writeEndObject();
    }, List.of());
  }

  private static void route(ServerBuilder sb, String path, Endpoint endpoint, boolean allowPost) {
    sb.service(path, (ctx, req) -> {
      if (req.method() != HttpMethod.GET && !(allowPost && req.method() == HttpMethod.POST)) {
        return HttpResponse.of(com.linecorp.armeria.common.HttpStatus.METHOD_NOT_ALLOWED);
      }
      return HttpResponse.of(req.aggregate().thenApplyAsync((AggregatedHttpRequest body) -> {
        try {
          return endpoint.handle(ctx, Params.of(ctx.query(), body));
        } catch (ApiError e) {
          return Json.error(e);
        } catch (InvalidParameterException e) {
          return Json.error(new ApiError(ApiError.Type.BAD_DATA, e.getMessage()));
        } catch (IllegalArgumentException e) {
          return Json.error(new ApiError(ApiError.Type.BAD_DATA, e.getMessage()));
        }
      }, ctx.blockingTaskExecutor()));
    });
  }

  private HttpResponse query(ServiceRequestContext ctx, Params p) throws ApiError, InvalidParameterException {
    String query = queryParam(p);
    long t = p.timeMs("time", System.currentTimeMillis());
    Engine engine = engine(p);
    QueryResult result = run(() -> engine.instant(store.get().querier(), query, t, ctx::isCancelled));
    return result(result);
  }

  private HttpResponse queryRange(ServiceRequestContext ctx, Params p) throws ApiError, InvalidParameterException {
    String query = queryParam(p);
    long start = requiredTime(p, "start");
    long end = requiredTime(p, "end");
    if (end < start) {
      throw new ApiError(ApiError.Type.BAD_DATA, "invalid parameter \"end\": end timestamp must not be before start time");
    }
    Duration stepDuration = p.duration("step");
    if (stepDuration == null) {
      throw new InvalidParameterException("step", "cannot parse \"\" to a valid duration");
    }
    long step = stepDuration.toMillis();
    if (step <= 0) {
      throw new ApiError(ApiError.Type.BAD_DATA, "invalid parameter \"step\": zero or negative query resolution step "
          + "widths are not accepted. Try a positive integer");
    }
    if ((end - start) / step > MAX_POINTS_PER_SERIES) {
      throw new ApiError(ApiError.Type.BAD_DATA, "exceeded maximum resolution of 11,000 points per timeseries. Try "
          + "decreasing the query resolution (?step=XX)");
    }
    Engine engine = engine(p);
    QueryResult result = run(() -> engine.range(store.get().querier(), query, start, end, step, ctx::isCancelled));
    return result(result);
  }

  private interface EngineCall {
    QueryResult call() throws QueryException;
  }

  /** Runs a query, mapping the engine's errors to Prometheus' error types. */
  private static QueryResult run(EngineCall call) throws ApiError {
    try {
      return call.call();
    } catch (QueryException e) {
      ApiError.Type type = switch (e.kind()) {
        case BAD_DATA -> ApiError.Type.BAD_DATA;
        case EXECUTION -> ApiError.Type.EXECUTION;
        case TIMEOUT -> ApiError.Type.TIMEOUT;
        case CANCELED -> ApiError.Type.CANCELED;
      };
      String message = e.kind() == QueryException.Kind.BAD_DATA ? "invalid parameter \"query\": " + e.getMessage()
          : e.getMessage();
      throw new ApiError(type, message);
    }
  }

  /** The engine with this request's {@code lookback_delta} and {@code timeout}, each bounded by the server's. */
  private Engine engine(Params p) throws InvalidParameterException {
    EngineOptions o = options.engine();
    Duration lookback = p.duration("lookback_delta");
    Duration timeout = p.duration("timeout");
    return new Engine(new EngineOptions(lookback == null || lookback.isZero() ? o.lookbackDelta() : lookback,
        o.maxSamples(), timeout == null || timeout.isZero() || timeout.compareTo(o.timeout()) > 0 ? o.timeout()
            : timeout));
  }

  /** {@code {"resultType": …, "result": …}} with the query's warnings and infos. */
  private static HttpResponse result(QueryResult r) {
    return Json.success(g -> {
      g.writeStartObject();
      switch (r.value()) {
        case Value.Scalar s -> {
          g.writeStringField("resultType", "scalar");
          g.writeFieldName("result");
          Json.point(g, s.timestamp(), s.value());
        }
        case Value.StringValue s -> {
          g.writeStringField("resultType", "string");
          g.writeFieldName("result");
          g.writeStartArray();
          Json.timestamp(g, s.timestamp());
          g.writeString(s.value());
          g.writeEndArray();
        }
        case Vector v -> {
          g.writeStringField("resultType", "vector");
          g.writeArrayFieldStart("result");
          for (Sample sample : v.samples()) {
            g.writeStartObject();
            g.writeFieldName("metric");
            Json.labels(g, sample.labels());
            if (sample.histogram() == null) {
              g.writeFieldName("value");
              Json.point(g, sample.timestamp(), sample.value());
            } else {
              g.writeFieldName("histogram");
              Json.point(g, sample.timestamp(), sample.histogram());
            }
            g.writeEndObject();
          }
          g.writeEndArray();
        }
        case Matrix m -> {
          g.writeStringField("resultType", "matrix");
          g.writeArrayFieldStart("result");
          for (Matrix.Series series : m.series()) {
            matrixSeries(g, series);
          }
          g.writeEndArray();
        }
      }
      g.writeEndObject();
    }, r.warnings(), r.infos());
  }

  private static void matrixSeries(JsonGenerator g, Matrix.Series r) throws java.io.IOException {
    g.writeStartObject();
    g.writeFieldName("metric");
    Json.labels(g, r.labels());
    // Prometheus lists a series' float points and histogram points apart, each list only when it has any.
    boolean floats = false;
    for (int i = 0; i < r.count(); i++) {
      if (r.histogram(i) == null) {
        if (!floats) {
          g.writeArrayFieldStart("values");
          floats = true;
        }
        Json.point(g, r.timestamps()[i], r.values()[i]);
      }
    }
    if (floats) {
      g.writeEndArray();
    }
    boolean histograms = false;
    for (int i = 0; i < r.count(); i++) {
      if (r.histogram(i) != null) {
        if (!histograms) {
          g.writeArrayFieldStart("histograms");
          histograms = true;
        }
        Json.point(g, r.timestamps()[i], r.histogram(i));
      }
    }
    if (histograms) {
      g.writeEndArray();
    }
    g.writeEndObject();
  }

  /**
   * Exemplars of the selected series: {@code [{"seriesLabels": {...}, "exemplars": [{"labels": {...}, "value": "6",
   * "timestamp": 1600096945.479}]}]}. Grafana calls it with {@code query=test} to learn whether exemplars are on.
   */
  private HttpResponse queryExemplars(ServiceRequestContext ctx, Params p) throws ApiError, InvalidParameterException {
    VectorSelector selector = exemplarSelector(p.get("query"));
    long start = p.timeMs("start", MIN_TIME);
    long end = p.timeMs("end", MAX_TIME);
    if (end < start) {
      throw new ApiError(ApiError.Type.BAD_DATA, "end timestamp must not be before start timestamp");
    }
    List<SeriesExemplars> found = store.get().querier().exemplars(selector.matchers(), start, end);
    return Json.success(g -> {
      g.writeStartArray();
      for (SeriesExemplars se : found) {
        g.writeStartObject();
        g.writeFieldName("seriesLabels");
        Json.labels(g, se.seriesLabels());
        g.writeArrayFieldStart("exemplars");
        for (Exemplar e : se.exemplars()) {
          g.writeStartObject();
          g.writeFieldName("labels");
          Json.labels(g, e.labels());
          g.writeStringField("value", Json.formatValue(e.value()));
          g.writeFieldName("timestamp");
          Json.timestamp(g, e.timestampMs());
          g.writeEndObject();
        }
        g.writeEndArray();
        g.writeEndObject();
      }
      g.writeEndArray();
    }, List.of());
  }

  /**
   * {@code {"<metric>": [{"type": "counter", "help": "...", "unit": ""}]}}; {@code metric} selects one family,
   * {@code limit} caps the families. Sightline keeps the latest metadata of a family, so each list has one entry.
   */
  private HttpResponse metadata(ServiceRequestContext ctx, Params p) throws ApiError, InvalidParameterException {
    int limit = p.get("limit") == null || p.get("limit").equals("-1") ? 0 : p.limit("limit");
    java.util.SortedMap<String, MetricMetadata> all = store.get().querier().metadata(p.get("metric"));
    return Json.success(g -> {
      g.writeStartObject();
      int written = 0;
      for (var e : all.entrySet()) {
        if (limit > 0 && written++ >= limit) {
          break;
        }
        g.writeArrayFieldStart(e.getKey());
        g.writeStartObject();
        g.writeStringField("type", e.getValue().type());
        g.writeStringField("help", e.getValue().help());
        g.writeStringField("unit", e.getValue().unit());
        g.writeEndObject();
        g.writeEndArray();
      }
      g.writeEndObject();
    }, List.of());
  }

  private HttpResponse series(ServiceRequestContext ctx, Params p) throws ApiError, InvalidParameterException {
    List<String> match = p.getAll("match[]");
    if (match.isEmpty()) {
      throw new ApiError(ApiError.Type.BAD_DATA, "no match[] parameter provided");
    }
    long start = p.timeMs("start", MIN_TIME);
    long end = p.timeMs("end", MAX_TIME);
    int limit = p.limit("limit");
    TreeSet<Labels> found = new TreeSet<>();
    Querier q = store.get().querier();
    for (String m : match) {
      for (Series s : q.select(selector("match[]", m).matchers(), start, end)) {
        found.add(s.labels());
      }
    }
    List<String> warnings = new ArrayList<>();
    List<Labels> out = new ArrayList<>(found);
    if (limit > 0 && out.size() > limit) {
      out = out.subList(0, limit);
      warnings.add("results truncated due to limit");
    }
    List<Labels> result = out;
    return Json.success(g -> {
      g.writeStartArray();
      for (Labels l : result) {
        Json.labels(g, l);
      }
      g.writeEndArray();
    }, warnings);
  }

  private HttpResponse labels(ServiceRequestContext ctx, Params p) throws ApiError, InvalidParameterException {
    TreeSet<String> names = new TreeSet<>();
    Querier q = store.get().querier();
    long start = p.timeMs("start", MIN_TIME);
    long end = p.timeMs("end", MAX_TIME);
    List<String> match = p.getAll("match[]");
    if (match.isEmpty()) {
      names.addAll(q.labelNames(List.of(), start, end));
    } else {
      for (String m : match) {
        names.addAll(q.labelNames(selector("match[]", m).matchers(), start, end));
      }
    }
    return strings(names, p.limit("limit"));
  }

  private HttpResponse labelValues(ServiceRequestContext ctx, Params p) throws ApiError, InvalidParameterException {
    String name = ctx.pathParam("name");
    if (name.startsWith("U__")) {
      name = unescape(name);
    }
    if (!LABEL_NAME.matcher(name).matches()) {
      throw new ApiError(ApiError.Type.BAD_DATA, "invalid label name: \"" + name + "\"");
    }
    TreeSet<String> values = new TreeSet<>();
    Querier q = store.get().querier();
    long start = p.timeMs("start", MIN_TIME);
    long end = p.timeMs("end", MAX_TIME);
    List<String> match = p.getAll("match[]");
    if (match.isEmpty()) {
      values.addAll(q.labelValues(name, List.of(), start, end));
    } else {
      for (String m : match) {
        values.addAll(q.labelValues(name, selector("match[]", m).matchers(), start, end));
      }
    }
    return strings(values, p.limit("limit"));
  }

  private static HttpResponse buildInfo() {
    return Json.success(g -> {
      g.writeStartObject();
      g.writeStringField("version", REPORTED_VERSION);
      g.writeStringField("revision", "sightline");
      g.writeStringField("branch", "main");
      g.writeStringField("buildUser", "sightline");
      g.writeStringField("buildDate", "");
      g.writeStringField("goVersion", "sightline (java " + Runtime.version().feature() + ")");
      g.writeEndObject();
    }, List.of());
  }

  /** Head cardinality, in Prometheus' shape; {@code limit} (default 10) cuts each ranking. */
  private HttpResponse tsdbStatus(ServiceRequestContext ctx, Params p) throws ApiError, InvalidParameterException {
    int limit = p.get("limit") == null ? 10 : p.limit("limit");
    if (limit <= 0) {
      throw new ApiError(ApiError.Type.BAD_DATA, "limit must be a positive number");
    }
    StoreStats stats = store.get().stats(limit);
    return Json.success(g -> {
      g.writeStartObject();
      g.writeObjectFieldStart("headStats");
      g.writeNumberField("numSeries", stats.numSeries());
      g.writeNumberField("numLabelPairs", stats.numLabelPairs());
      g.writeNumberField("chunkCount", stats.chunkCount());
      g.writeNumberField("minTime", stats.minTime());
      g.writeNumberField("maxTime", stats.maxTime());
      g.writeEndObject();
      counts(g, "seriesCountByMetricName", stats.seriesCountByMetricName());
      counts(g, "labelValueCountByLabelName", stats.labelValueCountByLabelName());
      counts(g, "memoryInBytesByLabelName", stats.memoryInBytesByLabelName());
      counts(g, "seriesCountByLabelValuePair", stats.seriesCountByLabelValuePair());
      g.writeEndObject();
    }, List.of());
  }

  private static void counts(JsonGenerator g, String field, List<StoreStats.Count> counts) throws java.io.IOException {
    g.writeArrayFieldStart(field);
    for (StoreStats.Count c : counts) {
      g.writeStartObject();
      g.writeStringField("name", c.name());
      g.writeNumberField("value", c.value());
      g.writeEndObject();
    }
    g.writeEndArray();
  }

  /** Prometheus' runtime fields, with the JVM's figures where Go's would be (threads for goroutines). */
  private HttpResponse runtimeInfo() {
    return Json.success(g -> {
      g.writeStartObject();
      g.writeStringField("startTime", startTime.toString());
      g.writeStringField("CWD", System.getProperty("user.dir"));
      g.writeBooleanField("reloadConfigSuccess", true);
      g.writeStringField("lastConfigTime", startTime.toString());
      g.writeNumberField("corruptionCount", 0);
      g.writeNumberField("goroutineCount", Thread.activeCount());
      g.writeNumberField("GOMAXPROCS", Runtime.getRuntime().availableProcessors());
      g.writeStringField("GOMEMLIMIT", Long.toString(Runtime.getRuntime().maxMemory()));
      g.writeStringField("GOGC", "");
      g.writeStringField("GODEBUG", "");
      g.writeStringField("storageRetention", options.storageRetention());
      g.writeEndObject();
    }, List.of());
  }

  private static HttpResponse strings(TreeSet<String> values, int limit) {
    List<String> warnings = new ArrayList<>();
    List<String> out = new ArrayList<>(values);
    if (limit > 0 && out.size() > limit) {
      out = out.subList(0, limit);
      warnings.add("results truncated due to limit");
    }
    List<String> result = out;
    return Json.success((JsonGenerator g) -> {
      g.writeStartArray();
      for (String v : result) {
        g.writeString(v);
      }
      g.writeEndArray();
    }, warnings);
  }

  private static long requiredTime(Params p, String name) throws InvalidParameterException {
    if (p.get(name) == null || p.get(name).isEmpty()) {
      throw new InvalidParameterException(name, "cannot parse \"\" to a valid timestamp");
    }
    return p.timeMs(name, 0);
  }

  /** The {@code query} parameter, required. */
  private static String queryParam(Params p) throws ApiError {
    String query = p.get("query");
    if (query == null || query.isBlank()) {
      throw new ApiError(ApiError.Type.BAD_DATA, "invalid parameter \"query\": 1:1: parse error: no expression found "
          + "in input");
    }
    return query;
  }

  private static io.sightline.promql.parser.Expr parsed(String query) throws ApiError {
    try {
      return Parser.parse(query);
    } catch (ParseException e) {
      throw new ApiError(ApiError.Type.BAD_DATA, "invalid parameter \"query\": " + e.getMessage());
    }
  }

  /**
   * {@code query_exemplars}' query: Prometheus takes the exemplars of every selector in it; a plain selector is what
   * Grafana sends.
   */
  private static VectorSelector exemplarSelector(String query) throws ApiError {
    if (query == null || query.isBlank()) {
      throw new ApiError(ApiError.Type.BAD_DATA, "invalid parameter \"query\": 1:1: parse error: no expression found "
          + "in input");
    }
    io.sightline.promql.parser.Expr e = parsed(query);
    VectorSelector found = io.sightline.promql.parser.Selectors.first(e);
    if (found == null) {
      throw new ApiError(ApiError.Type.BAD_DATA, "invalid parameter \"query\": the query selects no series");
    }
    return found;
  }

  private static VectorSelector selector(String param, String text) throws ApiError {
    try {
      return Parser.parseSeriesSelector(text);
    } catch (ParseException e) {
      throw new ApiError(ApiError.Type.BAD_DATA, "invalid parameter \"" + param + "\": " + e.getMessage());
    }
  }

  /** Prometheus' "values escaping" for label names in the path: {@code U__} prefix, {@code _xx_} code points. */
  static String unescape(String escaped) {
    StringBuilder out = new StringBuilder();
    String s = escaped.substring(3);
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      if (c != '_') {
        out.append(c);
      } else if (i + 1 < s.length() && s.charAt(i + 1) == '_') {
        out.append('_');
        i++;
      } else {
        int close = s.indexOf('_', i + 1);
        if (close < 0) {
          return escaped;
        }
        try {
          out.appendCodePoint(Integer.parseInt(s.substring(i + 1, close), 16));
        } catch (NumberFormatException e) {
          return escaped;
        }
        i = close;
      }
    }
    return out.toString();
  }
}

package io.sightline.api.loki;

import com.linecorp.armeria.common.HttpResponse;
import com.linecorp.armeria.server.ServiceRequestContext;
import io.sightline.core.model.GoDuration;
import io.sightline.core.model.LabelMatcher;
import io.sightline.core.model.Labels;
import io.sightline.logql.engine.LogqlEngine;
import io.sightline.logql.engine.LogqlResult;
import io.sightline.logql.log.LabelsBuilder;
import io.sightline.logql.log.LabelsResult;
import io.sightline.logql.log.Pipeline;
import io.sightline.logql.log.StreamPipeline;
import io.sightline.logql.syntax.ParseException;
import io.sightline.logql.syntax.Parser;
import io.sightline.logstore.LogQuerier;
import io.sightline.logstore.LogStore;
import io.sightline.logstore.SelectRequest.Direction;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.function.Supplier;
import java.util.regex.Pattern;

/**
 * What Grafana's Logs Drilldown asks about the lines of a selection: {@code detected_fields} (the fields found in
 * the newest {@code line_limit} lines, from their structured metadata and by trying the {@code json} then the
 * {@code logfmt} parser, with a type and a cardinality each), {@code detected_field/<name>/values} and {@code
 * detected_labels} (the stream labels worth grouping by: not ids, not single-valued ... as Loki filters them).
 * Cardinalities are exact counts where Loki estimates with a HyperLogLog sketch.
 */
final class DetectedFields {
  /** Loki's {@code defaultLimit} for fields. */
  static final int DEFAULT_FIELD_LIMIT = 1000;
  /** Labels Loki keeps in {@code detected_labels} whatever their values. */
  private static final Set<String> STATIC_LABELS = Set.of("cluster", "namespace", "instance", "pod");
  private static final Pattern UUID = Pattern.compile(
      "(?i)(urn:uuid:)?\\{?[0-9a-f]{8}-?[0-9a-f]{4}-?[0-9a-f]{4}-?[0-9a-f]{4}-?[0-9a-f]{12}}?");
  private static final Pattern BYTES = Pattern.compile("(?i)\\s*[0-9]*\\.?[0-9]+\\s*([kmgtpe]i?b?|b|bytes?)?\\s*");

  private final Supplier<LogStore> store;
  private final LogqlEngine engine;

  DetectedFields(Supplier<LogStore> store, LogqlEngine engine) {
    this.store = store;
    this.engine = engine;
  }

  /** {@code detected_fields}, or the values of one field when {@code name} is given. */
  HttpResponse fields(ServiceRequestContext ctx, LokiParams p, String name) throws LokiError {
    String query = p.query();
    long[] b = p.orderedBounds();
    int lineLimit = p.positive("line_limit", LokiParams.DEFAULT_LIMIT, "line_limit");
    String limitParam = p.get("limit") == null || p.get("limit").isEmpty() ? "field_limit" : "limit";
    long limitValue = LokiParams.parseInt(p.get(limitParam), DEFAULT_FIELD_LIMIT);
    if (limitValue <= 0) {
      throw LokiError.badRequest("limit must be a positive value");
    }
    int limit = (int) Math.min(limitValue, Integer.MAX_VALUE);
    long step = p.step(b[0], b[1]);
    if (step / 1_000_000L <= 0) {
      throw LokiError.badRequest(LokiParams.ZERO_OR_NEGATIVE_STEP);
    }
    if ((b[1] - b[0]) / step > LokiParams.MAX_POINTS) {
      throw LokiError.badRequest(LokiParams.STEP_TOO_SMALL);
    }
    try {
      Parser.parseLogSelector(query, true);
    } catch (ParseException e) {
      throw LokiError.badRequest(e.getMessage());
    }
    int maxEntries = engine.limits().maxEntriesLimitPerQuery();
    if (maxEntries > 0 && lineLimit > maxEntries) {
      throw LokiError.badRequest("max entries limit per query exceeded, limit > max_entries_limit_per_query ("
          + lineLimit + " > " + maxEntries + ")");
    }
    LogqlResult r = LokiApi.run(() -> engine.range(store.get().querier(), query, b[0], b[1], step, 0,
        Direction.BACKWARD, lineLimit, ctx::isCancelled));
    List<LogqlResult.Stream> streams = r instanceof LogqlResult.Streams s ? s.categorized() : List.of();
    Detector d = new Detector(limit);
    for (LogqlResult.Stream s : streams) {
      for (LogqlResult.Entry e : s.entries()) {
        d.add(s.labels(), e);
      }
    }
    if (name != null) {
      Set<String> values = d.values(name);
      return LokiJson.ok(g -> {
        g.writeStartObject();
        if (!values.isEmpty()) {
          g.writeArrayFieldStart("values");
          for (String v : values) {
            g.writeString(v);
          }
          g.writeEndArray();
          g.writeNumberField("limit", limit);
        }
        g.writeEndObject();
      });
    }
    return LokiJson.ok(g -> {
      g.writeStartObject();
      if (!d.fields.isEmpty()) {
        g.writeArrayFieldStart("fields");
        for (Map.Entry<String, Field> e : d.fields.entrySet()) {
          Field f = e.getValue();
          g.writeStartObject();
          g.writeStringField("label", e.getKey());
          g.writeStringField("type", f.type);
          g.writeNumberField("cardinality", f.values.size());
          g.writeFieldName("parsers");
          if (f.parsers.isEmpty()) {
            g.writeNull();
          } else {
            g.writeStartArray();
            for (String parser : f.parsers) {
              g.writeString(parser);
            }
            g.writeEndArray();
          }
          g.writeEndObject();
        }
        g.writeEndArray();
        g.writeNumberField("limit", limit);
      }
      g.writeEndObject();
    });
  }

  /** {@code detected_labels}: {@code query} (optional selector), {@code start}, {@code end}, {@code since}. */
  HttpResponse labels(LokiParams p) throws LokiError, IOException {
    long[] b = p.orderedBounds();
    List<LabelMatcher> matchers = p.query().isEmpty() ? List.of() : LokiApi.matchers(p.query());
    LogQuerier q = store.get().querier();
    Map<String, Integer> kept = new TreeMap<>();
    for (String label : q.labelNames(matchers, b[0], b[1])) {
      List<String> values = q.labelValues(label, matchers, b[0], b[1]);
      if (STATIC_LABELS.contains(label) && !values.isEmpty() || !shouldReject(values)) {
        kept.put(label, new TreeSet<>(values).size());
      }
    }
    return LokiJson.ok(g -> {
      g.writeStartObject();
      if (!kept.isEmpty()) {
        g.writeArrayFieldStart("detectedLabels");
        for (Map.Entry<String, Integer> e : kept.entrySet()) {
          g.writeStartObject();
          g.writeStringField("label", e.getKey());
          g.writeNumberField("cardinality", e.getValue());
          g.writeEndObject();
        }
        g.writeEndArray();
      }
      g.writeEndObject();
    });
  }

  /** Loki's {@code shouldRejectLabel}: no values, or only ids (numbers, UUIDs), two booleans aside. */
  static boolean shouldReject(List<String> values) {
    if (values.isEmpty()) {
      return true;
    }
    if (values.size() <= 2 && values.stream().allMatch(v -> v.equals("0") || v.equals("1"))) {
      return false;
    }
    for (String v : values) {
      if (!isGoFloat(v) && !UUID.matcher(v).matches()) {
        return false;
      }
    }
    return true;
  }

  /** Loki's {@code determineType}: the first of int, float, boolean, duration, bytes that parses, else string. */
  static String type(String v) {
    if (v.matches("[+-]?\\d+")) {
      try {
        Long.parseLong(v);
        return "int";
      } catch (NumberFormatException outOfRange) {
        return "float";
      }
    }
    if (isGoFloat(v)) {
      return "float";
    }
    if (Set.of("1", "t", "T", "TRUE", "true", "True", "0", "f", "F", "FALSE", "false", "False").contains(v)) {
      return "boolean";
    }
    try {
      GoDuration.parseNanos(v);
      return "duration";
    } catch (IllegalArgumentException notDuration) {
      // the next type
    }
    if (BYTES.matcher(v).matches()) {
      return "bytes";
    }
    return "string";
  }

  private static boolean isGoFloat(String v) {
    if (v.isEmpty() || v.endsWith("d") || v.endsWith("D") || v.endsWith("f") || v.endsWith("F")
        || Character.isWhitespace(v.charAt(0)) || Character.isWhitespace(v.charAt(v.length() - 1))) {
      return false;
    }
    String lower = v.toLowerCase(java.util.Locale.ROOT).replaceFirst("^[+-]", "");
    if (lower.equals("inf") || lower.equals("infinity") || lower.equals("nan")) {
      return true;
    }
    try {
      Double.parseDouble(v);
      return !lower.startsWith("0x") || lower.contains("p");
    } catch (NumberFormatException e) {
      return false;
    }
  }

  /** One field: its values, the type of the last entry's first value, and the parsers that found it. */
  private static final class Field {
    final Set<String> values = new LinkedHashSet<>();
    final List<String> parsers = new ArrayList<>();
    String type = "string";
  }

  /** Collects fields over entries as Loki's {@code parseDetectedFields}, at most {@code limit} of them. */
  private static final class Detector {
    private final int limit;
    final Map<String, Field> fields = new TreeMap<>();
    private final Pipeline json;
    private final Pipeline logfmt;

    Detector(int limit) {
      this.limit = limit;
      try {
        json = Pipeline.compile(Parser.parseLogSelector("{__detected__=\"\"} | json", false));
        logfmt = Pipeline.compile(Parser.parseLogSelector("{__detected__=\"\"} | logfmt", false));
      } catch (ParseException e) {
        throw new IllegalStateException("the detection pipelines parse", e);
      }
    }

    void add(Labels stream, LogqlResult.Entry e) {
      Labels metadata = e.structuredMetadata();
      for (int i = 0; i < metadata.size(); i++) {
        insert(metadata.name(i), List.of(metadata.value(i)), List.of());
      }
      Map<String, List<String>> parsed = new HashMap<>();
      Labels known = e.parsed();
      for (int i = 0; i < known.size(); i++) {
        if (!isErrorLabel(known.name(i))) {
          parsed.computeIfAbsent(known.name(i), k -> new ArrayList<>()).add(known.value(i));
        }
      }
      List<String> parsers = List.of();
      byte[] line = e.line().getBytes(StandardCharsets.UTF_8);
      String[] found = extracted(json, stream, e, line);
      if (found != null) {
        parsers = List.of("json");
      } else {
        found = extracted(logfmt, stream, e, line);
        if (found != null) {
          parsers = List.of("logfmt");
        }
      }
      if (found != null) {
        for (int i = 0; i < found.length; i += 2) {
          if (!isErrorLabel(found[i])) {
            parsed.computeIfAbsent(found[i], k -> new ArrayList<>()).add(found[i + 1]);
          }
        }
      }
      for (Map.Entry<String, List<String>> f : parsed.entrySet()) {
        insert(f.getKey(), f.getValue(), parsers);
      }
    }

    /** The labels a parser extracted from the line, or null when it failed on it. */
    private static String[] extracted(Pipeline parser, Labels stream, LogqlResult.Entry e, byte[] line) {
      StreamPipeline sp = parser.forStream(stream);
      if (!sp.process(e.timestampNanos(), line, Labels.EMPTY)) {
        return null;
      }
      LabelsResult r = sp.labels();
      String[] parsed = r.parsed();
      for (int i = 0; i < parsed.length; i += 2) {
        if (parsed[i].equals(LabelsBuilder.ERROR)) {
          return null;
        }
      }
      return parsed;
    }

    private void insert(String name, List<String> values, List<String> parsers) {
      Field f = fields.get(name);
      if (f == null) {
        if (fields.size() >= limit) {
          return;
        }
        f = new Field();
        fields.put(name, f);
      }
      for (String parser : parsers) {
        if (!f.parsers.contains(parser)) {
          f.parsers.add(parser);
        }
      }
      if (!values.isEmpty()) {
        f.type = type(values.get(0));
      }
      f.values.addAll(values);
    }

    Set<String> values(String name) {
      Field f = fields.get(name);
      return f == null ? Set.of() : f.values;
    }

    private static boolean isErrorLabel(String name) {
      return name.equals("__error__") || name.equals("__error_details__") || name.equals("__preserve_error__");
    }
  }
}

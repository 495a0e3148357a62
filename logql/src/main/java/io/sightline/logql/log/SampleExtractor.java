package io.sightline.logql.log;

import io.sightline.core.model.GoDuration;
import io.sightline.core.model.Labels;
import io.sightline.logql.syntax.GoStrconv;
import io.sightline.logql.syntax.Humanize;
import io.sightline.logql.syntax.LogSelectorExpr;
import io.sightline.logql.syntax.ParseException;
import io.sightline.logql.syntax.SampleExpr.Grouping;
import io.sightline.logql.syntax.SampleExpr.RangeAggregationExpr;
import io.sightline.logql.syntax.UnwrapExpr;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The samples of a range aggregation's log query, as Loki's {@code Extractor()} makes them: 1 per line for
 * {@code count_over_time}, {@code rate} and {@code absent_over_time}; the line's length in bytes (after the
 * pipeline) for {@code bytes_over_time} and {@code bytes_rate}; the unwrapped label's value, converted, for the
 * others. Labels are reduced by the aggregation's grouping (or an outer {@code sum by}'s, which the engine may push
 * down); without a {@code by}, an unwrapped label leaves the labels. A line whose unwrapped value does not convert
 * gives 0 with {@code __error__=SampleExtractionErr}; a line without the label gives no sample.
 *
 * <p>Not thread-safe (see {@link Pipeline}).
 */
public final class SampleExtractor {
  static final String SAMPLE_ERR = "SampleExtractionErr";

  /** How the unwrapped value becomes a number. */
  enum Conversion { FLOAT, BYTES, DURATION }

  private final List<Stage> stages;
  private final LabelsBuilder.Grouping grouping;
  private final String unwrap;
  private final Conversion conversion;
  private final Stage postFilter;
  private final boolean bytes;
  private final Map<Labels, StreamSampleExtractor> streams = new HashMap<>();

  private SampleExtractor(List<Stage> stages, LabelsBuilder.Grouping grouping, String unwrap, Conversion conversion,
                          Stage postFilter, boolean bytes) {
    this.stages = stages;
    this.grouping = grouping;
    this.unwrap = unwrap;
    this.conversion = conversion;
    this.postFilter = postFilter;
    this.bytes = bytes;
  }

  public static SampleExtractor compile(RangeAggregationExpr r) throws ParseException {
    return compile(r, null);
  }

  /**
   * The extractor of the range aggregation under a vector aggregation, as Loki's
   * {@code VectorAggregationExpr.Extractor}: a {@code sum by/without} over {@code bytes_over_time},
   * {@code bytes_rate}, {@code sum_over_time}, {@code rate} or {@code count_over_time} without a grouping of its own
   * pushes its grouping down, so that samples carry only the labels the sum keeps.
   *
   * @throws IllegalArgumentException when {@code v}'s argument is not a range aggregation
   */
  public static SampleExtractor compile(io.sightline.logql.syntax.SampleExpr.VectorAggregationExpr v)
      throws ParseException {
    if (!(v.left() instanceof RangeAggregationExpr r)) {
      throw new IllegalArgumentException("not a vector aggregation of a range aggregation: " + v);
    }
    boolean inject = v.operation().equals("sum") && r.grouping() == null && switch (r.operation()) {
      case "bytes_over_time", "bytes_rate", "sum_over_time", "rate", "count_over_time" -> true;
      default -> false;
    };
    return compile(r, inject ? v.grouping() : null);
  }

  /**
   * @param override a grouping pushed down from an enclosing {@code sum by (...)}, or null
   * @throws ParseException Loki's stage error for a stage that cannot be built
   */
  public static SampleExtractor compile(RangeAggregationExpr r, Grouping override) throws ParseException {
    List<String> groups = null;
    boolean without = false;
    boolean noLabels = false;
    for (Grouping g : new Grouping[] {r.grouping(), override}) {
      if (g != null) {
        groups = g.labelList();
        without = g.without();
        noLabels = g.singleton();
      }
    }
    if (r.operation().equals("absent_over_time")) {
      noLabels = true;
    }
    List<String> sorted = groups == null ? new ArrayList<>() : new ArrayList<>(groups);
    sorted.sort(null);
    LogSelectorExpr left = r.left().left();
    List<Stage> stages = Stages.compile(left.stages());
    UnwrapExpr u = r.left().unwrap();
    if (u != null) {
      Conversion c = switch (u.operation()) {
        case "bytes" -> Conversion.BYTES;
        case "duration", "duration_seconds" -> Conversion.DURATION;
        default -> Conversion.FLOAT;
      };
      if (sorted.isEmpty() || without) {
        without = true;
        sorted.add(u.identifier());
        sorted.sort(null);
      }
      LabelsBuilder.Grouping g = new LabelsBuilder.Grouping(sorted.toArray(String[]::new), without, noLabels);
      return new SampleExtractor(stages, g, u.identifier(), c, Stages.postFilter(u.postFilters()), false);
    }
    LabelsBuilder.Grouping g = new LabelsBuilder.Grouping(sorted.isEmpty() ? null : sorted.toArray(String[]::new),
        without, noLabels);
    boolean bytes = switch (r.operation()) {
      case "bytes_over_time", "bytes_rate" -> true;
      case "count_over_time", "rate", "absent_over_time" -> false;
      default -> throw new ParseException("unsupported range vector aggregation operation: " + r.operation(), 0, 0);
    };
    return new SampleExtractor(stages, g, null, null, null, bytes);
  }

  public StreamSampleExtractor forStream(Labels streamLabels) {
    return streams.computeIfAbsent(streamLabels, l -> new StreamSampleExtractor(this, new LabelsBuilder(l,
        grouping)));
  }

  /** The per-stream extractor; {@link #value()} and {@link #labels()} describe the last sample. */
  public static final class StreamSampleExtractor {
    private final SampleExtractor ex;
    private final Stage[] stages;
    private final LabelsBuilder builder;
    private final Line line = new Line();
    private double value;
    private LabelsResult labels;

    StreamSampleExtractor(SampleExtractor ex, LabelsBuilder builder) {
      this.ex = ex;
      this.stages = ex.stages.toArray(Stage[]::new);
      this.builder = builder;
    }

    /** @return whether the line gives a sample */
    public boolean process(long timestampNanos, byte[] buf, int off, int len, Labels structuredMetadata) {
      line.set(buf, off, len);
      if (!Stage.runAll(stages, timestampNanos, line, builder, structuredMetadata)) {
        return false;
      }
      if (ex.unwrap == null) {
        value = ex.bytes ? line.len : 1;
        labels = builder.grouped();
        return true;
      }
      String v = builder.get(ex.unwrap);
      if (v == null || v.isEmpty()) {
        return false;
      }
      try {
        value = switch (ex.conversion) {
          case FLOAT -> GoStrconv.parseFloat(v);
          case BYTES -> unsigned(Humanize.parseBytes(v));
          case DURATION -> GoDuration.parseNanos(v) / 1e9;
        };
      } catch (IllegalArgumentException e) {
        value = 0;
        builder.setErr(SAMPLE_ERR);
        builder.setErrDetails(e.getMessage());
      }
      if (ex.postFilter != null && !ex.postFilter.process(timestampNanos, line, builder)) {
        return false;
      }
      labels = builder.grouped();
      return true;
    }

    public boolean process(long timestampNanos, byte[] line, Labels structuredMetadata) {
      return process(timestampNanos, line, 0, line.length, structuredMetadata);
    }

    public double value() {
      return value;
    }

    public LabelsResult labels() {
      return labels;
    }
  }

  private static double unsigned(long v) {
    return v >= 0 ? v : (double) (v >>> 1) * 2.0 + (v & 1);
  }

  @Override
  public String toString() {
    return "SampleExtractor[" + (unwrap == null ? (bytes ? "bytes" : "count") : "unwrap " + unwrap) + ", "
        + (grouping.names() == null ? "all labels" : (grouping.without() ? "without " : "by ")
        + Arrays.toString(grouping.names())) + "]";
  }
}

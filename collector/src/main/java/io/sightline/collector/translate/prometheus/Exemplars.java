package io.sightline.collector.translate.prometheus;

import com.google.protobuf.ByteString;
import io.opentelemetry.proto.common.v1.KeyValue;
import io.sightline.core.model.Labels;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;

/** OTLP exemplars as Prometheus exemplars (Prometheus' {@code getPromExemplars}). */
final class Exemplars {
  static final String TRACE_ID = "trace_id";
  static final String SPAN_ID = "span_id";
  /** OpenMetrics' limit on an exemplar's label names and values together, in characters. */
  static final int MAX_RUNES = 128;
  private static final HexFormat HEX = HexFormat.of();

  private Exemplars() {}

  /**
   * The exemplars of one point. Filtered attributes are added as labels (keys as they are) only if they fit within
   * {@link #MAX_RUNES} along with the ids; the ids are always kept.
   *
   * @throws IllegalArgumentException for an exemplar without a value
   */
  static List<Exemplar> of(List<io.opentelemetry.proto.metrics.v1.Exemplar> exemplars) {
    if (exemplars.isEmpty()) {
      return List.of();
    }
    List<Exemplar> out = new ArrayList<>(exemplars.size());
    for (io.opentelemetry.proto.metrics.v1.Exemplar e : exemplars) {
      double value = switch (e.getValueCase()) {
        case AS_DOUBLE -> e.getAsDouble();
        case AS_INT -> e.getAsInt();
        case VALUE_NOT_SET -> throw new IllegalArgumentException("unsupported exemplar value type: none");
      };
      Labels.Builder labels = Labels.builder();
      int runes = 0;
      if (isSet(e.getTraceId())) {
        String id = HEX.formatHex(e.getTraceId().toByteArray());
        runes += TRACE_ID.length() + id.length();
        labels.set(TRACE_ID, id);
      }
      if (isSet(e.getSpanId())) {
        String id = HEX.formatHex(e.getSpanId().toByteArray());
        runes += SPAN_ID.length() + id.length();
        labels.set(SPAN_ID, id);
      }
      for (KeyValue kv : e.getFilteredAttributesList()) {
        runes += runeCount(kv.getKey()) + runeCount(AttributeStrings.of(kv.getValue()));
      }
      if (runes <= MAX_RUNES) {
        for (KeyValue kv : e.getFilteredAttributesList()) {
          labels.set(kv.getKey(), AttributeStrings.of(kv.getValue()));
        }
      }
      out.add(new Exemplar(labels.build(), e.getTimeUnixNano() / OtlpMetricsTranslator.NANOS_PER_MILLI, value));
    }
    return out;
  }

  /** pdata's {@code IsEmpty}: an id of all zero bytes (or none) is no id. */
  private static boolean isSet(ByteString id) {
    for (int i = 0; i < id.size(); i++) {
      if (id.byteAt(i) != 0) {
        return true;
      }
    }
    return false;
  }

  private static int runeCount(String s) {
    return s.codePointCount(0, s.length());
  }
}

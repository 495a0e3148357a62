package io.sightline.collector.receiver.zipkin;

import io.opentelemetry.proto.trace.v1.ResourceSpans;
import java.util.List;

/** Zipkin v2 request bodies → OTLP resource spans, translated as the Collector's zipkin receiver translates them. */
public final class ZipkinSpans {
  private ZipkinSpans() {}

  /** {@code application/json}: a JSON list of v2 spans. An empty list gives no resource spans. */
  public static List<ResourceSpans> fromJson(byte[] body) throws ZipkinFormatException {
    return ZipkinTranslator.toResourceSpans(ZipkinJson.decode(body));
  }

  /** {@code application/x-protobuf}: zipkin.proto's {@code ListOfSpans}. */
  public static List<ResourceSpans> fromProto3(byte[] body) throws ZipkinFormatException {
    return ZipkinTranslator.toResourceSpans(ZipkinProto3.decode(body));
  }
}

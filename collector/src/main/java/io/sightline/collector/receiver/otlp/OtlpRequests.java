package io.sightline.collector.receiver.otlp;

import com.google.protobuf.InvalidProtocolBufferException;
import io.opentelemetry.proto.collector.logs.v1.ExportLogsServiceRequest;

/**
 * The receiver's reading of OTLP/HTTP bodies for endpoints outside it (Loki's {@code POST /otlp/v1/logs}): the same
 * protobuf limits and the same JSON mapping (hex trace and span ids).
 */
public final class OtlpRequests {
  private OtlpRequests() {}

  /** An uncompressed {@code ExportLogsServiceRequest} body, protobuf or OTLP/JSON. */
  public static ExportLogsServiceRequest logs(byte[] body, boolean json) throws InvalidProtocolBufferException {
    if (json) {
      ExportLogsServiceRequest.Builder builder = ExportLogsServiceRequest.newBuilder();
      OtlpJson.merge(body, builder);
      return builder.build();
    }
    return OtlpCodec.LOGS.parseProto(body).toRequest();
  }
}

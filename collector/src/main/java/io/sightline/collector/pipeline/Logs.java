package io.sightline.collector.pipeline;

import io.opentelemetry.proto.collector.logs.v1.ExportLogsServiceRequest;
import io.opentelemetry.proto.logs.v1.ResourceLogs;
import io.opentelemetry.proto.logs.v1.ScopeLogs;
import java.util.List;

/** Log records grouped by resource and instrumentation scope, as OTLP carries them. */
public final class Logs implements Telemetry {
  private final ExportLogsServiceRequest request;
  private final int recordCount;

  private Logs(ExportLogsServiceRequest request) {
    this.request = request;
    int count = 0;
    for (ResourceLogs rl : request.getResourceLogsList()) {
      for (ScopeLogs sl : rl.getScopeLogsList()) {
        count += sl.getLogRecordsCount();
      }
    }
    this.recordCount = count;
  }

  public static Logs of(ExportLogsServiceRequest request) {
    return new Logs(request);
  }

  public static Logs of(List<ResourceLogs> resourceLogs) {
    return new Logs(ExportLogsServiceRequest.newBuilder().addAllResourceLogs(resourceLogs).build());
  }

  public List<ResourceLogs> resourceLogs() {
    return request.getResourceLogsList();
  }

  public ExportLogsServiceRequest toRequest() {
    return request;
  }

  @Override
  public Signal signal() {
    return Signal.LOGS;
  }

  @Override
  public int itemCount() {
    return recordCount;
  }

  @Override
  public int serializedSize() {
    return request.getSerializedSize();
  }
}

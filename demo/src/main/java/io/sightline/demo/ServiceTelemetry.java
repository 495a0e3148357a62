package io.sightline.demo;

import io.opentelemetry.api.OpenTelemetry;
import io.opentelemetry.api.common.Attributes;
import io.opentelemetry.api.logs.Logger;
import io.opentelemetry.api.metrics.Meter;
import io.opentelemetry.api.trace.Tracer;
import io.opentelemetry.api.trace.propagation.W3CTraceContextPropagator;
import io.opentelemetry.context.propagation.ContextPropagators;
import io.opentelemetry.exporter.otlp.http.logs.OtlpHttpLogRecordExporter;
import io.opentelemetry.exporter.otlp.http.metrics.OtlpHttpMetricExporter;
import io.opentelemetry.exporter.otlp.http.trace.OtlpHttpSpanExporter;
import io.opentelemetry.sdk.OpenTelemetrySdk;
import io.opentelemetry.sdk.logs.SdkLoggerProvider;
import io.opentelemetry.sdk.logs.export.BatchLogRecordProcessor;
import io.opentelemetry.sdk.metrics.SdkMeterProvider;
import io.opentelemetry.sdk.metrics.export.PeriodicMetricReader;
import io.opentelemetry.sdk.resources.Resource;
import io.opentelemetry.sdk.trace.SdkTracerProvider;
import io.opentelemetry.sdk.trace.export.BatchSpanProcessor;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

/**
 * One service's OpenTelemetry SDK, as a service would set it up: its resource ({@code service.name} and the shop's
 * namespace and environment), OTLP/HTTP exporters for the three signals, W3C trace context propagation.
 */
final class ServiceTelemetry implements AutoCloseable {
  static final String SCOPE = "io.sightline.demo";

  private final OpenTelemetrySdk sdk;
  private final String service;

  ServiceTelemetry(String service, String version, ShopOptions options) {
    this.service = service;
    Resource resource = Resource.getDefault().merge(Resource.create(Attributes.builder()
        .put("service.name", service).put("service.namespace", "shop").put("service.version", version)
        .put("deployment.environment", "demo").put("service.instance.id", service + "-1").build()));
    String base = options.otlpEndpoint();
    Duration interval = options.exportInterval();
    sdk = OpenTelemetrySdk.builder()
        .setTracerProvider(SdkTracerProvider.builder().setResource(resource)
            .addSpanProcessor(BatchSpanProcessor.builder(OtlpHttpSpanExporter.builder()
                .setEndpoint(base + "/v1/traces").build()).setScheduleDelay(min(interval, Duration.ofSeconds(1)))
                .build())
            .build())
        .setMeterProvider(SdkMeterProvider.builder().setResource(resource)
            .registerMetricReader(PeriodicMetricReader.builder(OtlpHttpMetricExporter.builder()
                .setEndpoint(base + "/v1/metrics").build()).setInterval(interval).build())
            .build())
        .setLoggerProvider(SdkLoggerProvider.builder().setResource(resource)
            .addLogRecordProcessor(BatchLogRecordProcessor.builder(OtlpHttpLogRecordExporter.builder()
                .setEndpoint(base + "/v1/logs").build()).setScheduleDelay(min(interval, Duration.ofSeconds(1)))
                .build())
            .build())
        .setPropagators(ContextPropagators.create(W3CTraceContextPropagator.getInstance()))
        .build();
  }

  private static Duration min(Duration a, Duration b) {
    return a.compareTo(b) < 0 ? a : b;
  }

  String service() {
    return service;
  }

  OpenTelemetry openTelemetry() {
    return sdk;
  }

  Tracer tracer() {
    return sdk.getTracer(SCOPE);
  }

  Meter meter() {
    return sdk.getMeter(SCOPE);
  }

  Logger logger() {
    return sdk.getSdkLoggerProvider().get(SCOPE);
  }

  /** Exports what is still buffered, then stops the exporters. */
  @Override
  public void close() {
    sdk.getSdkTracerProvider().forceFlush().join(10, TimeUnit.SECONDS);
    sdk.getSdkLoggerProvider().forceFlush().join(10, TimeUnit.SECONDS);
    sdk.getSdkMeterProvider().forceFlush().join(10, TimeUnit.SECONDS);
    sdk.close();
  }
}

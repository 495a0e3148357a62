package io.sightline.server.traces;

import static org.assertj.core.api.Assertions.assertThat;

import io.opentelemetry.api.common.Attributes;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanContext;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.api.trace.StatusCode;
import io.opentelemetry.api.trace.TraceFlags;
import io.opentelemetry.api.trace.TraceState;
import io.opentelemetry.api.trace.Tracer;
import io.opentelemetry.context.Context;
import io.opentelemetry.exporter.otlp.trace.OtlpGrpcSpanExporter;
import io.opentelemetry.sdk.resources.Resource;
import io.opentelemetry.sdk.trace.SdkTracerProvider;
import io.opentelemetry.sdk.trace.export.SimpleSpanProcessor;
import java.util.concurrent.TimeUnit;

/**
 * One shop trace sent with the OpenTelemetry Java SDK over OTLP/gRPC: {@code order-service} serves
 * {@code POST /orders} and calls {@code payment-service}, whose {@code charge} fails and queries PostgreSQL. The
 * metrics generator tests read Tempo's series of it.
 */
final class ShopTrace {
  private ShopTrace() {}

  /** Sends the trace to {@code endpoint} (an OTLP/gRPC URL) and returns its trace id, once both SDKs flushed. */
  static String send(String endpoint) {
    SdkTracerProvider order = provider("order-service", endpoint);
    SdkTracerProvider payment = provider("payment-service", endpoint);
    try {
      Tracer orders = order.get("io.sightline.demo.orders");
      Tracer payments = payment.get("io.sightline.demo.payments");
      Span root = orders.spanBuilder("POST /orders").setSpanKind(SpanKind.SERVER).startSpan();
      Span client = orders.spanBuilder("POST /pay").setSpanKind(SpanKind.CLIENT)
          .setParent(Context.root().with(root)).startSpan();
      SpanContext propagated = SpanContext.createFromRemoteParent(client.getSpanContext().getTraceId(),
          client.getSpanContext().getSpanId(), TraceFlags.getSampled(), TraceState.getDefault());
      Span charge = payments.spanBuilder("charge").setSpanKind(SpanKind.SERVER)
          .setParent(Context.root().with(Span.wrap(propagated))).startSpan();
      Span db = payments.spanBuilder("SELECT accounts").setSpanKind(SpanKind.CLIENT)
          .setParent(Context.root().with(charge)).setAttribute("db.system.name", "postgresql").startSpan();
      db.end();
      charge.setStatus(StatusCode.ERROR, "card declined");
      charge.end();
      client.end();
      root.end();
      assertThat(order.forceFlush().join(10, TimeUnit.SECONDS).isSuccess()).isTrue();
      assertThat(payment.forceFlush().join(10, TimeUnit.SECONDS).isSuccess()).isTrue();
      return root.getSpanContext().getTraceId();
    } finally {
      order.shutdown().join(10, TimeUnit.SECONDS);
      payment.shutdown().join(10, TimeUnit.SECONDS);
    }
  }

  private static SdkTracerProvider provider(String service, String endpoint) {
    return SdkTracerProvider.builder()
        .setResource(Resource.create(Attributes.builder().put("service.name", service).build()))
        .addSpanProcessor(SimpleSpanProcessor.create(OtlpGrpcSpanExporter.builder().setEndpoint(endpoint).build()))
        .build();
  }
}

package io.sightline.demo;

import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.common.Attributes;
import io.opentelemetry.api.metrics.LongCounter;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.api.trace.StatusCode;
import io.opentelemetry.context.Scope;
import java.io.IOException;
import java.util.Random;

/**
 * {@code payment-service}: {@code POST /payments/charge} with {@code {"order_id": ..., "total": ...}} charges the
 * card through an external gateway (a CLIENT span to a host that sends no spans back: a virtual node in the service
 * graph). About 2% of cards are declined ({@code InsufficientFunds}: 402, an error span and an error log); about 1%
 * of gateway calls take over a second.
 */
final class PaymentService extends ShopService {
  private static final AttributeKey<String> OUTCOME = AttributeKey.stringKey("outcome");

  private final Random random;
  private final LongCounter payments;

  PaymentService(ServiceTelemetry telemetry, String host, int port, long seed) throws IOException {
    super(telemetry, host, port);
    this.random = new Random(seed);
    this.payments = telemetry.meter().counterBuilder("payments.processed").setUnit("{payment}")
        .setDescription("Payments by outcome.").build();
    route("POST", "/payments/charge", this::charge);
  }

  private Response charge(Request request) throws InterruptedException {
    Double total = Json.number(request.body(), "total");
    String orderId = Json.text(request.body(), "order_id");
    if (total == null || orderId == null) {
      log.warn("charge without order or total");
      return Response.json(400, "{\"error\":\"order_id and total are required\"}");
    }
    boolean slow = random.nextDouble() < 0.01;
    boolean declined = random.nextDouble() < 0.02;
    Span gateway = telemetry.tracer().spanBuilder("POST /v1/charges").setSpanKind(SpanKind.CLIENT)
        .setAttribute("peer.service", "card-gateway").setAttribute("server.address", "api.card-gateway.example")
        .setAttribute("server.port", 443L).setAttribute("http.request.method", "POST")
        .setAttribute("url.full", "https://api.card-gateway.example/v1/charges").startSpan();
    try (Scope ignored = gateway.makeCurrent()) {
      sleep(slow ? 1200 + random.nextDouble() * 1300 : 20 + random.nextDouble() * 60);
      gateway.setAttribute("http.response.status_code", declined ? 402L : 200L);
      if (declined) {
        gateway.setStatus(StatusCode.ERROR);
      }
    } finally {
      gateway.end();
    }
    if (slow) {
      log.warn("card gateway slow", "order_id", orderId, "gateway", "card-gateway");
    }
    if (declined) {
      Span.current().setStatus(StatusCode.ERROR, "InsufficientFunds");
      payments.add(1, Attributes.of(OUTCOME, "declined"));
      log.error("payment declined", "order_id", orderId, "total", total.longValue(), "error_type",
          "InsufficientFunds");
      return Response.json(402, "{\"error\":\"InsufficientFunds\"}");
    }
    payments.add(1, Attributes.of(OUTCOME, "approved"));
    log.info("payment approved", "order_id", orderId, "total", total.longValue());
    return Response.json(200, "{\"status\":\"approved\"}");
  }
}

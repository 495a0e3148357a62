package io.sightline.demo;

import io.opentelemetry.api.metrics.DoubleHistogram;
import io.opentelemetry.api.metrics.LongCounter;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.StatusCode;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpResponse;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * {@code order-service}, the shop's front: {@code POST /orders} with the seed's body
 * ({@code {"items": ["item-1"], "total": 25000}}) reserves the items, charges the payment, stores the order and
 * answers 201 with it (402 when the card is declined); {@code GET /orders/{id}} reads one back.
 */
final class OrderService extends ShopService {
  private final URI inventory;
  private final URI payment;
  private final Map<String, String> orders = new ConcurrentHashMap<>();
  private final AtomicLong ids = new AtomicLong(1000);
  private final LongCounter created;
  private final DoubleHistogram value;
  private final Random random;

  OrderService(ServiceTelemetry telemetry, String host, int port, URI inventory, URI payment, long seed)
      throws IOException {
    super(telemetry, host, port);
    this.inventory = inventory;
    this.payment = payment;
    this.random = new Random(seed);
    this.created = telemetry.meter().counterBuilder("orders.created").setUnit("{order}")
        .setDescription("Orders created.").build();
    this.value = telemetry.meter().histogramBuilder("orders.value").setUnit("{KRW}")
        .setDescription("Order totals.").setExplicitBucketBoundariesAdvice(List.of(5000.0, 10000.0, 25000.0,
            50000.0, 100000.0, 250000.0)).build();
    route("POST", "/orders", this::create);
    route("GET", "/orders/{id}", this::read);
  }

  private Response create(Request request) throws IOException, InterruptedException {
    List<String> items = Json.strings(request.body(), "items");
    Double total = Json.number(request.body(), "total");
    if (items == null || items.isEmpty() || total == null || total <= 0) {
      log.warn("invalid order", "body_bytes", request.body().length());
      return Response.json(400, "{\"error\":\"an order needs items and a positive total\"}");
    }
    String id = "ord-" + ids.incrementAndGet();
    String itemsJson = "[" + String.join(",", items.stream().map(i -> "\"" + i + "\"").toList()) + "]";
    HttpResponse<String> reserved = call("POST", inventory, "{\"order_id\":\"" + id + "\",\"items\":" + itemsJson
        + "}");
    if (reserved.statusCode() != 200) {
      log.error("reservation failed", "order_id", id, "status", reserved.statusCode());
      return Response.json(502, "{\"error\":\"inventory unavailable\"}");
    }
    HttpResponse<String> charged = call("POST", payment, "{\"order_id\":\"" + id + "\",\"total\":"
        + total.longValue() + "}");
    if (charged.statusCode() == 402) {
      Span.current().setStatus(StatusCode.ERROR, "payment declined");
      log.warn("order declined", "order_id", id, "total", total.longValue(), "error_type", "InsufficientFunds");
      return Response.json(402, "{\"id\":\"" + id + "\",\"status\":\"declined\"}");
    }
    if (charged.statusCode() != 200) {
      log.error("payment failed", "order_id", id, "status", charged.statusCode());
      return Response.json(502, "{\"error\":\"payment unavailable\"}");
    }
    query("INSERT", "orders", "INSERT INTO orders (id, items, total) VALUES ($1, $2, $3)",
        3 + random.nextDouble() * 7);
    String order = "{\"id\":\"" + id + "\",\"status\":\"created\",\"items\":" + itemsJson + ",\"total\":"
        + total.longValue() + "}";
    orders.put(id, order);
    created.add(1);
    value.record(total);
    log.info("order created", "order_id", id, "items", items.size(), "total", total.longValue());
    return Response.json(201, order);
  }

  private Response read(Request request) throws InterruptedException {
    String id = request.params().get(0);
    query("SELECT", "orders", "SELECT id, items, total FROM orders WHERE id = $1", 1 + random.nextDouble() * 3);
    String order = orders.get(id);
    if (order == null) {
      log.info("order not found", "order_id", id);
      return Response.json(404, "{\"error\":\"order not found\"}");
    }
    return Response.json(200, order);
  }
}

package io.sightline.demo;

import java.io.IOException;
import java.net.URI;
import java.util.ArrayList;
import java.util.List;

/**
 * The running shop: order-service on {@link ShopOptions#orderPort()} (the seed's 8080), inventory-service and
 * payment-service on the next two ports, each with its own OpenTelemetry SDK exporting to
 * {@link ShopOptions#otlpEndpoint()}, and the traffic generator when asked for.
 */
public final class Shop implements AutoCloseable {
  private final List<AutoCloseable> parts = new ArrayList<>();
  private final OrderService orders;

  private Shop(ShopOptions options) throws IOException {
    boolean ephemeral = options.orderPort() == 0;
    InventoryService inventory = new InventoryService(telemetry("inventory-service", options), options.host(),
        ephemeral ? 0 : options.orderPort() + 1, options.seed() + 1);
    PaymentService payment = new PaymentService(telemetry("payment-service", options), options.host(),
        ephemeral ? 0 : options.orderPort() + 2, options.seed() + 2);
    orders = new OrderService(telemetry("order-service", options), options.host(), options.orderPort(),
        inventory.uri("/inventory/reserve"), payment.uri("/payments/charge"), options.seed());
    parts.add(inventory);
    parts.add(payment);
    parts.add(orders);
    inventory.start();
    payment.start();
    orders.start();
    if (options.traffic()) {
      parts.add(0, new Traffic(orders.uri("/orders"), options.ordersPerSecond(), options.seed() + 3));
    }
  }

  private ServiceTelemetry telemetry(String service, ShopOptions options) {
    ServiceTelemetry t = new ServiceTelemetry(service, "1.4.2", options);
    parts.add(t);
    return t;
  }

  /** Starts the services (and the traffic); they run until {@link #close}. */
  public static Shop start(ShopOptions options) throws IOException {
    return new Shop(options);
  }

  /** Where customers send orders: {@code POST} here. */
  public URI ordersUri() {
    return orders.uri("/orders");
  }

  /** Stops the traffic, then the services, then flushes what their SDKs still hold. */
  @Override
  public void close() {
    List<AutoCloseable> order = new ArrayList<>();
    parts.stream().filter(p -> p instanceof Traffic).forEach(order::add);
    parts.stream().filter(p -> p instanceof ShopService).forEach(order::add);
    parts.stream().filter(p -> p instanceof ServiceTelemetry).forEach(order::add);
    for (AutoCloseable part : order) {
      try {
        part.close();
      } catch (Exception e) {
        // closing the rest matters more
      }
    }
  }
}

package io.sightline.demo;

import java.time.Duration;

/**
 * How the shop runs.
 *
 * @param otlpEndpoint the OTLP/HTTP base address the services export to, e.g. {@code http://127.0.0.1:4318}
 * @param host the address the services listen on
 * @param orderPort the order service's port (the seed's 8080); inventory and payment listen on the next two
 * @param traffic whether the built-in generator sends orders
 * @param ordersPerSecond the generator's rate
 * @param exportInterval how often metrics are exported and span and log batches flushed at the latest
 * @param seed makes the traffic (items, totals, spikes, declines) repeatable
 */
public record ShopOptions(String otlpEndpoint, String host, int orderPort, boolean traffic, double ordersPerSecond,
    Duration exportInterval, long seed) {

  public static ShopOptions defaults() {
    return new ShopOptions("http://127.0.0.1:4318", "127.0.0.1", 8080, true, 5, Duration.ofSeconds(10), 42);
  }

  public ShopOptions withOtlpEndpoint(String endpoint) {
    return new ShopOptions(endpoint, host, orderPort, traffic, ordersPerSecond, exportInterval, seed);
  }

  public ShopOptions withHost(String address) {
    return new ShopOptions(otlpEndpoint, address, orderPort, traffic, ordersPerSecond, exportInterval, seed);
  }

  public ShopOptions withOrderPort(int port) {
    return new ShopOptions(otlpEndpoint, host, port, traffic, ordersPerSecond, exportInterval, seed);
  }

  public ShopOptions withTraffic(boolean on) {
    return new ShopOptions(otlpEndpoint, host, orderPort, on, ordersPerSecond, exportInterval, seed);
  }

  public ShopOptions withOrdersPerSecond(double rate) {
    return new ShopOptions(otlpEndpoint, host, orderPort, traffic, rate, exportInterval, seed);
  }

  public ShopOptions withExportInterval(Duration interval) {
    return new ShopOptions(otlpEndpoint, host, orderPort, traffic, ordersPerSecond, interval, seed);
  }
}

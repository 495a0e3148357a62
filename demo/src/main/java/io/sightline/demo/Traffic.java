package io.sightline.demo;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Random;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * Customers: orders at a steady rate (one to three items, totals like the seed's 25000), and a look at one order in
 * five afterwards. Sent as curl would, uninstrumented: each order's trace starts at the order service.
 */
final class Traffic implements AutoCloseable {
  private final HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2))
      .executor(Executors.newVirtualThreadPerTaskExecutor()).build();
  private final ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor(r -> {
    Thread t = new Thread(r, "shop-traffic");
    t.setDaemon(true);
    return t;
  });
  private final URI orders;
  private final Random random;

  Traffic(URI orders, double perSecond, long seed) {
    this.orders = orders;
    this.random = new Random(seed);
    long periodMicros = Math.max(1000, (long) (1_000_000 / perSecond));
    timer.scheduleAtFixedRate(this::order, 500_000, periodMicros, TimeUnit.MICROSECONDS);
  }

  private void order() {
    int count = 1 + random.nextInt(3);
    StringBuilder items = new StringBuilder("[");
    for (int i = 0; i < count; i++) {
      items.append(i == 0 ? "" : ", ").append("\"item-").append(1 + random.nextInt(9)).append('"');
    }
    long total = 5000 * (1 + random.nextInt(24));
    boolean lookUp = random.nextInt(5) == 0;
    String body = "{\"items\": " + items + "], \"total\": " + total + "}";
    client.sendAsync(HttpRequest.newBuilder(orders).timeout(Duration.ofSeconds(10))
        .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(body)).build(),
        HttpResponse.BodyHandlers.ofString()).thenAccept(r -> {
          String id = Json.text(r.body(), "id");
          if (lookUp && id != null) {
            client.sendAsync(HttpRequest.newBuilder(URI.create(orders + "/" + id)).timeout(Duration.ofSeconds(10))
                .build(), HttpResponse.BodyHandlers.discarding());
          }
        });
  }

  @Override
  public void close() {
    timer.shutdownNow();
    client.close();
  }
}

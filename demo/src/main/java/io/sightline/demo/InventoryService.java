package io.sightline.demo;

import java.io.IOException;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.ConcurrentHashMap;

/**
 * {@code inventory-service}: {@code POST /inventory/reserve} with {@code {"items": [...]}} checks the stock in the
 * database and reserves one of each item; now and then the stock query is slow (a lock wait), which shows as a
 * latency spike two services up.
 */
final class InventoryService extends ShopService {
  private final Map<String, Long> stock = new ConcurrentHashMap<>();
  private final Random random;

  InventoryService(ServiceTelemetry telemetry, String host, int port, long seed) throws IOException {
    super(telemetry, host, port);
    this.random = new Random(seed);
    telemetry.meter().gaugeBuilder("inventory.stock").ofLongs().setUnit("{item}")
        .setDescription("Items in stock.").buildWithCallback(m -> stock.forEach((item, n) -> m.record(n,
            io.opentelemetry.api.common.Attributes.of(io.opentelemetry.api.common.AttributeKey.stringKey("item"),
                item))));
    route("POST", "/inventory/reserve", this::reserve);
  }

  private Response reserve(Request request) throws InterruptedException {
    List<String> items = Json.strings(request.body(), "items");
    if (items == null || items.isEmpty()) {
      log.warn("reservation without items");
      return Response.json(400, "{\"error\":\"items are required\"}");
    }
    boolean lockWait = random.nextDouble() < 0.03;
    query("SELECT", "inventory", "SELECT item, quantity FROM inventory WHERE item = ANY($1) FOR UPDATE",
        lockWait ? 150 + random.nextDouble() * 250 : 2 + random.nextDouble() * 6);
    if (lockWait) {
      log.warn("slow stock query", "items", items.size(), "reason", "lock wait");
    }
    for (String item : items) {
      stock.merge(item, 999L, (have, ignored) -> have <= 1 ? 1000 : have - 1);
    }
    query("UPDATE", "inventory", "UPDATE inventory SET quantity = quantity - 1 WHERE item = ANY($1)",
        1 + random.nextDouble() * 3);
    log.info("items reserved", "items", items.size());
    return Response.json(200, "{\"reserved\":" + items.size() + "}");
  }
}

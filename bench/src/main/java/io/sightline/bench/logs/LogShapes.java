package io.sightline.bench.logs;

import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.SplittableRandom;

/**
 * The JSON log lines of a web shop's services, as a structured logger writes them (zap, logrus, logback's JSON
 * encoder): a timestamp, level, service, the request's method, path, status, duration and response size, user and
 * order ids, the W3C trace and span ids and a message, about 320 bytes a line. Every request is a fresh trace that
 * logs one to four lines, the first in the service it entered, the others in services it called (a new span id
 * each); about 2% of the lines carry a 5xx status and are errors, 4xx and slow requests are warnings. The same seed
 * gives the same lines, byte for byte; timestamps are given by the caller, which spreads them over the span the file
 * covers.
 */
final class LogShapes {
  static final String[] SERVICES = {"frontend", "checkout-service", "cart-service", "payment-service",
      "inventory-service", "shipping-service", "user-service", "search-service", "recommendation-service",
      "notification-service"};
  private static final String[][] ROUTES = {
      {"GET", "/", "GET", "/checkout", "POST", "/api/v1/cart/items", "GET", "/product/"},
      {"POST", "/api/v1/checkout", "GET", "/api/v1/checkout/", "POST", "/api/v1/checkout/confirm"},
      {"GET", "/api/v1/cart/", "POST", "/api/v1/cart/items", "DELETE", "/api/v1/cart/items/"},
      {"POST", "/api/v1/payments", "GET", "/api/v1/payments/", "POST", "/api/v1/refunds"},
      {"GET", "/api/v1/stock/", "POST", "/api/v1/reservations", "DELETE", "/api/v1/reservations/"},
      {"POST", "/api/v1/shipments", "GET", "/api/v1/shipments/", "GET", "/api/v1/rates"},
      {"GET", "/api/v1/users/", "POST", "/api/v1/sessions", "PUT", "/api/v1/users/"},
      {"GET", "/api/v1/search", "GET", "/api/v1/suggest"},
      {"GET", "/api/v1/recommendations/", "POST", "/api/v1/events"},
      {"POST", "/api/v1/notifications/email", "POST", "/api/v1/notifications/push"}};
  private static final String[] MESSAGES = {"request completed", "request completed", "request completed",
      "upstream call finished", "database query executed", "cache lookup", "request completed"};
  private static final String[] ERROR_MESSAGES = {"upstream returned an error: connection reset by peer",
      "database query failed: deadline exceeded", "internal error while handling request",
      "payment provider unavailable, giving up after 3 attempts"};
  private static final String[] WARN_MESSAGES = {"request rejected: validation failed", "slow request",
      "retrying upstream call", "request rejected: not found"};
  private static final DateTimeFormatter SECONDS =
      DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss").withZone(ZoneOffset.UTC);
  private static final char[] HEX = "0123456789abcdef".toCharArray();

  private final SplittableRandom random;
  private final StringBuilder line = new StringBuilder(512);
  private long cachedSecond = Long.MIN_VALUE;
  private String cachedSecondText;
  // The request being logged: its trace id, the services it passes, lines left.
  private String traceId;
  private int root;
  private int linesLeft;
  private int lineInRequest;
  private long userId;
  private long orderId;

  /** The shape of one written line, for the needles and the counts the queries are checked against. */
  record Line(String text, String traceId, int service, String level, int status, boolean firstOfTrace,
      int linesOfTrace) {}

  LogShapes(long seed) {
    random = new SplittableRandom(seed);
  }

  /** A random 32-hex trace id, for one that must never occur (drawn from another seed). */
  static String traceIdFrom(SplittableRandom random) {
    return hex(random.nextLong(), 16) + hex(random.nextLong(), 16);
  }

  /** The next line, stamped {@code epochMicros}; requests follow each other, their lines in order. */
  Line next(long epochMicros) {
    boolean first = false;
    int linesOfTrace = 0;
    if (linesLeft == 0) {
      int r = random.nextInt(10);
      linesLeft = r < 4 ? 1 : r < 7 ? 2 : r < 9 ? 3 : 4;
      linesOfTrace = linesLeft;
      lineInRequest = 0;
      traceId = traceIdFrom(random);
      root = random.nextInt(SERVICES.length);
      // Users and orders repeat (a few hot ones), as real ids do; they make the ids compress like real ones.
      userId = 100_000 + (random.nextInt(4) == 0 ? random.nextInt(200) : random.nextInt(900_000));
      orderId = 10_000_000 + random.nextInt(90_000_000);
      first = true;
    }
    int service = lineInRequest == 0 ? root : (root + 1 + random.nextInt(SERVICES.length - 1)) % SERVICES.length;
    lineInRequest++;
    linesLeft--;
    String[] routes = ROUTES[service];
    int route = random.nextInt(routes.length / 2);
    String method = routes[2 * route];
    String path = routes[2 * route + 1];
    int dice = random.nextInt(1000);
    int status;
    if (dice < 20) {
      status = dice < 12 ? 500 : dice < 17 ? 503 : 502;
    } else if (dice < 60) {
      status = dice < 45 ? 404 : 400;
    } else {
      status = method.equals("POST") ? 201 : 200;
    }
    double durationMs = Math.exp(random.nextDouble() * 6) * 0.8; // 0.8 ms to 320 ms, log-uniform
    String level;
    String msg;
    if (status >= 500) {
      level = "error";
      msg = ERROR_MESSAGES[random.nextInt(ERROR_MESSAGES.length)];
    } else if (status >= 400 || durationMs > 250) {
      level = "warn";
      msg = status >= 400 ? WARN_MESSAGES[status == 404 ? 3 : 0] : WARN_MESSAGES[1 + random.nextInt(2)];
    } else {
      level = "info";
      msg = MESSAGES[random.nextInt(MESSAGES.length)];
    }
    StringBuilder b = line;
    b.setLength(0);
    b.append("{\"ts\":\"");
    appendTimestamp(b, epochMicros);
    b.append("\",\"level\":\"").append(level).append("\",\"service\":\"").append(SERVICES[service])
        .append("\",\"method\":\"").append(method).append("\",\"path\":\"").append(path);
    if (path.endsWith("/")) {
      b.append(path.contains("users") || path.contains("recommendations") ? userId : orderId);
    }
    b.append("\",\"status\":").append(status).append(",\"duration_ms\":");
    appendFixed3(b, durationMs);
    b.append(",\"bytes\":").append(status >= 400 ? 60 + random.nextInt(40) : 200 + random.nextInt(20_000));
    b.append(",\"user_id\":\"u-").append(userId).append("\",\"order_id\":\"o-").append(orderId)
        .append("\",\"trace_id\":\"").append(traceId).append("\",\"span_id\":\"")
        .append(hex(random.nextLong(), 16)).append("\",\"msg\":\"").append(msg).append("\"}");
    return new Line(b.toString(), traceId, service, level, status, first, linesOfTrace);
  }

  private void appendTimestamp(StringBuilder b, long epochMicros) {
    long second = Math.floorDiv(epochMicros, 1_000_000);
    if (second != cachedSecond) {
      cachedSecond = second;
      cachedSecondText = SECONDS.format(Instant.ofEpochSecond(second));
    }
    b.append(cachedSecondText).append('.');
    long micros = Math.floorMod(epochMicros, 1_000_000);
    for (long div = 100_000; div > 0; div /= 10) {
      b.append((char) ('0' + micros / div % 10));
    }
    b.append('Z');
  }

  private static void appendFixed3(StringBuilder b, double v) {
    long thousandths = Math.round(v * 1000);
    b.append(thousandths / 1000).append('.');
    long frac = thousandths % 1000;
    b.append((char) ('0' + frac / 100)).append((char) ('0' + frac / 10 % 10)).append((char) ('0' + frac % 10));
  }

  private static String hex(long v, int digits) {
    char[] c = new char[digits];
    for (int i = digits - 1; i >= 0; i--) {
      c[i] = HEX[(int) (v & 0xf)];
      v >>>= 4;
    }
    return new String(c);
  }
}

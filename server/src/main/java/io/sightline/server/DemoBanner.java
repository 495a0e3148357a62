package io.sightline.server;

import java.util.Map;

/** What {@code sightline demo} prints once everything runs: where to look and what to try. */
final class DemoBanner {
  private DemoBanner() {}

  static String text(int httpPort, Map<String, Integer> otlpPorts, int shopPort, boolean traffic) {
    String api = "http://localhost:" + httpPort;
    return """

        Sightline demo is running%s.

          Sightline        %s   Prometheus API /api/v1, Loki /loki/api/v1, Tempo /api, Jaeger /jaeger/api
          OTLP             grpc localhost:%d, http localhost:%d
          demo shop        http://localhost:%d/orders   (order-service; inventory-service :%d, payment-service :%d)

        Grafana: add Prometheus, Loki and Tempo data sources with the URL %s (Jaeger: %s/jaeger).

        Try:
          curl -X POST http://localhost:%d/orders -H 'Content-Type: application/json' \\
               -d '{"items": ["item-1"], "total": 25000}'
          curl -G %s/api/v1/query --data-urlencode \\
               'query=sum by (service) (rate(traces_spanmetrics_calls_total[1m]))'
          curl -G %s/api/v1/query_exemplars --data-urlencode \\
               'query=http_server_request_duration_seconds_bucket'
          curl -G %s/loki/api/v1/query_range --data-urlencode \\
               'query={service_name="payment-service"} | json | error_type="InsufficientFunds"'
          curl '%s/api/search?q=%%7B%%20status%%20%%3D%%20error%%20%%7D'
          curl %s/jaeger/api/services

        Stop with Ctrl-C.
        """.formatted(traffic ? ", with traffic against the shop" : " (no traffic: send your own orders)", api,
        otlpPorts.getOrDefault("grpc", 4317), otlpPorts.getOrDefault("http", 4318), shopPort, shopPort + 1,
        shopPort + 2, api, api, shopPort, api, api, api, api, api);
  }
}

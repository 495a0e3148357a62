#!/usr/bin/env bash
# The OTLP receive path alone: Sightline with memory_limiter and batch in front of a discarding (nop) exporter,
# loaded over OTLP/gRPC and OTLP/HTTP protobuf with 100 spans per request. Prints items/s accepted, the server's
# CPU-seconds per million spans and its peak resident memory.
#
#   bench/otlp-receive.sh                  # 10 s warm-up, 30 s measured per protocol
#   DURATION=60 CONCURRENCY=64 bench/otlp-receive.sh
#
# Traffic goes to 127.0.0.1 only; the server is started and stopped by the script.
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
cd "$root"
. .ci/java-home.sh
DURATION="${DURATION:-30}"
WARMUP="${WARMUP:-10}"
CONCURRENCY="${CONCURRENCY:-32}"
ITEMS="${ITEMS:-100}"
HEAP="${HEAP:-1g}"
work="$(mktemp -d)"
trap 'kill "$server" 2>/dev/null || true; rm -rf "$work"' EXIT

[ -f server/target/sightline.jar ] && [ -f bench/target/sightline-bench.jar ] \
  || ./mvnw -q -B -ntp -DskipTests -pl server,bench -am package

cat > "$work/receive.yaml" <<YAML
server:
  http: {endpoint: "127.0.0.1:13000"}
  data_dir: $work/data
receivers:
  otlp:
    protocols:
      grpc: {endpoint: "127.0.0.1:14317"}
      http: {endpoint: "127.0.0.1:14318"}
exporters:
  nop: {}
service:
  pipelines:
    traces: {receivers: [otlp], processors: [memory_limiter, batch], exporters: [nop]}
YAML

java -Xms"$HEAP" -Xmx"$HEAP" -XX:+UseG1GC -jar server/target/sightline.jar server --config "$work/receive.yaml" \
  --log-level warn > "$work/server.log" 2>&1 &
server=$!
for _ in $(seq 1 150); do curl -sf http://127.0.0.1:13000/-/ready >/dev/null && break; sleep 0.2; done
curl -sf http://127.0.0.1:13000/-/ready >/dev/null || { echo "server did not start:" >&2; cat "$work/server.log" >&2; exit 1; }

cpu_seconds() { awk '{ printf "%.2f", ($14 + $15) / '"$(getconf CLK_TCK)"' }' "/proc/$server/stat"; }

echo "sightline $(java -jar server/target/sightline.jar --version | tail -n 1), heap $HEAP, $(nproc) cores"
for protocol in grpc http; do
  port=$([ "$protocol" = grpc ] && echo 14317 || echo 14318)
  java -jar bench/target/sightline-bench.jar otlp-load --protocol "$protocol" --endpoint "http://127.0.0.1:$port" \
    --items-per-request "$ITEMS" --concurrency "$CONCURRENCY" --duration "$WARMUP" --warmup 0 --quiet >/dev/null 2>&1
  before=$(cpu_seconds)
  java -jar bench/target/sightline-bench.jar otlp-load --protocol "$protocol" --endpoint "http://127.0.0.1:$port" \
    --items-per-request "$ITEMS" --concurrency "$CONCURRENCY" --duration "$DURATION" --warmup 0 --quiet \
    --json-out "$work/$protocol.json" 2>/dev/null
  after=$(cpu_seconds)
  items=$(sed 's/.*"items":\([0-9]*\).*/\1/' "$work/$protocol.json")
  awk -v a="$after" -v b="$before" -v n="$items" \
    'BEGIN { c = a - b; printf "  server CPU: %.1f s for %d spans = %.2f CPU-s per million spans\n", c, n, c / (n / 1e6) }'
done
echo "  server peak RSS: $(awk '/VmHWM/ { printf "%.0f MiB", $2 / 1024 }' "/proc/$server/status")"

#!/usr/bin/env bash
# PromQL query latency, Sightline against Prometheus 2.42 and VictoriaMetrics 1.79 (Debian packages `prometheus`,
# `victoria-metrics`), one after the other on this machine, each given the identical data by remote write (the
# remote-write load's series: by default 100k series x 120 samples at 15 s spacing, ending a minute ago). Then the
# corpus in bench/promql-queries.txt runs as range queries over the data's last 30 minutes at a 60 s step (30 points),
# each query RUNS times after one warm-up; the median latency per query is printed per peer.
#
#   bench/promql-query.sh        # SERIES=100000 SAMPLES=120 RUNS=5 HEAP=1g PEERS="sightline prometheus victoria-metrics"
#
# Build first: ./mvnw -q -B -DskipTests -pl server,bench -am package
set -euo pipefail
# The jars need Java 21+: JAVA_HOME wins over the java on the PATH.
if [ -n "${JAVA_HOME:-}" ]; then PATH="$JAVA_HOME/bin:$PATH"; fi
cd "$(dirname "$0")/.."

SERIES=${SERIES:-100000}
SAMPLES=${SAMPLES:-120}
RUNS=${RUNS:-5}
HEAP=${HEAP:-1g}
PEERS=${PEERS:-"sightline prometheus victoria-metrics"}
PORT=${PORT:-19190}
work=$(mktemp -d /tmp/sightline-promql-bench.XXXXXX)
trap 'kill $(jobs -p) 2>/dev/null || true; rm -rf "$work"' EXIT

end_ms=$(( ($(date +%s) - 60) * 1000 ))
range_end=$(( end_ms / 1000 ))
range_start=$(( range_end - 1800 + 60 ))

wait_ready() {
  for _ in $(seq 1 120); do
    curl -sf "$1" > /dev/null 2>&1 && return 0
    sleep 0.5
  done
  echo "$2 did not become ready" >&2
  exit 1
}

for peer in $PEERS; do
  data="$work/$peer"
  mkdir -p "$data"
  case "$peer" in
    sightline)
      cat > "$work/sightline.yaml" <<YAML
server:
  http: {endpoint: "127.0.0.1:$PORT"}
  data_dir: $data
receivers:
  otlp:
    protocols:
      http: {endpoint: "127.0.0.1:0"}
exporters:
  nop: {}
service:
  pipelines:
    metrics: {receivers: [otlp], exporters: [nop]}
YAML
      java -Xms"$HEAP" -Xmx"$HEAP" -XX:+UseG1GC -jar server/target/sightline.jar server --config "$work/sightline.yaml" \
        --log-level warn > "$work/$peer.log" 2>&1 &
      server=$!
      wait_ready "http://127.0.0.1:$PORT/-/ready" sightline ;;
    prometheus)
      printf 'global:\n  scrape_interval: 1h\n' > "$work/prometheus.yml"
      prometheus --config.file="$work/prometheus.yml" --storage.tsdb.path="$data" --web.enable-remote-write-receiver \
        --web.listen-address="127.0.0.1:$PORT" > "$work/$peer.log" 2>&1 &
      server=$!
      wait_ready "http://127.0.0.1:$PORT/-/ready" prometheus ;;
    victoria-metrics)
      # Its response cache off, so that the repeated runs measure evaluation, as for the others.
      victoria-metrics -storageDataPath="$data" -httpListenAddr="127.0.0.1:$PORT" -retentionPeriod=100y \
        -search.disableCache -search.latencyOffset=0s > "$work/$peer.log" 2>&1 &
      server=$!
      wait_ready "http://127.0.0.1:$PORT/health" victoria-metrics ;;
  esac
  java -jar bench/target/sightline-bench.jar remote-write-load --url "http://127.0.0.1:$PORT/api/v1/write" \
    --series "$SERIES" --samples "$SAMPLES" --concurrency 4 --end "$end_ms" > "$work/$peer.load" 2>/dev/null \
    || { echo "$peer: load failed:"; cat "$work/$peer.load"; }
  if [ "$peer" = victoria-metrics ]; then
    curl -s "http://127.0.0.1:$PORT/internal/force_flush" > /dev/null
    sleep 2
  fi
  echo "== $peer"
  java -jar bench/target/sightline-bench.jar promql-query-load --url "http://127.0.0.1:$PORT" \
    --queries bench/promql-queries.txt --start "$range_start" --end "$range_end" --step 60 --runs "$RUNS" \
    --json-out "$work/$peer.json" || true
  kill "$server"
  wait "$server" 2>/dev/null || true
done

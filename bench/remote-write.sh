#!/usr/bin/env bash
# Remote-write ingest, Sightline against Prometheus and VictoriaMetrics (Debian packages `prometheus`,
# `victoria-metrics`), one after the other on this machine with the same generated load: by default 100k series
# x 120 samples at 15 s spacing, 2000 series per request, 8 requests in flight. For each: samples/s accepted, server
# CPU-seconds per million samples, peak resident memory, and bytes on disk per sample.
#
#   bench/remote-write.sh                     # all three
#   PEERS=sightline bench/remote-write.sh     # one of them
#   SERIES=20000 SAMPLES=60 bench/remote-write.sh
#
# Disk figures: Prometheus and Sightline after a snapshot of the head into a block (admin API on both; the WAL is
# not counted), VictoriaMetrics after a forced flush.
# Traffic goes to 127.0.0.1 only; every server is started and stopped by the script.
set -euo pipefail
# The jars need Java 21+: JAVA_HOME wins over the java on the PATH.
if [ -n "${JAVA_HOME:-}" ]; then PATH="$JAVA_HOME/bin:$PATH"; fi
root="$(cd "$(dirname "$0")/.." && pwd)"
cd "$root"
. .ci/java-home.sh
SERIES="${SERIES:-100000}"
SAMPLES="${SAMPLES:-120}"
CONCURRENCY="${CONCURRENCY:-8}"
HEAP="${HEAP:-2g}"
PEERS="${PEERS:-sightline prometheus victoria-metrics}"
PORT=19090
work="$(mktemp -d)"
server=""
trap '[ -n "$server" ] && kill "$server" 2>/dev/null; rm -rf "$work"' EXIT

[ -f server/target/sightline.jar ] && [ -f bench/target/sightline-bench.jar ] \
  || ./mvnw -q -B -ntp -DskipTests -pl server,bench -am package

wait_ready() {
  for _ in $(seq 1 150); do curl -sf "$1" >/dev/null 2>&1 && return 0; sleep 0.2; done
  echo "$2 did not start" >&2; return 1
}
cpu_seconds() { awk '{ printf "%.2f", ($14 + $15) / '"$(getconf CLK_TCK)"' }' "/proc/$server/stat"; }
rss_mib() { awk '/VmHWM/ { printf "%.0f", $2 / 1024 }' "/proc/$server/status"; }

printf "%-17s %14s %16s %12s %15s\n" peer "samples/s" "CPU-s/million" "peak RSS" "bytes/sample"
for peer in $PEERS; do
  data="$work/$peer"
  mkdir -p "$data"
  case "$peer" in
    sightline)
      cat > "$work/sightline.yaml" <<YAML
server:
  http: {endpoint: "127.0.0.1:$PORT", enable_admin_api: true}
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
        --web.enable-admin-api --web.listen-address="127.0.0.1:$PORT" > "$work/$peer.log" 2>&1 &
      server=$!
      wait_ready "http://127.0.0.1:$PORT/-/ready" prometheus ;;
    victoria-metrics)
      victoria-metrics -storageDataPath="$data" -httpListenAddr="127.0.0.1:$PORT" -retentionPeriod=100y \
        > "$work/$peer.log" 2>&1 &
      server=$!
      wait_ready "http://127.0.0.1:$PORT/health" victoria-metrics ;;
  esac
  before=$(cpu_seconds)
  java -jar bench/target/sightline-bench.jar remote-write-load --url "http://127.0.0.1:$PORT/api/v1/write" \
    --series "$SERIES" --samples "$SAMPLES" --concurrency "$CONCURRENCY" --json-out "$work/$peer.json" \
    > "$work/$peer.load" 2>/dev/null || { echo "$peer: load failed:"; cat "$work/$peer.load"; }
  after=$(cpu_seconds)
  case "$peer" in
    prometheus)
      curl -sf -XPOST "http://127.0.0.1:$PORT/api/v1/admin/tsdb/snapshot" >/dev/null
      disk=$(du -sb "$data/snapshots" | cut -f1) ;;
    victoria-metrics)
      curl -sf "http://127.0.0.1:$PORT/internal/force_flush" >/dev/null; sleep 2
      disk=$(du -sb "$data" | cut -f1) ;;
    sightline)
      curl -sf -XPOST "http://127.0.0.1:$PORT/api/v1/admin/tsdb/snapshot" >/dev/null
      disk=$(du -sb "$data/metrics/snapshots" | cut -f1) ;;
  esac
  samples=$(sed 's/.*"samples":\([0-9]*\).*/\1/' "$work/$peer.json")
  rate=$(sed 's/.*"samples_per_second":\([0-9.]*\).*/\1/' "$work/$peer.json")
  awk -v p="$peer" -v r="$rate" -v a="$after" -v b="$before" -v n="$samples" -v m="$(rss_mib)" -v d="$disk" \
    'BEGIN { printf "%-17s %14.0f %16.2f %9d MiB %15.2f\n", p, r, (a - b) / (n / 1e6), m, d / n }'
  kill "$server"; wait "$server" 2>/dev/null || true; server=""
done

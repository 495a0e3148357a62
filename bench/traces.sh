#!/usr/bin/env bash
# Trace ingest and query, Sightline against Zipkin 3.6.1 (Maven Central io.zipkin:zipkin-server:3.6.1:exec, in-memory
# storage), one after the other on this machine, each fed the same generated shop traces (bench/.../TraceShapes:
# ten spans a trace, fresh ids) until SPANS spans were accepted: Zipkin as Zipkin v2 JSON at /api/v2/spans, Sightline
# over OTLP/HTTP protobuf (and as Zipkin JSON too when ZIPKIN_JSON=1). Then trace by id (LOOKUPS random sent ids, one
# at a time) and a service + operation + minimum duration search. Prints spans/s, MB/s, server CPU-seconds per million
# spans, peak RSS, bytes on disk per span (Sightline, after its blocks are written) and the query latencies.
#
#   bench/traces.sh            # SPANS=1500000 PEERS="sightline zipkin" HEAP=2g ZIPKIN_HEAP=10g LOOKUPS=1000
#   SPANS=5000000 PEERS=sightline bench/traces.sh      # trace by id over 5 million spans
#
# Build first: ./mvnw -q -B -DskipTests -pl server,bench -am package. Traffic goes to 127.0.0.1 only.
set -euo pipefail
if [ -n "${JAVA_HOME:-}" ]; then PATH="$JAVA_HOME/bin:$PATH"; fi
root="$(cd "$(dirname "$0")/.." && pwd)"
cd "$root"

SPANS=${SPANS:-1500000}
PEERS=${PEERS:-"sightline zipkin"}
HEAP=${HEAP:-2g}
ZIPKIN_HEAP=${ZIPKIN_HEAP:-10g}
LOOKUPS=${LOOKUPS:-1000}
CONCURRENCY=${CONCURRENCY:-16}
ZIPKIN_JSON=${ZIPKIN_JSON:-0}
work=$(mktemp -d /tmp/sightline-trace-bench.XXXXXX)
trap 'kill $(jobs -p) 2>/dev/null || true; rm -rf "$work"' EXIT

zipkin_jar=bench/target/peers/zipkin-server-3.6.1-exec.jar
if [[ " $PEERS " == *" zipkin "* ]] && [ ! -f "$zipkin_jar" ]; then
  ./mvnw -q -B -ntp dependency:copy -Dartifact=io.zipkin:zipkin-server:3.6.1:jar:exec \
    -DoutputDirectory=bench/target/peers
fi

wait_ready() {
  for _ in $(seq 1 240); do
    curl -sf "$1" > /dev/null 2>&1 && return 0
    sleep 0.5
  done
  echo "$2 did not become ready" >&2
  exit 1
}
cpu_seconds() { awk '{ printf "%.2f", ($14 + $15) / '"$(getconf CLK_TCK)"' }' "/proc/$1/stat"; }
peak_rss_mib() { awk '/VmHWM/ { printf "%.0f", $2 / 1024 }' "/proc/$1/status"; }

load_and_query() { # peer format url query-base api operation
  local peer=$1 format=$2 url=$3 base=$4 api=$5 operation=$6
  local before after
  before=$(cpu_seconds "$server")
  java -jar bench/target/sightline-bench.jar trace-load --format "$format" --url "$url" --spans "$SPANS" \
    --concurrency "$CONCURRENCY" --ids-out "$work/$peer-$format.ids" > "$work/$peer-$format.load" 2>/dev/null \
    || { echo "$peer: load failed:"; cat "$work/$peer-$format.load"; }
  after=$(cpu_seconds "$server")
  echo "$peer ($format): $(cat "$work/$peer-$format.load")"
  awk -v a="$after" -v b="$before" -v n="$SPANS" \
    'BEGIN { printf "  server CPU %.1f s: %.2f CPU-s per million spans\n", a - b, (a - b) * 1e6 / n }'
  sleep 2
  java -jar bench/target/sightline-bench.jar trace-query --url "$base" --api "$api" --ids "$work/$peer-$format.ids" \
    --lookups "$LOOKUPS" --operation "$operation" 2>/dev/null | sed "s/^/  /" || true
}

for peer in $PEERS; do
  data="$work/$peer"
  mkdir -p "$data"
  case "$peer" in
    sightline)
      cat > "$work/sightline.yaml" <<YAML
server:
  http: {endpoint: "127.0.0.1:19600"}
  data_dir: $data
receivers:
  otlp:
    protocols:
      http: {endpoint: "127.0.0.1:19618"}
exporters:
  sightline: {}
service:
  pipelines:
    traces: {receivers: [otlp], processors: [memory_limiter, batch], exporters: [sightline]}
YAML
      java -Xms"$HEAP" -Xmx"$HEAP" -XX:+UseG1GC -jar server/target/sightline.jar server \
        --config "$work/sightline.yaml" --log-level warn > "$work/sightline.log" 2>&1 &
      server=$!
      wait_ready "http://127.0.0.1:19600/-/ready" sightline
      load_and_query sightline otlp http://127.0.0.1:19618/v1/traces http://127.0.0.1:19600 tempo "POST /payments"
      java -jar bench/target/sightline-bench.jar trace-query --url http://127.0.0.1:19600 --api jaeger \
        --ids "$work/sightline-otlp.ids" --lookups "$LOOKUPS" --operation "POST /payments" 2>/dev/null | sed "s/^/  /" || true
      if [ "$ZIPKIN_JSON" = 1 ]; then
        load_and_query sightline zipkin http://127.0.0.1:19600/api/v2/spans http://127.0.0.1:19600 jaeger \
          "post /payments"
      fi
      echo "  peak RSS $(peak_rss_mib "$server") MiB (heap $HEAP)"
      kill "$server"
      wait "$server" 2>/dev/null || true # a clean stop writes what is left in memory to blocks
      spans_stored=$((SPANS * (ZIPKIN_JSON + 1)))
      blocks=$(du -sb "$data/traces/blocks" | cut -f1)
      all=$(du -sb "$data/traces" | cut -f1)
      awk -v b="$blocks" -v a="$all" -v n="$spans_stored" \
        'BEGIN { printf "  on disk: %.1f bytes per span in blocks, %.1f with the WAL\n", b / n, a / n }' ;;
    zipkin)
      STORAGE_TYPE=mem MEM_MAX_SPANS=$((SPANS + 1000)) QUERY_PORT=19611 \
        java -Xms"$ZIPKIN_HEAP" -Xmx"$ZIPKIN_HEAP" -XX:+UseG1GC -jar "$zipkin_jar" > "$work/zipkin.log" 2>&1 &
      server=$!
      wait_ready "http://127.0.0.1:19611/health" zipkin
      load_and_query zipkin zipkin http://127.0.0.1:19611/api/v2/spans http://127.0.0.1:19611 zipkin "post /payments"
      echo "  peak RSS $(peak_rss_mib "$server") MiB (heap $ZIPKIN_HEAP)"
      kill "$server"
      wait "$server" 2>/dev/null || true ;;
  esac
done

#!/usr/bin/env bash
# Log ingest, size on disk and LogQL scan speed of Sightline, beside zstd and grep on the same file as the physical
# reference. A synthetic JSON service log (bench/.../logs/LogShapes: ~320 bytes a line, ten services, trace ids,
# ~2% 5xx; BYTES bytes whose timestamps run over the last SPAN) is pushed to Sightline's Loki API as Promtail pushes
# (snappy protobuf, ~1 MiB batches, streams of service × level, CONCURRENCY requests in flight); the server is
# stopped cleanly and its data measured; it is started again on that data and queried through Loki's API: a trace id
# with |= over the whole range (limit 100), sum(count_over_time(... | json | status >= 500 [range])) as an instant
# query over everything, and |= of an id that never occurs. Every answer is checked against the generator's counts.
# Then zstd -3 -T0 on the file (size and time), zstd -dc | grep -c -F and grep -c -F of the same id (warm page cache).
#
#   bench/logs.sh                                   # BYTES=1000000000 SPAN=PT2H HEAP=2g CONCURRENCY=4 RUNS=5
#   BYTES=100000000 bench/logs.sh                   # a 100 MB file first
#   BENCH_LOG_FILE=/tmp/app.log bench/logs.sh       # reuse that file (and its .needles), or write it there once
#   KEEP=1 bench/logs.sh                            # keep the work directory (data, config, server log)
#
# Build first: ./mvnw -q -B -DskipTests -pl server,bench -am package. Needs zstd for the reference (apt-get install
# zstd). Traffic goes to 127.0.0.1 only; the server is stopped at the end (and on any error).
set -euo pipefail
if [ -n "${JAVA_HOME:-}" ]; then PATH="$JAVA_HOME/bin:$PATH"; fi
root="$(cd "$(dirname "$0")/.." && pwd)"
cd "$root"

BYTES=${BYTES:-1000000000}
SPAN=${SPAN:-PT2H}
HEAP=${HEAP:-2g}
CONCURRENCY=${CONCURRENCY:-4}
RUNS=${RUNS:-5}
BENCH_LOG_FILE=${BENCH_LOG_FILE:-}
KEEP=${KEEP:-0}
port=19700
base="http://127.0.0.1:$port"
bench_jar=bench/target/sightline-bench.jar
server_jar=server/target/sightline.jar
for jar in "$bench_jar" "$server_jar"; do
  if [ ! -f "$jar" ]; then
    echo "$jar is missing: build first with ./mvnw -q -B -DskipTests -pl server,bench -am package" >&2
    exit 1
  fi
done
have_zstd=1
command -v zstd > /dev/null || { have_zstd=0; echo "zstd is not installed (apt-get install zstd): no reference" >&2; }
work=$(mktemp -d /tmp/sightline-log-bench.XXXXXX)
server=
stop_server() {
  if [ -n "$server" ]; then
    kill "$server" 2>/dev/null || true
    wait "$server" 2>/dev/null || true # a clean stop writes what the head holds to chunks
    server=
  fi
}
trap 'stop_server; if [ "$KEEP" = 1 ]; then echo "kept $work" >&2; else rm -rf "$work"; fi' EXIT

jf() { sed -n "s/.*\"$1\":\"\{0,1\}\([^,\"}]*\).*/\1/p" <<< "$2"; } # a field of a one-line JSON answer
cpu_seconds() { awk '{ printf "%.2f", ($14 + $15) / '"$(getconf CLK_TCK)"' }' "/proc/$1/stat"; }
peak_rss_mib() { awk '/VmHWM/ { printf "%.0f", $2 / 1024 }' "/proc/$1/status"; }
wait_ready() {
  for _ in $(seq 1 600); do
    curl -sf "$base/-/ready" > /dev/null 2>&1 && return 0
    kill -0 "$server" 2>/dev/null || { echo "sightline exited:" >&2; tail -20 "$work/sightline.log" >&2; exit 1; }
    sleep 0.5
  done
  echo "sightline did not become ready" >&2
  exit 1
}
start_server() {
  java -Xms"$HEAP" -Xmx"$HEAP" -XX:+UseG1GC -jar "$server_jar" server --config "$work/sightline.yaml" \
    --log-level warn >> "$work/sightline.log" 2>&1 &
  server=$!
  wait_ready
}
# GNU grep stops at its first match when writing to /dev/null (even with -c), hence "| cat": every byte is read.
seconds_of() { # command...: prints the wall time of the fastest of three runs, output discarded
  local best=
  for _ in 1 2 3; do
    local t0 t1
    t0=$(date +%s.%N)
    "$@" > /dev/null 2>&1 || true
    t1=$(date +%s.%N)
    best=$(awk -v a="$t0" -v b="$t1" -v best="$best" 'BEGIN { d = b - a; if (best == "" || d < best) best = d;
      printf "%.3f", best }')
  done
  echo "$best"
}

# 1. The file.
file=${BENCH_LOG_FILE:-$work/app.log}
if [ -f "$file" ] && [ -f "$file.needles" ]; then
  echo "reusing $file"
else
  java -jar "$bench_jar" log-gen --out "$file" --bytes "$BYTES" --span "$SPAN" > /dev/null
fi
needles="$file.needles"
nv() { awk -v k="$1" '$1 == k { print $2; exit }' "$needles"; }
lines=$(nv lines); raw=$(nv bytes); first_ns=$(nv first_ns); last_ns=$(nv last_ns); lines_5xx=$(nv lines_5xx)
absent=$(nv absent)
start_ns=$((first_ns - 1000000000)); end_ns=$((last_ns + 1000000000))
range_s=$(( (end_ns - start_ns) / 1000000000 + 1 ))
echo "file: $file, $raw bytes, $lines lines, $(( (last_ns - first_ns) / 1000000000 )) s of logs"

# 2. Ingest.
data="$work/data"
mkdir -p "$data"
cat > "$work/sightline.yaml" <<YAML
server:
  http: {endpoint: "127.0.0.1:$port"}
  data_dir: $data
receivers:
  otlp:
    protocols:
      grpc: {endpoint: "127.0.0.1:19717"}
      http: {endpoint: "127.0.0.1:19718"}
metrics_generator: {processors: []}
exporters:
  sightline: {}
storage:
  logs:
    limits: {ingestion_rate_mb: 100000, ingestion_burst_size_mb: 100000, max_line_size: 256KB}
service:
  pipelines:
    logs: {receivers: [otlp], processors: [memory_limiter, batch], exporters: [sightline]}
YAML
start_server
before=$(cpu_seconds "$server")
load_avg_before=$(cut -d' ' -f1 /proc/loadavg)
load=$(/usr/bin/time -f %U+%S -o "$work/loader.cpu" java -jar "$bench_jar" log-load --url "$base/loki/api/v1/push" \
  --file "$file" --concurrency "$CONCURRENCY" 2>/dev/null) || echo "log-load failed: $load" >&2
after=$(cpu_seconds "$server")
loader_cpu=$(awk "BEGIN { printf \"%.1f\", $(tail -1 "$work/loader.cpu") }")
load_avg_after=$(cut -d' ' -f1 /proc/loadavg)
echo "load: $load"
rss=$(peak_rss_mib "$server")
t0=$(date +%s.%N)
stop_server
t1=$(date +%s.%N)
stop_s=$(awk -v a="$t0" -v b="$t1" 'BEGIN { printf "%.1f", b - a }')
all_bytes=$(du -sb "$data/logs" | cut -f1)
wal_bytes=0
for d in $(find "$data/logs" -type d -name 'wal*' -prune); do
  wal_bytes=$((wal_bytes + $(du -sb "$d" | cut -f1)))
done
stored_bytes=$((all_bytes - wal_bytes))

# 3. Queries, on a restarted server.
start_server
query() { # name expect query [--instant]
  local name=$1 expect=$2 q=$3
  shift 3
  java -jar "$bench_jar" log-query --url "$base" --name "$name" --query "$q" --start "$start_ns" --end "$end_ns" \
    --limit 100 --runs "$RUNS" --raw-bytes "$raw" --expect "$expect" "$@" 2>/dev/null || true
}
results=()
while read -r kind id count; do
  [ "$kind" = present ] || continue
  results+=("$(query "needle $id ($count lines)" "$count" "{service_name=~\".+\"} |= \"$id\"")")
  echo "query: ${results[-1]}"
done < "$needles"
results+=("$(query "absent needle $absent" 0 "{service_name=~\".+\"} |= \"$absent\"")")
echo "query: ${results[-1]}"
results+=("$(query "sum(count_over_time(| json | status >= 500 [${range_s}s]))" "$lines_5xx" \
  "sum(count_over_time({service_name=~\".+\"} | json | status >= 500 [${range_s}s]))" --instant)")
echo "query: ${results[-1]}"
query_rss=$(peak_rss_mib "$server")
stop_server

# 4. The physical reference.
needle=$(awk '$1 == "present" { print $2; exit }' "$needles")
if [ "$have_zstd" = 1 ]; then
  t0=$(date +%s.%N)
  zstd -3 -T0 -q -f "$file" -o "$work/ref.zst"
  t1=$(date +%s.%N)
  zstd_s=$(awk -v a="$t0" -v b="$t1" 'BEGIN { printf "%.2f", b - a }')
  zstd_bytes=$(stat -c %s "$work/ref.zst")
  zstd_grep_s=$(seconds_of bash -c "zstd -dc '$work/ref.zst' | grep -c -F '$needle' | cat")
fi
cat "$file" > /dev/null # warm, as the queries above ran warm
grep_s=$(seconds_of bash -c "grep -c -F '$needle' '$file' | cat")
grep_count=$(grep -c -F "$needle" "$file" || true)

# 5. Summary.
calc() { awk "BEGIN { printf \"$1\", ($2) }"; } # format expression
load_s=$(jf seconds "$load"); load_lines=$(jf lines "$load"); mbps=$(jf mb_per_second "$load")
cpu=$(calc %.1f "$after - $before")
echo
echo "=== Sightline logs: $raw bytes of raw log, $lines lines ($((raw / lines)) bytes a line), heap $HEAP ==="
echo "ingest: $load_lines lines in $load_s s: $(jf lines_per_second "$load") lines/s, $mbps MB/s of raw lines" \
  "(goal >= 50 MB/s: $(calc %s "$mbps >= 50 ? \"met\" : \"NOT met\"")); $(jf retries "$load") retries," \
  "retried $(sed -n 's/.*"retried":"\([^"]*\)".*/\1/p' <<< "$load")," \
  "failures $(sed -n 's/.*"failures":"\([^"]*\)".*/\1/p' <<< "$load"), $CONCURRENCY requests in flight"
echo "server: $cpu CPU-s for the load ($(calc %.1f "$cpu * 1e9 / $raw") CPU-s per GB of raw log)," \
  "peak RSS $rss MiB; clean stop in $stop_s s; the loader took $loader_cpu CPU-s; load average" \
  "$load_avg_before before, $load_avg_after after (other work on the machine shows here)"
per_raw=$(calc %.3f "$stored_bytes / $raw"); per_raw_wal=$(calc %.3f "$all_bytes / $raw")
echo "on disk: $per_raw bytes per raw byte without the WAL ($stored_bytes bytes), $per_raw_wal with it" \
  "($all_bytes) (goal <= 0.25, index included: $(calc %s "$all_bytes / $raw <= 0.25 ? \"met\" : \
  $stored_bytes / $raw <= 0.25 ? \"met without the WAL\" : \"NOT met\""))"
echo "queries on the restarted server (whole range, limit 100, median of $RUNS after a warm-up; GB/s of raw log):"
for r in "${results[@]}"; do
  printf "  %-60s %8s ms (%s-%s) %6s GB/s  returned %s of %s %s; server read %s bytes %s\n" "$(jf name "$r")" \
    "$(jf median_ms "$r")" "$(jf min_ms "$r")" "$(jf max_ms "$r")" "$(jf gb_per_second "$r")" "$(jf returned "$r")" \
    "$(jf expected "$r")" "$( [ "$(jf ok "$r")" = true ] && echo ok || echo WRONG)" \
    "$(jf server_bytes_processed "$r")" "$(jf error "$r")"
done
echo "  (goal: a needle over 1 GB of raw log in under 100 ms; peak RSS while querying $query_rss MiB)"
if [ "$have_zstd" = 1 ]; then
  echo "reference: zstd -3 -T0 $(calc %.3f "$zstd_bytes / $raw") bytes per raw byte in $zstd_s s;" \
    "zstd -dc | grep -c -F $zstd_grep_s s ($(calc %.2f "$raw / $zstd_grep_s / 1e9") GB/s);" \
    "grep -c -F $grep_s s ($(calc %.2f "$raw / $grep_s / 1e9") GB/s, $grep_count lines)"
else
  echo "reference: grep -c -F $grep_s s ($(calc %.2f "$raw / $grep_s / 1e9") GB/s); no zstd"
fi

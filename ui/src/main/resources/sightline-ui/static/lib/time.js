// Time ranges as Grafana writes them in its URLs: `from`/`to` are either relative ("now", "now-15m", "now-7d")
// or absolute epoch milliseconds. Relative ranges stay relative in the URL, so a shared link shows "the last hour"
// whenever it is opened; zooming writes absolute times.

const UNIT_MS = { ms: 1, s: 1e3, m: 60e3, h: 3600e3, d: 86400e3, w: 604800e3, y: 31536000e3 };

export const DEFAULT_RANGE = { from: 'now-1h', to: 'now' };

export const PRESETS = [
  ['now-5m', 'Last 5 minutes'], ['now-15m', 'Last 15 minutes'], ['now-30m', 'Last 30 minutes'],
  ['now-1h', 'Last 1 hour'], ['now-3h', 'Last 3 hours'], ['now-6h', 'Last 6 hours'],
  ['now-12h', 'Last 12 hours'], ['now-24h', 'Last 24 hours'], ['now-2d', 'Last 2 days'], ['now-7d', 'Last 7 days'],
];

/** Milliseconds since the epoch for "now", "now-<n><unit>", epoch milliseconds, or an ISO date; NaN if none. */
export function parseTime(text, now = Date.now()) {
  const s = String(text ?? '').trim();
  if (s === 'now') return now;
  const rel = /^now-(\d+(?:\.\d+)?)(ms|s|m|h|d|w|y)$/.exec(s);
  if (rel) return now - Number(rel[1]) * UNIT_MS[rel[2]];
  if (/^\d+$/.test(s)) return Number(s);
  const iso = Date.parse(s);
  return Number.isNaN(iso) ? NaN : iso;
}

/** {start, end} in epoch milliseconds for a {from, to} range, with the defaults for missing parts. */
export function resolveRange(range = {}, now = Date.now()) {
  const start = parseTime(range.from ?? DEFAULT_RANGE.from, now);
  const end = parseTime(range.to ?? DEFAULT_RANGE.to, now);
  return { start: Number.isNaN(start) ? now - 3600e3 : start, end: Number.isNaN(end) ? now : end };
}

/** The range part of the URL parameters. */
export function rangeOf(params) {
  return { from: params.from || DEFAULT_RANGE.from, to: params.to || DEFAULT_RANGE.to };
}

/** A human label for a range: the preset name, or the two absolute times. */
export function describeRange(range) {
  const preset = PRESETS.find(([from]) => from === range.from && range.to === 'now');
  if (preset) return preset[1];
  const { start, end } = resolveRange(range);
  return `${formatTime(start)} to ${formatTime(end)}`;
}

/** Local time as "2026-12-03 14:05:09". */
export function formatTime(ms) {
  const d = new Date(ms);
  const p = (n, w = 2) => String(n).padStart(w, '0');
  return `${d.getFullYear()}-${p(d.getMonth() + 1)}-${p(d.getDate())} ${p(d.getHours())}:${p(d.getMinutes())}:${p(d.getSeconds())}`;
}

/** A duration in milliseconds the way trace UIs show it: 850µs, 12.3ms, 4.05s, 2m 3s. */
export function formatDuration(ms) {
  if (!Number.isFinite(ms)) return '';
  if (ms < 1) return `${Math.round(ms * 1000)}µs`;
  if (ms < 1000) return `${trim(ms)}ms`;
  if (ms < 60e3) return `${trim(ms / 1000)}s`;
  const m = Math.floor(ms / 60e3);
  return `${m}m ${Math.round((ms - m * 60e3) / 1000)}s`;
}

function trim(n) {
  return n >= 100 ? n.toFixed(0) : n >= 10 ? n.toFixed(1) : n.toFixed(2);
}

/** A Prometheus duration ("15s", "1m30s") for a number of seconds. */
export function promDuration(seconds) {
  let s = Math.max(1, Math.round(seconds));
  let out = '';
  for (const [unit, size] of [['d', 86400], ['h', 3600], ['m', 60], ['s', 1]]) {
    if (s >= size) { out += Math.floor(s / size) + unit; s %= size; }
  }
  return out;
}

/**
 * The step of a range query: about one point per two pixels of graph, rounded to a whole second, never finer than
 * the minimum, so Prometheus' 11,000-points limit is never hit.
 */
export function stepSeconds(startMs, endMs, widthPx = 1000, minSeconds = 1) {
  const points = Math.max(50, Math.min(widthPx / 2, 11000));
  return Math.max(minSeconds, Math.ceil((endMs - startMs) / 1000 / points));
}

// The unit a query's values are in, guessed from its metric names the way Prometheus names them (base units as
// suffixes: _bytes, _seconds), so the graph's axis says "191 MiB" or "250ms" instead of "200M" or "0.25".

const COUNTING = /\b(count|count_over_time|count_values|changes|resets|absent|absent_over_time|present_over_time)\s*\(/;
const KEYWORDS = new Set(['and', 'or', 'unless', 'offset', 'bool', 'inf', 'nan', 'Inf', 'NaN']);
const PER_SECOND = /\b(rate|irate|deriv)\s*\(/;

/** 'bytes', 's' or '' (a plain number) for a PromQL query. */
export function unitOf(query) {
  const text = query.replace(/"(?:[^"\\]|\\.)*"/g, '""');
  if (COUNTING.test(text)) return '';
  if (/\bhistogram_quantile\s*\(/.test(text)) {
    return /_seconds_bucket\b/.test(text) ? 's' : /_bytes_bucket\b/.test(text) ? 'bytes' : '';
  }
  const bare = text.replace(/\{[^}]*\}/g, '{}')
    .replace(/\b(by|without|on|ignoring|group_left|group_right)\s*\([^)]*\)/g, '')
    .replace(/\[[^\]]*\]/g, '[]');
  const metrics = [...bare.matchAll(/(?<![\w:.])([a-zA-Z_:][\w:]*)(?!\s*\()(?![\w:])/g)].map((m) => m[1])
    .filter((w) => !KEYWORDS.has(w));
  const units = new Set(metrics.map((m) => (/_bytes$/.test(m) ? 'bytes' : /_seconds$/.test(m) ? 's' : '')));
  if (units.size !== 1) return '';
  const [unit] = units;
  // A rate of bytes is bytes a second: still bytes on the axis. A rate of seconds is a ratio, not a duration.
  return unit === 's' && PER_SECOND.test(text) ? '' : unit;
}

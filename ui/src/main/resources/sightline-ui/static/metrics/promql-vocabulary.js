// The words of PromQL that are not metric names: functions, aggregations, keywords and range durations. The
// signature is what the completion list shows beside a name, so it says what the arguments are, not what they do.

const FUNCTIONS = {
  abs: 'abs(v instant-vector)',
  absent: 'absent(v instant-vector)',
  absent_over_time: 'absent_over_time(v range-vector)',
  ceil: 'ceil(v instant-vector)',
  changes: 'changes(v range-vector)',
  clamp: 'clamp(v instant-vector, min scalar, max scalar)',
  clamp_max: 'clamp_max(v instant-vector, max scalar)',
  clamp_min: 'clamp_min(v instant-vector, min scalar)',
  day_of_month: 'day_of_month(v=vector(time()))',
  day_of_week: 'day_of_week(v=vector(time()))',
  day_of_year: 'day_of_year(v=vector(time()))',
  days_in_month: 'days_in_month(v=vector(time()))',
  delta: 'delta(v range-vector)',
  deriv: 'deriv(v range-vector)',
  exp: 'exp(v instant-vector)',
  floor: 'floor(v instant-vector)',
  histogram_avg: 'histogram_avg(v instant-vector)',
  histogram_count: 'histogram_count(v instant-vector)',
  histogram_fraction: 'histogram_fraction(lower scalar, upper scalar, b instant-vector)',
  histogram_quantile: 'histogram_quantile(φ scalar, b instant-vector)',
  histogram_sum: 'histogram_sum(v instant-vector)',
  hour: 'hour(v=vector(time()))',
  idelta: 'idelta(v range-vector)',
  increase: 'increase(v range-vector)',
  irate: 'irate(v range-vector)',
  label_join: 'label_join(v, dst string, separator string, src string...)',
  label_replace: 'label_replace(v, dst string, replacement string, src string, regex string)',
  ln: 'ln(v instant-vector)',
  log10: 'log10(v instant-vector)',
  log2: 'log2(v instant-vector)',
  minute: 'minute(v=vector(time()))',
  month: 'month(v=vector(time()))',
  predict_linear: 'predict_linear(v range-vector, t scalar)',
  rate: 'rate(v range-vector)',
  resets: 'resets(v range-vector)',
  round: 'round(v instant-vector, to_nearest=1 scalar)',
  scalar: 'scalar(v instant-vector)',
  sgn: 'sgn(v instant-vector)',
  sort: 'sort(v instant-vector)',
  sort_by_label: 'sort_by_label(v instant-vector, label string...)',
  sort_by_label_desc: 'sort_by_label_desc(v instant-vector, label string...)',
  sort_desc: 'sort_desc(v instant-vector)',
  sqrt: 'sqrt(v instant-vector)',
  time: 'time()',
  timestamp: 'timestamp(v instant-vector)',
  vector: 'vector(s scalar)',
  year: 'year(v=vector(time()))',
  avg_over_time: 'avg_over_time(v range-vector)',
  count_over_time: 'count_over_time(v range-vector)',
  last_over_time: 'last_over_time(v range-vector)',
  max_over_time: 'max_over_time(v range-vector)',
  min_over_time: 'min_over_time(v range-vector)',
  present_over_time: 'present_over_time(v range-vector)',
  quantile_over_time: 'quantile_over_time(φ scalar, v range-vector)',
  stddev_over_time: 'stddev_over_time(v range-vector)',
  stdvar_over_time: 'stdvar_over_time(v range-vector)',
  sum_over_time: 'sum_over_time(v range-vector)',
};

const AGGREGATIONS = {
  avg: 'avg [by|without (labels)] (v)',
  bottomk: 'bottomk(k scalar, v)',
  count: 'count [by|without (labels)] (v)',
  count_values: 'count_values(label string, v)',
  group: 'group [by|without (labels)] (v)',
  limitk: 'limitk(k scalar, v)',
  limit_ratio: 'limit_ratio(ratio scalar, v)',
  max: 'max [by|without (labels)] (v)',
  min: 'min [by|without (labels)] (v)',
  quantile: 'quantile(φ scalar, v)',
  stddev: 'stddev [by|without (labels)] (v)',
  stdvar: 'stdvar [by|without (labels)] (v)',
  sum: 'sum [by|without (labels)] (v)',
  topk: 'topk(k scalar, v)',
};

const KEYWORDS = {
  by: 'group by these labels', without: 'group by all labels but these', on: 'match only on these labels',
  ignoring: 'match ignoring these labels', group_left: 'many-to-one match', group_right: 'one-to-many match',
  offset: 'shift the evaluation time back', bool: 'comparison as 0 or 1', and: 'intersection', or: 'union',
  unless: 'complement',
};

/** The keywords after which "(" starts a list of label names. */
export const GROUPING = new Set(['by', 'without', 'on', 'ignoring', 'group_left', 'group_right']);

/** Completion items for the non-metric words; functions insert their parentheses with the caret inside. */
export const WORDS = [
  ...Object.entries(FUNCTIONS).map(([name, signature]) =>
    ({ label: name, insert: `${name}()`, caret: name.length + 1, detail: signature, kind: 'function' })),
  ...Object.entries(AGGREGATIONS).map(([name, signature]) =>
    ({ label: name, insert: `${name}()`, caret: name.length + 1, detail: signature, kind: 'aggregation' })),
  ...Object.entries(KEYWORDS).map(([name, detail]) => ({ label: name, detail, kind: 'keyword' })),
];

/** The ranges offered after "[": the usual windows of rate() and *_over_time(). */
export const DURATIONS = ['1m', '2m', '5m', '10m', '15m', '30m', '1h', '3h', '6h', '12h', '1d', '7d']
  .map((d) => ({ label: d, insert: `${d}]`, detail: 'range', kind: 'duration' }));

// Calls to the server's public query APIs, exactly as Grafana's data sources make them. Every failure becomes an
// ApiError whose message is the one the API sent (Prometheus' "error", Loki's plain text, Tempo's text, Jaeger's
// errors[].msg), so it can be shown where the query was typed.

export class ApiError extends Error {
  constructor(message, status, type) {
    super(message);
    this.status = status;
    this.type = type;
  }
}

async function request(path, params, { method = 'GET', accept = 'application/json', signal, body, contentType, headers: extra } = {}) {
  const search = new URLSearchParams();
  for (const [k, v] of Object.entries(params ?? {})) {
    if (v === undefined || v === null || v === '') continue;
    if (Array.isArray(v)) v.forEach((x) => search.append(k, x)); else search.set(k, String(v));
  }
  let url = path;
  let payload = body;
  const headers = { Accept: accept, ...extra };
  if (method === 'POST' && body === undefined) {
    payload = search;
    headers['Content-Type'] = 'application/x-www-form-urlencoded';
  } else if (search.toString()) {
    url += (path.includes('?') ? '&' : '?') + search;
  }
  if (contentType) headers['Content-Type'] = contentType;
  let response;
  try {
    response = await fetch(url, { method, headers, body: payload, signal });
  } catch (e) {
    if (e.name === 'AbortError') throw e;
    throw new ApiError(`cannot reach the server: ${e.message}`, 0, 'network');
  }
  const text = await response.text();
  let json;
  try { json = text ? JSON.parse(text) : undefined; } catch { json = undefined; }
  if (!response.ok || json?.status === 'error') {
    const message = json?.error?.message ?? json?.error ?? json?.errors?.[0]?.msg ?? json?.message
      ?? (text.trim() || `${response.status} ${response.statusText}`);
    throw new ApiError(String(message), response.status, json?.errorType);
  }
  return json ?? text;
}

// ---- Prometheus HTTP API -----------------------------------------------------------------------------------------

/** Form-encoded POST, as Grafana sends PromQL, so long queries never hit a URL length limit. */
export const prom = {
  query: (query, time, opts) => request('/api/v1/query', { query, time: secs(time) }, { method: 'POST', ...opts }),
  queryRange: (query, start, end, step, opts) =>
    request('/api/v1/query_range', { query, start: secs(start), end: secs(end), step }, { method: 'POST', ...opts }),
  exemplars: (query, start, end, opts) =>
    request('/api/v1/query_exemplars', { query, start: secs(start), end: secs(end) }, { method: 'POST', ...opts }),
  series: (match, start, end, opts) =>
    request('/api/v1/series', { 'match[]': [].concat(match), start: secs(start), end: secs(end) }, opts),
  labels: (match, start, end, opts) =>
    request('/api/v1/labels', { 'match[]': match ? [].concat(match) : undefined, start: secs(start), end: secs(end) }, opts),
  labelValues: (name, match, start, end, opts) =>
    request(`/api/v1/label/${encodeURIComponent(name)}/values`,
      { 'match[]': match ? [].concat(match) : undefined, start: secs(start), end: secs(end) }, opts),
  metadata: (opts) => request('/api/v1/metadata', {}, opts),
  formatQuery: (query, opts) => request('/api/v1/format_query', { query }, opts),
  rules: (opts) => request('/api/v1/rules', {}, opts),
  alerts: (opts) => request('/api/v1/alerts', {}, opts),
};

// ---- Loki HTTP API ---------------------------------------------------------------------------------------------

export const loki = {
  /** With `categorize: true`, each entry carries its structured metadata and parsed labels apart (Loki 3's flag). */
  queryRange: (query, start, end, { limit, step, direction, categorize } = {}, opts) =>
    request('/loki/api/v1/query_range',
      { query, start: nanos(start), end: nanos(end), limit, step, direction },
      categorize ? { ...opts, headers: { 'X-Loki-Response-Encoding-Flags': 'categorize-labels' } } : opts),
  labels: (start, end, opts) => request('/loki/api/v1/labels', { start: nanos(start), end: nanos(end) }, opts),
  labelValues: (name, start, end, query, opts) =>
    request(`/loki/api/v1/label/${encodeURIComponent(name)}/values`,
      { start: nanos(start), end: nanos(end), query }, opts),
  /** A WebSocket on /loki/api/v1/tail; frames are Loki's JSON. */
  tail(query, { limit = 100, start } = {}) {
    const proto = location.protocol === 'https:' ? 'wss:' : 'ws:';
    const search = new URLSearchParams({ query, limit: String(limit) });
    if (start !== undefined) search.set('start', nanos(start));
    return new WebSocket(`${proto}//${location.host}/loki/api/v1/tail?${search}`);
  },
};

// ---- Tempo HTTP API --------------------------------------------------------------------------------------------

export const tempo = {
  /** A trace in OTLP JSON ({"batches"...} or {"resourceSpans"...} as v1/v2 answer). */
  trace: (id, opts) => request(`/api/v2/traces/${encodeURIComponent(id)}`, {}, opts),
  search: ({ q, tags, minDuration, maxDuration, limit, start, end, spss } = {}, opts) =>
    request('/api/search', { q, tags, minDuration, maxDuration, limit, spss, start: wholeSecs(start), end: wholeSecs(end) }, opts),
  tags: (scope, opts) => request('/api/v2/search/tags', { scope }, opts),
  tagValues: (tag, q, opts) => request(`/api/v2/search/tag/${encodeURIComponent(tag)}/values`, { q }, opts),
};

// ---- Jaeger query API ------------------------------------------------------------------------------------------

export const jaeger = {
  services: (opts) => request('/jaeger/api/services', {}, opts),
  operations: (service, opts) =>
    request(`/jaeger/api/services/${encodeURIComponent(service)}/operations`, {}, opts),
  traces: (params, opts) => request('/jaeger/api/traces', params, opts),
  trace: (id, opts) => request(`/jaeger/api/traces/${encodeURIComponent(id)}`, {}, opts),
  dependencies: (endTs, lookback, opts) => request('/jaeger/api/dependencies', { endTs, lookback }, opts),
};

// ---- Sightline's own UI endpoints --------------------------------------------------------------------------------

export const ui = { request };

/** Epoch milliseconds as the fractional seconds the Prometheus and Tempo APIs take. */
function secs(ms) {
  return ms === undefined ? undefined : (ms / 1000).toFixed(3).replace(/\.?0+$/, '');
}

/** Tempo's search takes whole seconds. */
function wholeSecs(ms) {
  return ms === undefined ? undefined : String(Math.floor(ms / 1000));
}

/** Epoch milliseconds as Loki's nanosecond timestamps (as a string: they do not fit a double). */
function nanos(ms) {
  return ms === undefined ? undefined : `${Math.round(ms)}000000`;
}

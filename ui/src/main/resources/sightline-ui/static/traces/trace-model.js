// A trace as the trace view works with it, built from Tempo's OTLP JSON (/api/v2/traces/<id>): hex ids, times in
// milliseconds relative to the trace's start (nanosecond epochs do not fit a double, so the offsets are computed
// with BigInt), the span tree, and the critical path.

import { PALETTE } from '../components/graph.js';

const KINDS = ['unspecified', 'internal', 'server', 'client', 'producer', 'consumer'];

/** OTLP JSON's base64 ids as the hex the rest of the world (and the URLs) use. */
export function hexId(base64) {
  if (!base64) return '';
  if (/^[0-9a-f]+$/i.test(base64) && (base64.length === 16 || base64.length === 32)) return base64.toLowerCase();
  const bin = atob(base64);
  let out = '';
  for (let i = 0; i < bin.length; i++) out += bin.charCodeAt(i).toString(16).padStart(2, '0');
  return out;
}

/** An OTLP AnyValue as display text. */
export function anyValue(v) {
  if (!v) return '';
  if ('stringValue' in v) return v.stringValue;
  if ('intValue' in v) return String(v.intValue);
  if ('doubleValue' in v) return String(v.doubleValue);
  if ('boolValue' in v) return String(v.boolValue);
  if ('arrayValue' in v) return `[${(v.arrayValue.values ?? []).map(anyValue).join(', ')}]`;
  if ('kvlistValue' in v) return `{${(v.kvlistValue.values ?? []).map((kv) => `${kv.key}=${anyValue(kv.value)}`).join(', ')}}`;
  if ('bytesValue' in v) return v.bytesValue;
  return '';
}

const attributes = (list) => (list ?? []).map((kv) => [kv.key, anyValue(kv.value)]);

function kindName(kind) {
  if (typeof kind === 'number') return KINDS[kind] ?? 'unspecified';
  return String(kind ?? 'SPAN_KIND_UNSPECIFIED').replace('SPAN_KIND_', '').toLowerCase();
}

function statusName(code) {
  if (code === 2 || code === 'STATUS_CODE_ERROR') return 'error';
  if (code === 1 || code === 'STATUS_CODE_OK') return 'ok';
  return 'unset';
}

/** The trace of a /api/v2/traces answer (or a v1 one): spans as a tree, sorted by start, with the root first. */
export function buildTrace(json) {
  const resourceSpans = json?.trace?.resourceSpans ?? json?.resourceSpans ?? json?.batches ?? [];
  const raw = [];
  for (const rs of resourceSpans) {
    const resource = attributes(rs.resource?.attributes);
    const service = resource.find(([k]) => k === 'service.name')?.[1] ?? 'unknown';
    for (const ss of rs.scopeSpans ?? rs.instrumentationLibrarySpans ?? []) {
      for (const s of ss.spans ?? []) raw.push({ s, resource, service, scope: ss.scope ?? ss.instrumentationLibrary });
    }
  }
  if (raw.length === 0) return undefined;
  const base = raw.reduce((min, { s }) => (BigInt(s.startTimeUnixNano) < min ? BigInt(s.startTimeUnixNano) : min),
    BigInt(raw[0].s.startTimeUnixNano));
  const rel = (nanos) => Number(BigInt(nanos ?? 0) - base) / 1e6;
  const spans = raw.map(({ s, resource, service, scope }) => {
    const start = rel(s.startTimeUnixNano);
    const end = rel(s.endTimeUnixNano);
    const status = { code: statusName(s.status?.code), message: s.status?.message ?? '' };
    return {
      spanId: hexId(s.spanId), parentId: hexId(s.parentSpanId), traceId: hexId(s.traceId), name: s.name ?? '',
      kind: kindName(s.kind), service, resource, scope: scope?.name ?? '', scopeVersion: scope?.version ?? '',
      attributes: attributes(s.attributes), start, end, duration: end - start, status, error: status.code === 'error',
      events: (s.events ?? []).map((e) => ({ name: e.name, offset: rel(e.timeUnixNano) - start, attributes: attributes(e.attributes) })),
      links: (s.links ?? []).map((l) => ({ traceId: hexId(l.traceId), spanId: hexId(l.spanId), attributes: attributes(l.attributes) })),
      children: [], depth: 0,
    };
  });
  const byId = new Map(spans.map((s) => [s.spanId, s]));
  const roots = [];
  for (const s of spans) {
    const parent = s.parentId && byId.get(s.parentId);
    if (parent) parent.children.push(s); else roots.push(s);
  }
  const byStart = (a, b) => a.start - b.start || a.end - b.end;
  roots.sort(byStart);
  // Depth-first order is the waterfall's row order.
  const ordered = [];
  const visit = (s, depth) => {
    s.depth = depth;
    ordered.push(s);
    s.children.sort(byStart).forEach((c) => visit(c, depth + 1));
  };
  roots.forEach((r) => visit(r, 0));
  const root = roots.find((r) => !r.parentId) ?? roots[0];
  const services = [...new Set(ordered.map((s) => s.service))];
  const startMs = Number(base / 1000000n) + Number(base % 1000000n) / 1e6;
  return {
    traceId: root.traceId, root, roots, spans: ordered, byId, services, startMs,
    duration: Math.max(...spans.map((s) => s.end)), errorCount: spans.filter((s) => s.error).length,
  };
}

/** A colour per service, stable for a trace: services in order of first appearance take the palette in turn. */
export function serviceColours(services) {
  return new Map(services.map((s, i) => [s, PALETTE[i % PALETTE.length]]));
}

/**
 * The critical path as Jaeger computes it: from the root's end walk backwards, always into the child that finished
 * last before the point reached, and count the parent's own time in the gaps. The result is the list of segments
 * {spanId, start, end} (ms offsets) that together cover the root's duration.
 */
export function criticalPath(trace) {
  const segments = [];
  const walk = (span, upTo) => {
    let cursor = Math.min(span.end, upTo);
    const children = [...span.children].sort((a, b) => b.end - a.end);
    for (const child of children) {
      if (child.start >= cursor || child.end <= span.start) continue;
      const childEnd = Math.min(child.end, cursor);
      if (cursor > childEnd) segments.push({ spanId: span.spanId, start: childEnd, end: cursor });
      walk(child, childEnd);
      cursor = Math.max(child.start, span.start);
    }
    if (cursor > span.start) segments.push({ spanId: span.spanId, start: span.start, end: cursor });
  };
  trace.roots.forEach((r) => walk(r, r.end));
  return segments;
}

/** A search result row from a Jaeger trace (the form search answers with whole traces). */
export function summaryOfJaegerTrace(t) {
  const spans = t.spans ?? [];
  const ids = new Set(spans.map((s) => s.spanID));
  const root = spans.find((s) => !(s.references ?? []).some((r) => r.refType === 'CHILD_OF' && ids.has(r.spanID)))
    ?? spans[0];
  const start = Math.min(...spans.map((s) => s.startTime));
  const end = Math.max(...spans.map((s) => s.startTime + s.duration));
  const isError = (s) => (s.tags ?? []).some((tag) => tag.key === 'error' && (tag.value === true || tag.value === 'true'));
  return {
    traceId: t.traceID, rootService: t.processes?.[root?.processID]?.serviceName ?? '', rootName: root?.operationName ?? '',
    startMs: start / 1000, durationMs: (end - start) / 1000, spanCount: spans.length, errorCount: spans.filter(isError).length,
    services: [...new Set(spans.map((s) => t.processes?.[s.processID]?.serviceName).filter(Boolean))],
  };
}

/** A search result row from Tempo's search (TraceQL), whose serviceStats hold the span and error counts. */
export function summaryOfTempoTrace(t) {
  const stats = Object.entries(t.serviceStats ?? {});
  return {
    traceId: t.traceID, rootService: t.rootServiceName ?? '', rootName: t.rootTraceName ?? '',
    startMs: Number(BigInt(t.startTimeUnixNano ?? 0) / 1000000n), durationMs: Number(t.durationMs ?? 0),
    spanCount: stats.reduce((n, [, s]) => n + (s.spanCount ?? 0), 0),
    errorCount: stats.reduce((n, [, s]) => n + (s.errorCount ?? 0), 0),
    services: stats.map(([name]) => name),
  };
}

/** `key=value key2="with space"` as an object; throws on text that is not logfmt, saying where. */
export function parseLogfmt(text) {
  const out = {};
  const re = /\s*([^\s=]+)=(?:"((?:[^"\\]|\\.)*)"|(\S*))/y;
  let i = 0;
  const s = text.trim();
  while (i < s.length) {
    re.lastIndex = i;
    const m = re.exec(s);
    if (!m) throw new Error(`tags: expected key=value at column ${i + 1}`);
    out[m[1]] = m[2] !== undefined ? m[2].replace(/\\(.)/g, '$1') : m[3];
    i = re.lastIndex;
    while (s[i] === ' ') i++;
  }
  return out;
}

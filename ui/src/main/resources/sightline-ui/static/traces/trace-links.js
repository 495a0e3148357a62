// The links from a trace to the other views, in the forms every part of the UI agrees on (see the UI brief).

import { href } from '../lib/router.js';

/** Some slack around a span or trace, so log lines written just before or after it are in range. */
const SLACK_MS = 60_000;

export function logsForSpan(trace, span) {
  return href('/logs', {
    query: `{service_name="${span.service}"} | span_id="${span.spanId}"`,
    from: Math.floor(trace.startMs + span.start - SLACK_MS), to: Math.ceil(trace.startMs + span.end + SLACK_MS),
  });
}

export function logsForTrace(trace) {
  return href('/logs', {
    query: `{service_name=~".+"} | trace_id="${trace.traceId}"`,
    from: Math.floor(trace.startMs - SLACK_MS), to: Math.ceil(trace.startMs + trace.duration + SLACK_MS),
  });
}

export function redMetricsOf(service) {
  return href('/dashboards/services', { 'var-service': service });
}

export function traceLink(traceId, spanId) {
  return href(`/trace/${traceId}`, { span: spanId });
}

import { loki } from '../lib/api.js';

/**
 * A live tail over Loki's WebSocket (/loki/api/v1/tail). Each frame's entries reach `onEntries` (oldest first, as
 * the server sends them); `onState` hears 'connecting', 'live', 'closed' and errors in the server's words (a close
 * frame's reason, as Loki sends its limits).
 */
export class LiveTail {
  constructor(query, { limit = 100, onEntries, onState }) {
    this.onEntries = onEntries;
    this.onState = onState;
    this.stopped = false;
    this.seq = 0;
    this.socket = loki.tail(query, { limit });
    onState('connecting');
    this.socket.addEventListener('open', () => onState('live'));
    this.socket.addEventListener('message', (m) => this.frame(m.data));
    this.socket.addEventListener('close', (e) => {
      if (this.stopped) return;
      onState(e.code === 1000 || e.code === 1005 ? 'closed' : `tail closed: ${e.reason || `code ${e.code}`}`);
    });
  }

  frame(text) {
    let frame;
    try { frame = JSON.parse(text); } catch { return; }
    const entries = [];
    for (const s of frame.streams ?? []) {
      for (const [nanos, line] of s.values ?? []) {
        entries.push({ key: `live-${this.seq++}`, nanos, ms: Number(BigInt(nanos) / 1000000n), line, labels: s.stream });
      }
    }
    entries.sort((a, b) => compareNanos(a.nanos, b.nanos));
    if (entries.length) this.onEntries(entries, frame.dropped_entries?.length ?? 0);
  }

  stop() {
    this.stopped = true;
    this.socket.close(1000);
  }
}

/** Nanosecond timestamps are strings (they do not fit a double); BigInt compares them exactly. */
export function compareNanos(a, b) {
  const x = BigInt(a);
  const y = BigInt(b);
  return x < y ? -1 : x > y ? 1 : 0;
}

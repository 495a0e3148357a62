// The colour of a log level, as Grafana colours its logs: red errors, yellow warnings, green info, blue debug. The
// colours are the theme's variables, so a level looks the same in the lines and in the volume bars.

const LEVEL_VARIABLES = {
  critical: '--error', fatal: '--error', error: '--error', warn: '--warn', info: '--ok', debug: '--accent',
  trace: '--fg-muted', unknown: '--border',
};

/** Levels bottom to top of the volume's stack; errors at the bottom, where the eye finds them first. */
export const LEVEL_ORDER = ['critical', 'fatal', 'error', 'warn', 'info', 'debug', 'trace', 'unknown'];

/** The level of an entry: detected_level (Loki adds it at ingest), else a level label a parser found. */
export function levelOf(entry) {
  const level = entry.metadata?.detected_level ?? entry.parsed?.detected_level ?? entry.parsed?.level
    ?? entry.stream?.detected_level ?? entry.stream?.level;
  return level ? String(level).toLowerCase() : 'unknown';
}

/** The CSS variable that colours a level, for styles: `var(--error)`. */
export function levelVariable(level) {
  return `var(${LEVEL_VARIABLES[level] ?? LEVEL_VARIABLES.unknown})`;
}

/** The level's colour as a value, for the canvas of the volume graph, which cannot read CSS variables. */
export function levelColor(level) {
  const name = LEVEL_VARIABLES[level] ?? LEVEL_VARIABLES.unknown;
  return getComputedStyle(document.documentElement).getPropertyValue(name).trim() || '#888888';
}

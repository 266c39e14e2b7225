// Text that came from a server (a Server header, a reason phrase, a Location, an SDP, a web page) or from a file
// is data, never control: before it reaches a terminal, a JSON file, a report or the screen, the characters that
// could steer what shows it are taken out — C0 and C1 controls (ESC sequences that recolour or retitle a
// terminal, NUL, a lone CR that overwrites a line), DEL, the bidirectional overrides and isolates that make
// "gnp.exe" read as "exe.png", and the invisible BOM / zero-width space — and it is cut to a bounded length.
// Pure and dependency-free: the probes, the reports, the CLI and the renderer all use it.

/** Longest one-line value kept (a URL from a Location header fits: browsers stop near 2 000 characters). */
export const SERVER_LINE_MAX = 2048;
/** Longest multi-line value kept (evidence excerpts are bounded well below this by the probes). */
export const SERVER_BLOCK_MAX = 16 * 1024;

const ELLIPSIS = '…';

// C0 controls, DEL and C1 controls; the bidi marks, embeddings, overrides and isolates (U+061C, U+200E-F,
// U+202A-E, U+2066-9); zero-width space, word joiner and BOM.
const STEERING =
  '\\u0000-\\u001f\\u007f-\\u009f\\u061c\\u200b\\u200e\\u200f\\u202a-\\u202e\\u2060\\u2066-\\u2069\\ufeff';
// For blocks: tab and LF stay, CR is judged on its own (see BLOCK_PATTERN).
const STEERING_IN_BLOCKS = STEERING.replace(
  '\\u0000-\\u001f',
  '\\u0000-\\u0008\\u000b\\u000c\\u000e-\\u001f',
);
const ANY_STEERING = new RegExp(`[${STEERING}]`, 'u');
const LINE_BREAKS = /\r\n|[\r\n\t\u2028\u2029\u0085]/g;
const STEERING_CHARS = new RegExp(`[${STEERING}]+`, 'gu');

/** True when the text holds a character that `serverLine` would take out. */
export function hasSteeringCharacters(text: string): boolean {
  return ANY_STEERING.test(text);
}

/**
 * One line of server text for a sentence, a table cell or a header: line breaks and tabs become one space, every
 * other control or bidi character goes, and it ends with "…" when cut at `max` characters.
 */
export function serverLine(text: string, max = SERVER_LINE_MAX): string {
  const clean = text.replace(LINE_BREAKS, ' ').replace(STEERING_CHARS, '');
  return cut(clean, max);
}

/**
 * Several lines of server text (an excerpt of a reply, an SDP): CRLF line ends stay as the protocol sent them, a
 * lone CR (which would overwrite the line before it) and the other line separators become "\n", tabs stay; every
 * other control or bidi character goes; cut at `max`.
 */
export function serverBlock(text: string, max = SERVER_BLOCK_MAX): string {
  return cut(text.replace(BLOCK_PATTERN, blockReplacement), max);
}

// Alternatives in order: a CRLF pair is kept whole before a lone CR can match.
const BLOCK_PATTERN = new RegExp(`\\r\\n|\\r|[\\u2028\\u2029\\u0085]|[${STEERING_IN_BLOCKS}]+`, 'gu');
function blockReplacement(match: string): string {
  if (match === '\r\n') return match;
  return match === '\r' || match === '\u2028' || match === '\u2029' || match === '\u0085' ? '\n' : '';
}

/**
 * Every string inside a JSON-like value made safe as `serverBlock` makes it (line breaks and tabs kept, since a
 * summary or an excerpt may have several lines), without changing its shape. The last guard before a report is
 * written out or sent to the window; values that are already clean come back as the same objects.
 */
export function withoutSteering<T>(value: T, max = SERVER_BLOCK_MAX): T {
  return mapStrings(value, (text) => serverBlock(text, max));
}

/** The value with `change` applied to every string in it, at any depth; unchanged parts stay the same objects. */
export function mapStrings<T>(value: T, change: (text: string) => string): T {
  return mapDeep(value, change) as T;
}

function mapDeep(value: unknown, change: (text: string) => string): unknown {
  if (typeof value === 'string') {
    const changed = change(value);
    return changed === value ? value : changed;
  }
  if (Array.isArray(value)) {
    const items = value.map((item) => mapDeep(item, change));
    return items.every((item, i) => item === value[i]) ? value : items;
  }
  if (value !== null && typeof value === 'object') {
    let changed = false;
    const entries = Object.entries(value).map(([key, item]) => {
      const mapped = mapDeep(item, change);
      if (mapped !== item) changed = true;
      return [key, mapped] as const;
    });
    return changed ? Object.fromEntries(entries) : value;
  }
  return value;
}

function cut(text: string, max: number): string {
  if (text.length <= max) return text;
  // Never split a surrogate pair: a lone half is not text.
  let end = Math.max(0, max - ELLIPSIS.length);
  const code = text.charCodeAt(end - 1);
  if (code >= 0xd800 && code <= 0xdbff) end--;
  return `${text.slice(0, end)}${ELLIPSIS}`;
}

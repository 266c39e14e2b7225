// Everything read from a bundle or a report someone sent is data. Before any of it is shown (in the app or
// a terminal), control characters go: terminal escape sequences, C1 controls, and the bidirectional
// overrides that make text read differently from what it is. Tabs and line breaks stay (evidence is
// multi-line). Pure functions.

// C0 except tab and line feed, DEL, C1, bidi marks/embeddings/overrides/isolates, and the BOM.
// eslint-disable-next-line no-control-regex -- matching control characters is the point
const CONTROL = /[\u0000-\u0008\u000B-\u001F\u007F-\u009F\u200E\u200F\u202A-\u202E\u2066-\u2069\uFEFF]/gu;

export function stripControlCharacters(text: string): string {
  return text.replace(/\r\n?/g, '\n').replace(CONTROL, '');
}

/** Keys that would reach an object's prototype when copied by assignment. */
const UNSAFE_KEYS: ReadonlySet<string> = new Set(['__proto__', 'constructor', 'prototype']);

export type SanitizeResult = { ok: true; value: unknown } | { ok: false; message: string };

/**
 * A copy of parsed JSON with every string (keys too) stripped of control characters, prototype keys
 * dropped, and nesting bounded (a report is a few levels deep; thousands of levels is an attack).
 */
export function sanitizeJson(value: unknown, maxDepth = 32): SanitizeResult {
  let tooDeep = false;
  const copy = (node: unknown, depth: number): unknown => {
    if (depth > maxDepth) {
      tooDeep = true;
      return null;
    }
    if (typeof node === 'string') return stripControlCharacters(node);
    if (Array.isArray(node)) return node.map((item) => copy(item, depth + 1));
    if (typeof node === 'object' && node !== null) {
      const out: Record<string, unknown> = {};
      for (const [key, item] of Object.entries(node)) {
        if (UNSAFE_KEYS.has(key)) continue;
        out[stripControlCharacters(key)] = copy(item, depth + 1);
      }
      return out;
    }
    return node;
  };
  const value_ = copy(value, 0);
  return tooDeep
    ? { ok: false, message: `it is nested more than ${maxDepth} levels deep` }
    : { ok: true, value: value_ };
}

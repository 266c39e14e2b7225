// Everything read from a bundle or a report someone sent is data. Before any of it is shown (in the app or
// a terminal), control characters go: terminal escape sequences, C1 controls, and the bidirectional
// overrides that make text read differently from what it is. Tabs and line breaks stay (evidence is
// multi-line). Pure functions.
import { serverBlock } from '../common/server-text';

/** The shared definition of what steers a display (electron/common/server-text.ts), with no length cut: a
 * bundle's bounds are its own. Line ends become LF, as the files are shown, not relayed. */
export function stripControlCharacters(text: string): string {
  return serverBlock(text, Number.POSITIVE_INFINITY).replace(/\r\n/g, '\n');
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

// Status line and headers of an HTTP or RTSP reply (the two share RFC 822-style heads). Pure and tolerant:
// a head that is not complete yet or not HTTP/RTSP at all returns null rather than throwing.
import type { RedirectFacts } from './types';

export interface ResponseHead {
  protocol: 'HTTP' | 'RTSP';
  version: string;
  status: number;
  reason: string;
  /** Headers in order; names as sent. Repeated headers (Pragma) stay separate. */
  headers: Array<[string, string]>;
  /** Bytes of the head including the blank line. */
  length: number;
}

const STATUS_LINE = /^(HTTP|RTSP)\/(\d+(?:\.\d+)?)[ \t]+(\d{3})(?:[ \t]+([^\r\n]*))?$/i;

/** Index just past the blank line that ends a head, or -1. Accepts bare LF as some servers send it. */
export function headEnd(bytes: Uint8Array): number {
  const text = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.length);
  const crlf = text.indexOf('\r\n\r\n');
  const lf = text.indexOf('\n\n');
  if (crlf === -1 && lf === -1) return -1;
  if (crlf === -1) return lf + 2;
  if (lf === -1) return crlf + 4;
  return Math.min(crlf + 4, lf + 2);
}

export function parseResponseHead(bytes: Uint8Array): ResponseHead | null {
  const end = headEnd(bytes);
  if (end === -1) return null;
  const lines = Buffer.from(bytes.buffer, bytes.byteOffset, end).toString('latin1').split(/\r?\n/);
  const match = STATUS_LINE.exec((lines[0] ?? '').trim());
  if (!match) return null;
  const headers: Array<[string, string]> = [];
  for (const line of lines.slice(1)) {
    if (line === '') continue;
    // Obsolete line folding: a continuation belongs to the previous header.
    if (/^[ \t]/.test(line) && headers.length > 0) {
      const last = headers[headers.length - 1]!;
      last[1] = `${last[1]} ${line.trim()}`;
      continue;
    }
    const colon = line.indexOf(':');
    if (colon <= 0) continue;
    headers.push([line.slice(0, colon).trim(), line.slice(colon + 1).trim()]);
  }
  return {
    protocol: match[1]!.toUpperCase() as 'HTTP' | 'RTSP',
    version: match[2]!,
    status: Number(match[3]),
    reason: (match[4] ?? '').trim(),
    headers,
    length: end,
  };
}

/** First value of a header, case-insensitive. */
export function header(head: ResponseHead, name: string): string | null {
  const lower = name.toLowerCase();
  for (const [key, value] of head.headers) if (key.toLowerCase() === lower) return value;
  return null;
}

/** All values of a header joined by ", " (how Pragma and Supported are meant to be read). */
export function headerList(head: ResponseHead, name: string): string | null {
  const lower = name.toLowerCase();
  const values = head.headers.filter(([key]) => key.toLowerCase() === lower).map(([, value]) => value);
  return values.length > 0 ? values.join(', ') : null;
}

/** A Content-Length that is a sane non-negative integer, else null (a hostile peer may send anything). */
export function contentLength(head: ResponseHead): number | null {
  const value = header(head, 'content-length');
  if (value === null || !/^\d{1,15}$/.test(value.trim())) return null;
  return Number(value.trim());
}

/** The 3xx statuses that carry a Location a client follows (RFC 9110 sec. 15.4; RFC 2326 sec. 11.3 for RTSP). */
const REDIRECT_STATUSES: ReadonlySet<number> = new Set([301, 302, 303, 305, 307, 308]);
const MAX_LOCATION_CHARS = 2048;

/**
 * Where a redirect points, for the follow layer: the Location resolved against the URL that was asked for.
 * Control characters become spaces (a Location with one inside is then refused by the URL check, not
 * silently repaired), and the text is bounded. Null when this is no redirect or it names no Location.
 */
export function redirectFacts(head: ResponseHead, requestUrl: string): RedirectFacts | null {
  if (!REDIRECT_STATUSES.has(head.status)) return null;
  const raw = header(head, 'location');
  if (raw === null) return null;
  const location = raw
    .replace(/\p{Cc}/gu, ' ')
    .trim()
    .slice(0, MAX_LOCATION_CHARS);
  if (location === '') return null;
  if (/\s/.test(location)) return { status: head.status, location };
  try {
    return { status: head.status, location: new URL(location, requestUrl).toString() };
  } catch {
    return { status: head.status, location };
  }
}

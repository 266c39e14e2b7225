// What a web browser gets from the stream's URL: the page, playlist or redirect that hands Windows Media
// Player its mms:// link. Also the bounded HTTP reading (head, Content-Length, chunked) that the MMSH probe
// shares. Nothing here trusts a length the peer announces: we only ever copy bytes that actually arrived.
import type { Connection } from './connection';
import { classifyReply, describeReplyKind, excerpt, textExcerpt } from './evidence';
import { asxEntries, findMmsLinks } from './page-scan';
import { readPlaylist } from './playlist';
import { hostHeader, runProbe } from './probe-base';
import {
  contentLength,
  header,
  headEnd,
  parseResponseHead,
  redirectFacts,
  type ResponseHead,
} from './response-head';
import type {
  HttpFacts,
  PageKind,
  PlaylistFacts,
  ProbeOptions,
  ProbeResult,
  ProbeTarget,
  ReadEnding,
  RedirectFacts,
  ReplyKind,
} from './types';

export const BROWSER_USER_AGENT =
  'Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/126.0.0.0 Safari/537.36';
export const HTTP_HEAD_LIMIT = 32 * 1024;
export const HTTP_BODY_LIMIT = 256 * 1024;
/** Room for chunk-size lines on top of the body limit, so a chunked page can still fill it. */
const CHUNK_OVERHEAD = 16 * 1024;
/** A chunk-size line longer than this is garbage, not a size. */
const MAX_CHUNK_LINE = 1024;
const EVIDENCE_HEAD_CHARS = 4096;

// ---------------------------------------------------------------------------------------------------------
// Words

/**
 * A peer-supplied string (Server, Content-Type, Location…) made fit for a sentence: control bytes become "·"
 * and it is cut at `max` characters, so a hostile header can neither garble nor flood a report.
 */
export function shown(text: string, max = 120): string {
  let out = '';
  for (const char of text) {
    const code = char.codePointAt(0)!;
    out += code < 0x20 || code === 0x7f || (code >= 0x80 && code < 0xa0) ? '·' : char;
    if (out.length >= max) return `${out}…`;
  }
  return out;
}

// ---------------------------------------------------------------------------------------------------------
// Request building

/** A request target that cannot break the request line: controls, spaces and non-ASCII are percent-encoded. */
export function requestTarget(path: string): string {
  const withSlash = path.startsWith('/') ? path : `/${path}`;
  let out = '';
  for (const byte of Buffer.from(withSlash, 'utf8')) {
    out +=
      byte <= 0x20 || byte >= 0x7f
        ? `%${byte.toString(16).toUpperCase().padStart(2, '0')}`
        : String.fromCharCode(byte);
  }
  return out;
}

/** A header value without line breaks or other controls (the host comes from user input). */
export function headerSafe(value: string): string {
  let out = '';
  for (const char of value) {
    const code = char.charCodeAt(0);
    if (code >= 0x20 && code !== 0x7f) out += char;
  }
  return out;
}

export function buildHttpGet(host: string, port: number, path: string, tls: boolean): string {
  return [
    `GET ${requestTarget(path)} HTTP/1.1`,
    `Host: ${hostHeader(headerSafe(host), port, tls ? 443 : 80)}`,
    `User-Agent: ${BROWSER_USER_AGENT}`,
    'Accept: text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8',
    'Accept-Language: en-US,en;q=0.9',
    // We do not decompress: ask for the plain bytes.
    'Accept-Encoding: identity',
    'Connection: close',
    '',
    '',
  ].join('\r\n');
}

// ---------------------------------------------------------------------------------------------------------
// Bounded reading of one reply

export interface DechunkResult {
  body: Buffer;
  /** The terminating zero-size chunk arrived. */
  complete: boolean;
  /** A size line was not a hex number (or never ended): decoding stopped there. */
  malformed: boolean;
}

/**
 * Walks `Transfer-Encoding: chunked` framing and remembers where it stopped, so that a body arriving in many
 * small pieces is scanned once in total rather than once per piece (a peer sending one-byte chunks must not
 * cost quadratic time). `advance` is called with the whole raw body received so far, which only ever grows.
 * Sizes are only used to step over bytes already present, never to allocate, so a hostile size costs nothing.
 */
export class ChunkScanner {
  /** Next unread byte of the raw body. */
  private position = 0;
  /** Data bytes still to come in the current chunk. */
  private remaining = 0;
  /** The CRLF that ends a chunk's data is next. */
  private expectLineEnd = false;
  decoded = 0;
  /** The terminating zero-size chunk arrived. */
  complete = false;
  /** A size line was not a hex number (or never ended), or data was not followed by a line end. */
  malformed = false;

  /** Reads on as far as `raw` goes or until `limit` decoded bytes; data pieces go to `collect` if given. */
  advance(raw: Buffer, limit: number, collect?: Buffer[]): void {
    while (!this.complete && !this.malformed && this.decoded < limit) {
      if (this.remaining > 0) {
        const take = Math.min(this.remaining, raw.length - this.position, limit - this.decoded);
        if (take <= 0) return;
        collect?.push(raw.subarray(this.position, this.position + take));
        this.position += take;
        this.remaining -= take;
        this.decoded += take;
        if (this.remaining === 0) this.expectLineEnd = true;
        continue;
      }
      if (this.expectLineEnd) {
        // CRLF after the data; tolerate a bare LF, stop on anything else.
        const first = raw[this.position];
        if (first === undefined) return;
        if (first === 0x0d) {
          const second = raw[this.position + 1];
          if (second === undefined) return;
          if (second !== 0x0a) return void (this.malformed = true);
          this.position += 2;
        } else if (first === 0x0a) {
          this.position += 1;
        } else {
          return void (this.malformed = true);
        }
        this.expectLineEnd = false;
        continue;
      }
      const lineEnd = raw.indexOf(0x0a, this.position);
      if (lineEnd === -1) {
        if (raw.length - this.position > MAX_CHUNK_LINE) this.malformed = true;
        return;
      }
      if (lineEnd - this.position > MAX_CHUNK_LINE) return void (this.malformed = true);
      const sizeText = raw
        .toString('latin1', this.position, lineEnd)
        .replace(/\r$/, '')
        .split(';')[0]!
        .trim();
      if (!/^[0-9a-fA-F]{1,8}$/.test(sizeText)) return void (this.malformed = true);
      this.position = lineEnd + 1;
      this.remaining = parseInt(sizeText, 16);
      if (this.remaining === 0) this.complete = true;
    }
  }
}

/** Undoes `Transfer-Encoding: chunked` over whatever part of the body arrived, up to `limit` decoded bytes. */
export function dechunk(raw: Uint8Array, limit = HTTP_BODY_LIMIT): DechunkResult {
  const parts: Buffer[] = [];
  const scanner = new ChunkScanner();
  scanner.advance(Buffer.from(raw.buffer, raw.byteOffset, raw.length), limit, parts);
  return { body: Buffer.concat(parts), complete: scanner.complete, malformed: scanner.malformed };
}

export interface BodyProgress {
  /** The body as far as it goes (de-chunked), at most the limit. */
  body: Buffer;
  /** The body ended by its own framing (Content-Length reached, last chunk, or no body at all). */
  ended: boolean;
  /** We stopped at the limit with more to come. */
  truncated: boolean;
  /** Chunked framing broke. */
  malformed: boolean;
}

/** How much of the body is there, by the rules of the head (RFC 9112 sec. 6.3, simplified). */
export function bodyProgress(head: ResponseHead, raw: Uint8Array, limit: number): BodyProgress {
  const bytes = Buffer.from(raw.buffer, raw.byteOffset, raw.length);
  if ((head.status >= 100 && head.status < 200) || head.status === 204 || head.status === 304) {
    return { body: Buffer.alloc(0), ended: true, truncated: false, malformed: false };
  }
  if (/\bchunked\b/i.test(header(head, 'transfer-encoding') ?? '')) {
    const decoded = dechunk(bytes, limit);
    return {
      body: decoded.body,
      ended: decoded.complete,
      truncated: !decoded.complete && !decoded.malformed && decoded.body.length >= limit,
      malformed: decoded.malformed,
    };
  }
  const announced = contentLength(head);
  if (announced !== null) {
    const wanted = Math.min(announced, limit);
    return {
      body: bytes.subarray(0, wanted),
      ended: announced <= limit && bytes.length >= announced,
      truncated: announced > limit && bytes.length >= limit,
      malformed: false,
    };
  }
  return { body: bytes.subarray(0, limit), ended: false, truncated: bytes.length >= limit, malformed: false };
}

export interface HttpReply {
  /** Everything received (bounded by the connection's byte limit). */
  bytes: Buffer;
  /** The parsed head when a complete HTTP or RTSP head arrived. */
  head: ResponseHead | null;
  /** A head was still incomplete when the head limit was reached. */
  headTooLong: boolean;
  /** The body as far as read, de-chunked; empty without a head. */
  body: Buffer;
  bodyTruncated: boolean;
  ending: ReadEnding;
  replyKind: ReplyKind;
}

export interface ReadLimits {
  headLimit: number;
  bodyLimit: number;
  /** How to report stopping at the body limit: by design (the MMSH peek) or because the peer sent too much. */
  bodyLimitEnding: 'complete' | 'byte-limit';
}

/** Reads one reply: the head (bounded), then the body until it ends, reaches the limit, or the peer stops. */
export async function readHttpReply(connection: Connection, limits: ReadLimits): Promise<HttpReply> {
  // The predicate runs on every arrival; it keeps its place (head search, chunk scan) so the total work
  // stays linear in the bytes received however finely a peer slices them.
  let head: ResponseHead | null | undefined;
  let searchedUpTo = 0;
  let chunks: ChunkScanner | null = null;
  const read = await connection.readUntil((buffer) => {
    if (head === undefined) {
      // A blank line inside binary noise is not the end of a head: only a status line makes one.
      if (!startsLikeStatusLine(buffer)) return buffer.length >= limits.headLimit;
      const end = findHeadEnd(buffer, searchedUpTo);
      searchedUpTo = Math.max(0, buffer.length - 3);
      if (end === -1 || end > limits.headLimit) return buffer.length >= limits.headLimit;
      head = parseResponseHead(buffer);
      if (head && /\bchunked\b/i.test(header(head, 'transfer-encoding') ?? '')) chunks = new ChunkScanner();
    }
    if (!head || head.protocol !== 'HTTP') return true;
    const raw = buffer.subarray(head.length);
    if (chunks) {
      chunks.advance(raw, limits.bodyLimit);
      return chunks.complete || chunks.malformed || chunks.decoded >= limits.bodyLimit;
    }
    const progress = bodyProgress(head, raw, limits.bodyLimit);
    return progress.ended || progress.truncated || progress.malformed;
  });
  const bytes = read.bytes;
  const end = headEnd(bytes);
  const headComplete = startsLikeStatusLine(bytes) && end !== -1 && end <= limits.headLimit;
  const reply = headComplete ? parseResponseHead(bytes) : null;
  const headTooLong = !headComplete && bytes.length >= limits.headLimit;
  let body: Buffer = Buffer.alloc(0);
  let bodyTruncated = false;
  let ending: ReadEnding = read.ending;
  if (headTooLong) ending = 'byte-limit';
  if (reply && reply.protocol === 'HTTP') {
    const progress = bodyProgress(reply, bytes.subarray(reply.length), limits.bodyLimit);
    body = progress.body;
    bodyTruncated = progress.truncated;
    if (progress.truncated) ending = limits.bodyLimitEnding;
    else if (progress.ended || progress.malformed) ending = 'complete';
  }
  return { bytes, head: reply, headTooLong, body, bodyTruncated, ending, replyKind: classifyReply(bytes) };
}

/** `headEnd` from a position on: the blank line cannot start before bytes already searched (minus 3). */
function findHeadEnd(bytes: Buffer, from: number): number {
  const crlf = bytes.indexOf('\r\n\r\n', from);
  const lf = bytes.indexOf('\n\n', from);
  if (crlf === -1 && lf === -1) return -1;
  if (crlf === -1) return lf + 2;
  if (lf === -1) return crlf + 4;
  return Math.min(crlf + 4, lf + 2);
}

/** The bytes so far are (the start of) `HTTP/` or `RTSP/`, case-insensitive. */
function startsLikeStatusLine(bytes: Buffer): boolean {
  const start = bytes.toString('latin1', 0, Math.min(bytes.length, 5)).toUpperCase();
  return 'HTTP/'.startsWith(start) || 'RTSP/'.startsWith(start);
}

/** Head as text plus the first body bytes as a hex dump or text, each bounded. */
export function replyEvidence(reply: HttpReply, bodyBytes = 512): string {
  if (!reply.head) return excerpt(reply.bytes, 2048);
  const headText = textExcerpt(reply.bytes.subarray(0, reply.head.length), EVIDENCE_HEAD_CHARS);
  const body = reply.bytes.subarray(reply.head.length, reply.head.length + bodyBytes);
  return body.length > 0 ? `${headText}${excerpt(body, bodyBytes)}` : headText;
}

/**
 * Plain words for a reply that is not a usable HTTP response (the same for every HTTP-based probe):
 * silence, a close, another protocol, or a head that never ended.
 */
export function describeNonHttpReply(
  reply: HttpReply,
  port: number,
  timeoutMs: number,
  headLimit = HTTP_HEAD_LIMIT,
): string {
  if (reply.ending === 'cancelled') return 'cancelled before the server answered';
  if (reply.head && reply.head.protocol === 'RTSP') {
    return `an RTSP server answered on port ${port} ("RTSP/${reply.head.version} ${reply.head.status} ${shown(reply.head.reason, 60)}"), not a web server`;
  }
  if (reply.headTooLong && reply.replyKind === 'http') {
    return `the reply started like HTTP but its header section did not end within ${Math.round(headLimit / 1024)} KiB: not a usable web or streaming server`;
  }
  switch (reply.replyKind) {
    case 'nothing':
      if (reply.ending === 'timeout') {
        return `port ${port} accepted the connection but sent nothing back within ${timeoutMs} ms: whatever listens there waits for another protocol`;
      }
      if (reply.ending === 'reset')
        return `port ${port} accepted the connection, then reset it without answering`;
      return `port ${port} accepted the connection, then closed it without answering: the service there does not speak HTTP`;
    case 'http':
      if (reply.ending === 'timeout')
        return 'the reply started like HTTP but its header section was not complete in time';
      return 'the reply started like HTTP but the connection ended before its header section was complete';
    case 'tls':
      return `port ${port} speaks TLS (an encrypted service such as HTTPS), not plain HTTP`;
    case 'mms':
      return `port ${port} answered with MMS (the Windows Media protocol of port 1755), not HTTP`;
    case 'rtsp':
      return `an RTSP server answered on port ${port}, not a web server`;
    case 'text': {
      const firstLine =
        reply.bytes.toString('latin1', 0, Math.min(reply.bytes.length, 120)).split(/\r?\n/)[0] ?? '';
      return `port ${port} answered with text that is not HTTP ("${firstLine.replace(/[^\x20-\x7e]/g, '·')}")`;
    }
    case 'binary':
      return `port ${port} answered with ${describeReplyKind('binary')}, not HTTP`;
  }
}

// ---------------------------------------------------------------------------------------------------------
// What kind of page came back

const ASF_HEADER_GUID = Buffer.from('3026b2758e66cf11a6d900aa0062ce6c', 'hex');

/** Text of a body: BOM first, then the Content-Type charset, else UTF-8 (URLs are ASCII either way). */
export function decodeBodyText(body: Uint8Array, contentType: string | null): string {
  const bytes = Buffer.from(body.buffer, body.byteOffset, body.length);
  let label = 'utf-8';
  let start = 0;
  if (bytes[0] === 0xff && bytes[1] === 0xfe) [label, start] = ['utf-16le', 2];
  else if (bytes[0] === 0xfe && bytes[1] === 0xff) [label, start] = ['utf-16be', 2];
  else if (bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf) [label, start] = ['utf-8', 3];
  else {
    const charset = /charset\s*=\s*"?([A-Za-z0-9._:-]+)/i.exec(contentType ?? '')?.[1];
    if (charset) label = charset;
  }
  try {
    return new TextDecoder(label).decode(bytes.subarray(start));
  } catch {
    return new TextDecoder('utf-8').decode(bytes.subarray(start));
  }
}

function mediaType(contentType: string | null): string {
  return (contentType ?? '').split(';')[0]!.trim().toLowerCase();
}

/** What a body is, from its first bytes first (servers mislabel) and its Content-Type second. */
export function classifyPage(contentType: string | null, body: Uint8Array, path = ''): PageKind {
  if (body.length === 0) return 'empty';
  const bytes = Buffer.from(body.buffer, body.byteOffset, body.length);
  const type = mediaType(contentType);
  if (
    bytes.subarray(0, 16).equals(ASF_HEADER_GUID) ||
    isWmspHeaderChunk(bytes) ||
    looksLikeMediaFile(bytes)
  ) {
    return 'media';
  }
  const text = decodeBodyText(bytes.subarray(0, 4096), contentType)
    .replace(/^\uFEFF/, '')
    .trimStart();
  const lower = text.toLowerCase();
  if (lower.startsWith('<asx') || lower.startsWith('[reference]')) return 'asx';
  if (text.startsWith('#EXTM3U')) return 'hls';
  if (/^(?:<\?xml[^>]*\?>\s*)?(?:<!--[\s\S]*?-->\s*)*<mpd[\s>]/i.test(text)) return 'dash';
  if (
    type === 'text/html' ||
    type === 'application/xhtml+xml' ||
    /^(?:<!doctype html|<html[\s>]|<head[\s>])/i.test(text)
  ) {
    return 'html';
  }
  // An .asx URL or an ASX content type with XML inside but a leading comment or declaration.
  if (
    (/\.(asx|wax|wvx)$/i.test(path.split('?')[0] ?? '') || /x-ms-(asf|wax|wvx)/.test(type)) &&
    /<asx[\s>]/i.test(text)
  ) {
    return 'asx';
  }
  if (
    /^(audio|video)\//.test(type) ||
    type === 'application/vnd.ms.wms-hdr.asfv1' ||
    type === 'application/x-mms-framed'
  ) {
    return 'media';
  }
  return 'other';
}

/**
 * A `$H` (or `$M`) chunk of Windows Media HTTP streaming (docs/protocols.md sec. 3.2): some servers, VLC's among
 * them, stream it to any client, web browsers included.
 */
function isWmspHeaderChunk(bytes: Buffer): boolean {
  if (bytes.length < 12 || (bytes[0]! & 0x7f) !== 0x24) return false;
  if (bytes[1] === 0x4d) return bytes.readUInt16LE(2) >= 8;
  return (
    bytes[1] === 0x48 && bytes.length >= 16 && bytes.subarray(12, 16).equals(ASF_HEADER_GUID.subarray(0, 4))
  );
}

/** Magic numbers of the media containers a stream URL might serve directly. */
function looksLikeMediaFile(bytes: Buffer): boolean {
  const ascii = bytes.toString('latin1', 0, 12);
  return (
    ascii.startsWith('ID3') ||
    ascii.startsWith('OggS') ||
    ascii.startsWith('fLaC') ||
    ascii.startsWith('FLV') ||
    ascii.startsWith('RIFF') ||
    ascii.slice(4, 8) === 'ftyp' ||
    (bytes.length >= 4 && bytes.readUInt32BE(0) === 0x1a45dfa3) // Matroska / WebM
  );
}

function resolveLocation(location: string | null, base: string): string | null {
  if (location === null || location.trim() === '') return null;
  try {
    return new URL(location.trim(), base).toString();
  } catch {
    return location.trim().slice(0, 2048);
  }
}

function statusLabel(head: ResponseHead): string {
  return head.status >= 200 && head.status < 300
    ? String(head.status)
    : `${head.status} ${shown(head.reason, 60)}`.trim();
}

function plural(n: number, word: string): string {
  return `${n} ${word}${n === 1 ? '' : 's'}`;
}

/** Playlists of lines that the page kinds above do not name (ASX and HTML have their own sentences). */
const LINE_PLAYLIST_WORDS: Partial<Record<PlaylistFacts['format'], string>> = {
  m3u: 'an M3U playlist',
  pls: 'a PLS playlist',
};

/** No NUL byte near the start (UTF-16 has a BOM, handled by decodeBodyText): text, not media data. */
function isText(body: Buffer): boolean {
  if (body[0] === 0xff && body[1] === 0xfe) return true;
  if (body[0] === 0xfe && body[1] === 0xff) return true;
  return !body.subarray(0, 512).includes(0);
}

export interface PageSummary {
  facts: HttpFacts;
  detail: string;
  redirect: RedirectFacts | null;
  /** The stream entries when a 2xx reply is a playlist or a page, else null. */
  playlist: PlaylistFacts | null;
}

/** Pure: HttpFacts and the one-sentence detail for a reply whose head is HTTP. */
export function summarizePage(
  head: ResponseHead,
  body: Buffer,
  truncated: boolean,
  requestUrl: string,
): PageSummary {
  const contentType = header(head, 'content-type');
  const path = (() => {
    try {
      return new URL(requestUrl).pathname;
    } catch {
      return '';
    }
  })();
  const kind = classifyPage(contentType, body, path);
  const text = kind === 'media' || kind === 'empty' ? '' : decodeBodyText(body, contentType);
  const mmsLinks = text === '' ? [] : findMmsLinks(text);
  const redirectUrl =
    head.status >= 300 && head.status < 400 ? resolveLocation(header(head, 'location'), requestUrl) : null;
  const facts: HttpFacts = { contentType, kind, mmsLinks, redirectUrl, contentLength: contentLength(head) };
  // Radio stations label M3U and PLS playlists audio/…, which reads as media above: text is still read.
  const playlistText =
    text !== '' ? text : kind === 'media' && isText(body) ? decodeBodyText(body, contentType) : '';
  const playlist =
    head.status >= 200 && head.status < 300 && playlistText !== ''
      ? readPlaylist(playlistText, contentType, requestUrl)
      : null;
  const label = `${contentType === null ? 'no Content-Type' : shown(contentType, 80)}, ${statusLabel(head)}`;
  const readNote = truncated ? ` (only the first ${HTTP_BODY_LIMIT / 1024} KiB read)` : '';
  let detail: string;
  if (redirectUrl !== null) {
    detail = `a redirect (${head.status}) to ${shown(redirectUrl, 300)}`;
  } else {
    switch (kind) {
      case 'html':
        detail =
          mmsLinks.length > 0
            ? `an HTML page (${label}) with ${plural(mmsLinks.length, 'hard-coded mms:// link')}`
            : `an HTML page (${label}) with no mms:// links`;
        break;
      case 'asx': {
        const targets = asxEntries(text).flatMap((entry) => entry.hrefs);
        detail =
          targets.length === 0
            ? `an ASX playlist (${label}) with no entries`
            : `an ASX playlist (${label}) pointing at ${shown(targets[0]!, 300)}${targets.length > 1 ? ` and ${plural(targets.length - 1, 'more URL')}` : ''}`;
        break;
      }
      case 'hls':
        detail = `an HLS playlist (${label}): a format for current players, not Windows Media Player`;
        break;
      case 'dash':
        detail = `a DASH manifest (${label}): a format for current players, not Windows Media Player`;
        break;
      case 'media':
        detail = body.subarray(0, 16).equals(ASF_HEADER_GUID)
          ? `a Windows Media (ASF) file served as a plain download (${label})`
          : isWmspHeaderChunk(body)
            ? `a Windows Media HTTP stream ($H/$M-framed ASF), sent even to a web browser (${label})`
            : `media data (${label})`;
        break;
      case 'empty':
        detail = `an empty reply (${label})`;
        break;
      case 'other':
        detail =
          mmsLinks.length > 0
            ? `a reply (${label}) with ${plural(mmsLinks.length, 'mms:// link')} in it`
            : `a reply of another kind (${label})`;
        break;
    }
  }
  if (playlist && LINE_PLAYLIST_WORDS[playlist.format] && redirectUrl === null) {
    const entries = playlist.entries;
    detail =
      entries.length === 0
        ? `${LINE_PLAYLIST_WORDS[playlist.format]} (${label}) with no stream entries`
        : `${LINE_PLAYLIST_WORDS[playlist.format]} (${label}) pointing at ${shown(entries[0]!, 300)}${entries.length > 1 ? ` and ${plural(entries.length - 1, 'more URL')}` : ''}`;
  }
  return {
    facts,
    detail: `${detail}${readNote}`,
    redirect: redirectFacts(head, requestUrl),
    playlist,
  };
}

// ---------------------------------------------------------------------------------------------------------
// The probe

export function probeHttp(target: ProbeTarget, options: ProbeOptions): Promise<ProbeResult> {
  const tls = target.tls === true;
  return runProbe(
    'http',
    target,
    { ...options, maxBytes: HTTP_HEAD_LIMIT + HTTP_BODY_LIMIT + CHUNK_OVERHEAD },
    async ({ connection }) => {
      const request = buildHttpGet(target.host, target.port, target.path, tls);
      connection.write(request);
      const reply = await readHttpReply(connection, {
        headLimit: HTTP_HEAD_LIMIT,
        bodyLimit: HTTP_BODY_LIMIT,
        bodyLimitEnding: 'byte-limit',
      });
      const evidence = { sent: request, received: replyEvidence(reply) };
      const head = reply.head;
      if (!head || head.protocol !== 'HTTP') {
        return {
          speaks: false,
          server: head ? header(head, 'server') : null,
          status: null,
          detail: describeNonHttpReply(reply, target.port, options.timeoutMs),
          replyKind: reply.replyKind,
          ending: reply.ending,
          evidence,
        };
      }
      const base = `${tls ? 'https' : 'http'}://${hostHeader(headerSafe(target.host), target.port, tls ? 443 : 80)}${requestTarget(target.path)}`;
      const summary = summarizePage(head, reply.body, reply.bodyTruncated, base);
      const unfinished =
        reply.ending === 'timeout' || reply.ending === 'reset'
          ? ' (the body had not finished when reading stopped)'
          : '';
      return {
        speaks: true,
        server: header(head, 'server'),
        status: head.status,
        detail: `${summary.detail}${unfinished}`,
        replyKind: reply.replyKind,
        ending: reply.ending,
        evidence,
        http: summary.facts,
        ...(summary.redirect ? { redirect: summary.redirect } : {}),
        ...(summary.playlist ? { playlist: summary.playlist } : {}),
      };
    },
  );
}

// What a playlist or a web page hands a player: the stream addresses in an ASX/WVX/WAX playlist, a
// `[Reference]` file, an M3U/M3U8 or PLS playlist, or an HTML page that embeds a player. Pure: text in,
// at most MAX_PLAYLIST_ENTRIES validated stream addresses out, never an exception. The caller reads the
// body bounded in bytes (the HTTP probe stops at its body limit); this module bounds the text again.
//
// Every entry goes through the same URL parser as the user's own input, so only streaming schemes survive:
// `file:`, `javascript:`, `data:` and anything else a page may carry are counted as rejected, never followed.
import { Parser } from 'htmlparser2';
import { parseStreamUrl } from '../input/stream-url';
import type { PlaylistFacts, PlaylistFormat } from './types';

export type { PlaylistFacts, PlaylistFormat } from './types';

/** Most entries followed from one playlist or page; a longer list is a catalogue, not one stream. */
export const MAX_PLAYLIST_ENTRIES = 10;
/** Most characters of a playlist read; the HTTP probe's body limit already bounds the bytes. */
export const MAX_PLAYLIST_CHARS = 256 * 1024;
/** Most candidates looked at (valid or not), so a page of a million links costs little. */
const MAX_CANDIDATES = 500;
const MAX_ENTRY_CHARS = 2048;

// ---------------------------------------------------------------------------------------------------------
// Which format

const CONTENT_TYPES: ReadonlyArray<readonly [RegExp, PlaylistFormat]> = [
  [/^(video|audio)\/x-ms-(asx|wvx|wax)$/, 'asx'],
  [/^(audio|application)\/(x-)?mpegurl$|^application\/vnd\.apple\.mpegurl$/, 'm3u'],
  [/^audio\/(x-)?scpls$/, 'pls'],
  [/^(text\/html|application\/xhtml\+xml)$/, 'html'],
];

const EXTENSIONS: Readonly<Record<string, PlaylistFormat>> = {
  asx: 'asx',
  wvx: 'asx',
  wax: 'asx',
  m3u: 'm3u',
  m3u8: 'm3u',
  pls: 'pls',
  htm: 'html',
  html: 'html',
};

/** The body's own first bytes decide first (servers mislabel), the Content-Type and file extension next. */
export function playlistFormat(text: string, contentType: string | null, path = ''): PlaylistFormat | null {
  const start = stripPrologue(text.slice(0, 4096));
  const lower = start.toLowerCase();
  if (/^<asx[\s>]/.test(lower)) return 'asx';
  if (lower.startsWith('[reference]')) return 'reference';
  if (lower.startsWith('[playlist]')) return 'pls';
  if (start.startsWith('#EXTM3U')) return isHls(text) ? null : 'm3u';
  if (/^(?:<!doctype html|<html[\s>]|<head[\s>]|<body[\s>])/i.test(start)) return 'html';
  const type = (contentType ?? '').split(';')[0]!.trim().toLowerCase();
  const extension = /\.([a-z0-9]{2,4})$/i.exec(path.split(/[?#]/)[0] ?? '')?.[1]?.toLowerCase();
  const declared =
    CONTENT_TYPES.find(([pattern]) => pattern.test(type))?.[1] ??
    (extension ? EXTENSIONS[extension] : undefined);
  if (declared === 'asx') return /<asx[\s>]/i.test(text.slice(0, 16 * 1024)) ? 'asx' : null;
  if (declared === 'm3u') return isHls(text) ? null : 'm3u';
  return declared ?? null;
}

/** BOM, XML declaration, comments and blank space before the first real token. */
function stripPrologue(text: string): string {
  return text
    .replace(/^\uFEFF/, '')
    .replace(/^\s*(?:<\?xml[^>]*\?>\s*)?(?:<!--[\s\S]*?-->\s*)*/i, '')
    .trimStart();
}

/** An HLS playlist lists segments or variants of one stream, not streams a player would be handed. */
function isHls(text: string): boolean {
  return /^#EXT-X-(?:TARGETDURATION|STREAM-INF|MEDIA-SEQUENCE|PLAYLIST-TYPE|KEY|MAP)\b/m.test(
    text.slice(0, 64 * 1024),
  );
}

// ---------------------------------------------------------------------------------------------------------
// Candidates per format

/** A `<param name>` that carries the player's source in the Windows Media Player / ActiveX object. */
const SOURCE_PARAMS: ReadonlySet<string> = new Set(['url', 'filename', 'src']);
/** Links whose target a browser would hand to a player rather than show. */
const PLAYER_LINK = /\.(asx|wvx|wax|m3u8?|pls|asf|wmv|wma)$/i;
const STREAM_LINK = /^\s*(mms[tuh]?|rtsp[tu]?):/i;

/** ASX is XML by name but case-insensitive in practice ([ASX] "Windows Media Metafile Elements"); the HTML
 * mode lower-cases tag and attribute names, so `<REF HREF>` and `<ref href>` read the same. */
function asxCandidates(text: string): string[] {
  const found: string[] = [];
  const parser = new Parser(
    {
      onopentag(name, attributes) {
        if (found.length >= MAX_CANDIDATES) return;
        if ((name === 'ref' || name === 'entryref') && attributes.href !== undefined)
          found.push(attributes.href);
      },
    },
    { recognizeSelfClosing: true, decodeEntities: true },
  );
  parser.end(text);
  return found;
}

function htmlCandidates(text: string): string[] {
  const found: string[] = [];
  const add = (value: string | undefined): void => {
    if (found.length < MAX_CANDIDATES && value !== undefined && value.trim() !== '') found.push(value);
  };
  const parser = new Parser(
    {
      onopentag(name, attributes) {
        if (name === 'param' && SOURCE_PARAMS.has((attributes.name ?? '').trim().toLowerCase()))
          add(attributes.value);
        else if (name === 'embed') add(attributes.src);
        else if (name === 'object') add(attributes.data);
        else if (name === 'a') {
          const href = attributes.href ?? '';
          if (STREAM_LINK.test(href) || PLAYER_LINK.test(href.split(/[?#]/)[0]!.trim())) add(href);
        }
      },
    },
    { decodeEntities: true },
  );
  parser.end(text);
  return found;
}

function lineCandidates(text: string, pattern: RegExp): string[] {
  const found: string[] = [];
  for (const line of text.split(/\r?\n|\r/)) {
    const match = pattern.exec(line);
    if (match?.[1]) found.push(match[1]);
    if (found.length >= MAX_CANDIDATES) break;
  }
  return found;
}

const CANDIDATES: Readonly<Record<PlaylistFormat, (text: string) => string[]>> = {
  asx: asxCandidates,
  html: htmlCandidates,
  // `[Reference]` files are what Windows Media servers hand to web browsers: `Ref1=http://host/live?MSWMExt=.asf`.
  reference: (text) => lineCandidates(text, /^\s*Ref\d+\s*=\s*(\S.*?)\s*$/i),
  pls: (text) => lineCandidates(text, /^\s*File\d+\s*=\s*(\S.*?)\s*$/i),
  // Every line that is neither blank nor a comment/directive is a URL or a path.
  m3u: (text) => lineCandidates(text, /^\s*([^#\s].*?)\s*$/),
};

// ---------------------------------------------------------------------------------------------------------
// Entries

/**
 * Reads a playlist or page fetched from `baseUrl` (an http:// or https:// URL). Null when the text is none of
 * the formats; otherwise the stream entries, relative ones resolved against `baseUrl`, each validated as a
 * stream address, unique, at most MAX_PLAYLIST_ENTRIES.
 */
export function readPlaylist(
  text: string,
  contentType: string | null,
  baseUrl: string,
): PlaylistFacts | null {
  if (typeof text !== 'string' || text.length === 0) return null;
  const bounded = text.slice(0, MAX_PLAYLIST_CHARS);
  let path = '';
  try {
    path = new URL(baseUrl).pathname;
  } catch {
    // No usable base: relative entries will be rejected below.
  }
  const format = playlistFormat(bounded, contentType, path);
  if (format === null) return null;
  const entries: string[] = [];
  let rejected = 0;
  let truncated = false;
  for (const candidate of CANDIDATES[format](bounded).slice(0, MAX_CANDIDATES)) {
    const url = streamEntry(candidate, baseUrl);
    if (url === null) {
      rejected++;
      continue;
    }
    if (entries.includes(url)) continue;
    if (entries.length >= MAX_PLAYLIST_ENTRIES) {
      truncated = true;
      break;
    }
    entries.push(url);
  }
  return { format, entries, rejected, truncated };
}

/**
 * One entry as a stream address, or null. Relative references resolve against the playlist's own URL, as a
 * player does; the result must then pass the user-input parser (streaming schemes only, a host, no controls).
 */
export function streamEntry(candidate: string, baseUrl: string): string | null {
  const trimmed = candidate.trim();
  if (trimmed === '' || trimmed.length > MAX_ENTRY_CHARS) return null;
  // A control character can only be debris or an attack; the parser would reject it too, but say so early.
  if (/\p{Cc}/u.test(trimmed)) return null;
  // WHATWG resolution reads "\\server\share" as "//server/share"; in a playlist it is a Windows file path.
  if (trimmed.includes('\\')) return null;
  let absolute: string;
  if (/^[a-z][a-z0-9+.-]*:/i.test(trimmed)) {
    absolute = trimmed;
  } else {
    try {
      const base = new URL(baseUrl);
      if (base.protocol !== 'http:' && base.protocol !== 'https:') return null;
      absolute = new URL(trimmed, base).toString();
    } catch {
      return null;
    }
  }
  // A bare "host/path" means mms:// to the user-input parser; in a playlist it is always a scheme-less
  // relative path, handled above, so only explicit schemes reach the parser here.
  if (!/^[a-z][a-z0-9+.-]*:\/\//i.test(absolute)) return null;
  const parsed = parseStreamUrl(absolute);
  // Credentials in an entry are dropped (the parser's URL leaves them out); they never reach a report.
  return parsed.ok ? parsed.value.url : null;
}

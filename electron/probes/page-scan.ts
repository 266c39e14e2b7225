// What a web page or playlist says about a stream: the mms:// links it hard-codes, the entries of an ASX
// playlist, and the rtsp:// / http:// URLs that reach the same content now that MMS is gone (docs/protocols.md
// sec. 6: WMS 2008 removed MMS; Windows Media Player 11/12 roll over to RTSP and HTTP). Pure and tolerant:
// any text in, a bounded answer out, never an exception.

/** Most links reported for one page; a page listing more is a catalogue, and 50 make the point. */
export const MAX_MMS_LINKS = 50;
/** Longer "URLs" are junk (or an attack on the report); real stream URLs are short. */
const MAX_URL_LENGTH = 2048;
const MAX_ASX_ENTRIES = 200;
const MAX_REFS_PER_ENTRY = 50;

export interface AsxEntry {
  /** `entry` lists alternatives the player tries in order; `entryref` points at another playlist. */
  kind: 'entry' | 'entryref';
  title: string | null;
  /** The hrefs in document order, entities decoded. */
  hrefs: string[];
}

const NAMED_ENTITIES: Record<string, string> = {
  amp: '&',
  lt: '<',
  gt: '>',
  quot: '"',
  apos: "'",
  nbsp: '\u00a0',
};

/** Decodes the HTML entities that occur in URLs and attributes (`&amp;`, `&#38;`, `&#x26;`, `&quot;` …). */
export function decodeHtmlEntities(text: string): string {
  return text.replace(/&(#[xX][0-9a-fA-F]{1,6}|#[0-9]{1,7}|[a-zA-Z]{2,8});/g, (whole, body: string) => {
    if (body.startsWith('#')) {
      const code =
        body[1] === 'x' || body[1] === 'X' ? parseInt(body.slice(2), 16) : parseInt(body.slice(1), 10);
      // Lone surrogates and out-of-range code points would make String.fromCodePoint throw.
      if (!Number.isFinite(code) || code <= 0 || code > 0x10ffff || (code >= 0xd800 && code <= 0xdfff))
        return whole;
      return String.fromCodePoint(code);
    }
    return NAMED_ENTITIES[body.toLowerCase()] ?? whole;
  });
}

// Scheme, then everything up to a character that cannot be part of a URL written in HTML or text.
const MMS_URL = /(?<![A-Za-z0-9+.-])(mms[tu]?):\/\/([^\s"'<>`{}|\\^\u00a0\p{Cc}]+)/giu;

/**
 * The mms://, mmst:// and mmsu:// links in an HTML page, an ASX playlist or plain text: in attributes
 * (`href`, `src`, `<param value>`, `<embed>`), ASX `<ref href>` / `<entryref href>`, scripts and prose.
 * Entities and JavaScript's `\/` escaping are undone first; duplicates are dropped; at most 50.
 */
export function findMmsLinks(text: string): string[] {
  if (typeof text !== 'string' || text.length === 0) return [];
  const decoded = decodeHtmlEntities(text.replace(/\\\//g, '/'));
  const found: string[] = [];
  const seen = new Set<string>();
  for (const match of decoded.matchAll(MMS_URL)) {
    const url = tidyUrl(`${match[1]!.toLowerCase()}://${match[2]!}`);
    if (url === null) continue;
    const key = dedupeKey(url);
    if (seen.has(key)) continue;
    seen.add(key);
    found.push(url);
    if (found.length >= MAX_MMS_LINKS) break;
  }
  return found;
}

/** Drops punctuation that ends a sentence rather than the URL, and rejects URLs without a host. */
function tidyUrl(candidate: string): string | null {
  let url = candidate.slice(0, MAX_URL_LENGTH);
  for (;;) {
    const last = url[url.length - 1];
    if (last !== undefined && '.,;:!?'.includes(last)) url = url.slice(0, -1);
    else if (last === ')' && count(url, '(') < count(url, ')')) url = url.slice(0, -1);
    else if (last === ']' && !url.includes('[')) url = url.slice(0, -1);
    else break;
  }
  const parts = splitUrl(url);
  return parts && parts.host.length > 0 ? url : null;
}

function count(text: string, char: string): number {
  let n = 0;
  for (const c of text) if (c === char) n++;
  return n;
}

/** Scheme and host are case-insensitive; the path is not. */
function dedupeKey(url: string): string {
  const parts = splitUrl(url);
  if (!parts) return url;
  return `${parts.scheme}://${parts.host.toLowerCase()}${parts.port === null ? '' : `:${parts.port}`}${parts.rest}`;
}

interface UrlParts {
  scheme: string;
  host: string;
  port: number | null;
  /** Path, query and fragment as written (may be empty). */
  rest: string;
}

/**
 * Splits `scheme://[user@]host[:port][/rest]` by hand: WHATWG URL only understands hosts and ports for
 * its special schemes, and mms is not one of them.
 */
function splitUrl(url: string): UrlParts | null {
  const match = /^([A-Za-z][A-Za-z0-9+.-]*):\/\/([^/?#]*)(.*)$/s.exec(url);
  if (!match) return null;
  let authority = match[2]!;
  const at = authority.lastIndexOf('@');
  if (at !== -1) authority = authority.slice(at + 1);
  let host: string;
  let portText: string | null = null;
  if (authority.startsWith('[')) {
    const close = authority.indexOf(']');
    if (close === -1) return null;
    host = authority.slice(0, close + 1);
    const after = authority.slice(close + 1);
    if (after.startsWith(':')) portText = after.slice(1);
    else if (after !== '') return null;
  } else {
    const colon = authority.indexOf(':');
    host = colon === -1 ? authority : authority.slice(0, colon);
    if (colon !== -1) portText = authority.slice(colon + 1);
  }
  if (!/^(\[[0-9A-Fa-f:.]+\]|[^\s:[\]]*)$/.test(host)) return null;
  let port: number | null = null;
  if (portText !== null && portText !== '') {
    if (!/^\d{1,5}$/.test(portText) || Number(portText) > 65535) return null;
    port = Number(portText);
  }
  return { scheme: match[1]!.toLowerCase(), host, port, rest: match[3]! };
}

/**
 * The entries of an ASX playlist (`<asx><entry><ref href=…/></entry><entryref href=…/></asx>`; tags and
 * attributes are case-insensitive in ASX), or of the older `[Reference]` file (`Ref1=…`) that Windows Media
 * servers hand to web browsers. A `<ref>` outside any `<entry>` still counts as an entry of its own.
 */
export function asxEntries(text: string): AsxEntry[] {
  if (typeof text !== 'string' || text.length === 0) return [];
  const body = text.replace(/^\uFEFF/, '');
  if (/^\s*\[reference\]/i.test(body)) return referenceFileEntries(body);
  const withoutComments = body.replace(/<!--[\s\S]*?(?:-->|$)/g, ' ');
  const entries: AsxEntry[] = [];
  let current: AsxEntry | null = null;
  let titleStart = -1;
  const push = (entry: AsxEntry): void => {
    if (entries.length < MAX_ASX_ENTRIES) entries.push(entry);
  };
  for (const tag of withoutComments.matchAll(/<\s*(\/?)\s*([A-Za-z]+)([^>]*)>/g)) {
    const closing = tag[1] === '/';
    const name = tag[2]!.toLowerCase();
    const attributes = tag[3] ?? '';
    if (name === 'entry') {
      if (closing) {
        if (current) push(current);
        current = null;
      } else {
        if (current) push(current);
        current = { kind: 'entry', title: null, hrefs: [] };
      }
    } else if (name === 'ref' && !closing) {
      const href = attributeValue(attributes, 'href');
      if (href === null) continue;
      if (current) {
        if (current.hrefs.length < MAX_REFS_PER_ENTRY) current.hrefs.push(href);
      } else {
        push({ kind: 'entry', title: null, hrefs: [href] });
      }
    } else if (name === 'entryref' && !closing) {
      const href = attributeValue(attributes, 'href');
      if (href !== null) push({ kind: 'entryref', title: null, hrefs: [href] });
    } else if (name === 'title') {
      if (!closing) titleStart = (tag.index ?? 0) + tag[0].length;
      else if (titleStart !== -1 && current && current.title === null) {
        const title = decodeHtmlEntities(withoutComments.slice(titleStart, tag.index ?? titleStart)).trim();
        current.title = title === '' ? null : title.slice(0, 200);
        titleStart = -1;
      }
    }
  }
  if (current) push(current);
  return entries;
}

function referenceFileEntries(text: string): AsxEntry[] {
  const hrefs: string[] = [];
  for (const line of text.split(/\r?\n/)) {
    const match = /^\s*Ref\d+\s*=\s*(\S.*?)\s*$/i.exec(line);
    if (match && hrefs.length < MAX_REFS_PER_ENTRY) hrefs.push(match[1]!.slice(0, MAX_URL_LENGTH));
  }
  return hrefs.length > 0 ? [{ kind: 'entry', title: null, hrefs }] : [];
}

function attributeValue(attributes: string, name: string): string | null {
  const pattern = new RegExp(`(?:^|\\s)${name}\\s*=\\s*(?:"([^"]*)"|'([^']*)'|([^\\s"'>]+))`, 'i');
  const match = pattern.exec(attributes);
  if (!match) return null;
  let unquoted = match[3];
  // `<ref href=x/>`: the slash closes the tag, it is not part of the value.
  if (unquoted !== undefined && match.index + match[0].length === attributes.length)
    unquoted = unquoted.replace(/\/$/, '');
  const value = decodeHtmlEntities((match[1] ?? match[2] ?? unquoted ?? '').trim());
  return value === '' ? null : value.slice(0, MAX_URL_LENGTH);
}

const DEFAULT_PORTS: Record<string, number> = { mms: 1755, mmst: 1755, mmsu: 1755, mmsh: 80 };

/**
 * The rtsp:// and http:// URLs for the same host and path as an mms:// (mmst, mmsu, mmsh) URL: the two
 * protocols Windows Media Player 11/12 and WMS 2008 still share (docs/protocols.md sec. 6). The replacements use
 * their default ports (554, 80), so they carry no port — unless the original named a port other than its
 * scheme's default: then the server was set up on that port and both replacements keep it (a named 1755
 * is MMS's own port and is dropped). Credentials and fragment are dropped. Null for anything else.
 */
export function replacementUrls(mmsUrl: string): { rtsp: string; http: string } | null {
  if (typeof mmsUrl !== 'string') return null;
  const parts = splitUrl(mmsUrl.trim());
  if (!parts || parts.host === '') return null;
  const defaultPort = DEFAULT_PORTS[parts.scheme];
  if (defaultPort === undefined) return null;
  const keepPort = parts.port !== null && parts.port !== defaultPort ? `:${parts.port}` : '';
  const withoutFragment = parts.rest.replace(/#.*$/s, '');
  const pathAndQuery =
    withoutFragment === '' ? '/' : withoutFragment.startsWith('/') ? withoutFragment : `/${withoutFragment}`;
  const authority = `${parts.host}${keepPort}`;
  return { rtsp: `rtsp://${authority}${pathAndQuery}`, http: `http://${authority}${pathAndQuery}` };
}

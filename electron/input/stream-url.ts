// Understanding the stream address the user pasted: which protocol, which server, which port, which path.
//
// Input without a scheme is read as mms://, because the addresses Windows Media Player refuses with
// 0xC00D2EFA / 0xC00D2EE8 are almost always mms:// ones, and a bare "server/live" is usually such an address
// copied without its prefix. Schemes and default ports follow docs/protocols.md section 6.
//
// WHATWG `URL` only applies IDNA and IPv6 rules to "special" schemes (http, https, ...); for mms:// or rtsp:// it
// keeps the host as opaque text. So this module splits the URL itself and hands only the host to `URL`, written
// as an http:// URL, to get the punycode / normalised form.
import { isIPv4, isIPv6 } from 'node:net';
import { domainToUnicode } from 'node:url';

import type { ParseResult, StreamScheme, StreamTarget } from './types';

export const STREAM_SCHEMES: readonly StreamScheme[] = [
  'mms',
  'mmst',
  'mmsu',
  'mmsh',
  'rtsp',
  'rtspt',
  'rtspu',
  'http',
  'https',
];

const DEFAULT_PORTS: Readonly<Record<StreamScheme, number>> = {
  mms: 1755,
  mmst: 1755,
  mmsu: 1755,
  mmsh: 80,
  rtsp: 554,
  rtspt: 554,
  rtspu: 554,
  http: 80,
  https: 443,
};

/** The scheme used when the user typed no scheme at all (see the file comment for why). */
export const DEFAULT_SCHEME: StreamScheme = 'mms';

/** Browsers and Windows both cap URLs at about this length; anything longer is pasted text, not an address. */
export const MAX_URL_LENGTH = 2048;

const EXAMPLE = 'mms://media.example.com/live';
const EXPECTED_SCHEMES = 'expected mms://, rtsp:// or http:// (also mmst, mmsu, mmsh, rtspt, rtspu, https)';
const ENTER_ADDRESS = 'enter the mms://, rtsp:// or http:// address of the stream';

export function defaultPort(scheme: StreamScheme): number {
  return DEFAULT_PORTS[scheme];
}

export function isStreamScheme(text: string): text is StreamScheme {
  return (STREAM_SCHEMES as readonly string[]).includes(text);
}

/** Rebuilds a URL from wire-form parts: brackets around IPv6, no port when it is the scheme's default. */
export function formatStreamUrl(parts: {
  scheme: StreamScheme;
  host: string;
  port: number;
  path: string;
}): string {
  const host = parts.host.includes(':') ? `[${parts.host}]` : parts.host;
  const port = parts.port === defaultPort(parts.scheme) ? '' : `:${parts.port}`;
  const path = parts.path.startsWith('/') ? parts.path : `/${parts.path}`;
  return `${parts.scheme}://${host}${port}${path}`;
}

export function parseStreamUrl(text: string): ParseResult<StreamTarget> {
  if (typeof text !== 'string') return fail(`No stream address given. Enter an address such as ${EXAMPLE}.`);
  const trimmed = unwrapPasted(text);
  if (trimmed.length > MAX_URL_LENGTH) {
    return fail(
      `The text is ${trimmed.length} characters long; a stream address has at most ${MAX_URL_LENGTH}. ` +
        `Paste only the address itself, for example ${EXAMPLE}.`,
    );
  }
  if (trimmed === '') {
    return fail(
      `No stream address given. Enter the address Windows Media Player refused, for example ${EXAMPLE}.`,
    );
  }
  const characterProblem = findBadCharacter(trimmed);
  if (characterProblem) return fail(characterProblem);
  if (looksLikeFilePath(trimmed)) {
    return fail(
      `${shorten(trimmed)} is a file path, not a network stream address. Enter the mms://, rtsp:// or http:// ` +
        'address of the stream (to play a file, open it directly in Windows Media Player).',
    );
  }
  if (trimmed.includes('\\')) {
    return fail(
      `${shorten(trimmed)} contains a backslash; stream addresses use forward slashes, for example ${EXAMPLE}.`,
    );
  }

  const split = splitScheme(trimmed);
  if (!split.ok) return split;
  const { scheme, rest } = split.value;
  return parseAfterScheme(scheme, rest, split.value.typedScheme);
}

/** For the optional "the server should be at this IP" field: IPv4 or IPv6 (brackets allowed), normalised. */
export function parseIpAddress(text: string): ParseResult<string> {
  const example = 'for example 192.0.2.10 or 2001:db8::1';
  if (typeof text !== 'string') return fail(`Enter an IP address, ${example}.`);
  let candidate = unwrapPasted(text);
  if (candidate.length > 100)
    return fail(`That is too long for an IP address; expected one address, ${example}.`);
  if (candidate === '') return fail(`No IP address given; enter one, ${example}, or leave the field empty.`);
  if (candidate.startsWith('[') && candidate.endsWith(']')) candidate = candidate.slice(1, -1);
  if (candidate.includes('%')) {
    return fail(
      `${shorten(candidate)} carries an IPv6 zone (the part after %); enter the address without it, ${example}.`,
    );
  }
  if (isIPv4(candidate)) return { ok: true, value: candidate };
  if (/^[0-9.]+$/.test(candidate)) {
    return fail(
      `${shorten(candidate)} is not a valid IPv4 address; expected four numbers 0-255 without leading zeros, ${example}.`,
    );
  }
  if (isIPv6(candidate)) {
    const normalised = normaliseIpv6(candidate);
    if (normalised) return { ok: true, value: normalised };
  }
  if (/^[a-z0-9.-]+$/i.test(candidate) && /[a-z]/i.test(candidate) && !candidate.includes(':')) {
    return fail(
      `${shorten(candidate)} is a host name, not an IP address; expected a numeric address, ${example}.`,
    );
  }
  return fail(`${shorten(candidate)} is not an IP address; expected IPv4 or IPv6, ${example}.`);
}

interface SchemeSplit {
  scheme: StreamScheme;
  /** What follows "scheme://" (or the whole input when no scheme was typed). */
  rest: string;
  /** The scheme as the user wrote it, or null when it was implied. */
  typedScheme: string | null;
}

function splitScheme(input: string): ParseResult<SchemeSplit> {
  const schemeless: ParseResult<SchemeSplit> = {
    ok: true,
    value: { scheme: DEFAULT_SCHEME, rest: input, typedScheme: null },
  };
  if (input.startsWith('//')) return { ok: true, value: { ...schemeless.value, rest: input.slice(2) } };
  const prefix = /^([a-z][a-z0-9+.-]*):/i.exec(input);
  if (!prefix) return schemeless;
  const name = (prefix[1] ?? '').toLowerCase();
  const afterColon = input.slice(prefix[0].length);
  const shownName = clip(name, 20);
  if (afterColon.startsWith('//')) {
    if (name === 'file')
      return fail(`file:// is a file on this computer, not a network stream; ${ENTER_ADDRESS}.`);
    if (!isStreamScheme(name)) return fail(`${shownName}:// is not a stream address; ${EXPECTED_SCHEMES}.`);
    return { ok: true, value: { scheme: name, rest: afterColon.slice(2), typedScheme: name } };
  }
  // "server:8080/live" is a host and port without a scheme, and "fe80::1" a bare IPv6 literal.
  if (/^\d+(?:[/?#]|$)/.test(afterColon) || isIPv6(input)) return schemeless;
  if (name === 'file')
    return fail(`file: is a file on this computer, not a network stream; ${ENTER_ADDRESS}.`);
  if (isStreamScheme(name)) {
    return fail(
      `The // after ${name}: is missing; expected ${name}://server/path, for example ${name}://media.example.com/live.`,
    );
  }
  return fail(`${shownName}: is not a stream address; ${EXPECTED_SCHEMES}.`);
}

function parseAfterScheme(
  scheme: StreamScheme,
  rest: string,
  typedScheme: string | null,
): ParseResult<StreamTarget> {
  const shownScheme = typedScheme === null ? 'The address' : `${scheme}://`;
  const authorityEnd = rest.search(/[/?#]/);
  const authority = authorityEnd === -1 ? rest : rest.slice(0, authorityEnd);
  const afterAuthority = authorityEnd === -1 ? '' : rest.slice(authorityEnd);

  const at = authority.lastIndexOf('@');
  const hadCredentials = at > 0;
  const hostAndPort = at === -1 ? authority : authority.slice(at + 1);
  if (hostAndPort === '') {
    return fail(
      `${shownScheme} has no server name; expected ${scheme}://server/path, for example ${EXAMPLE}.`,
    );
  }

  const hostPort = splitHostPort(hostAndPort, scheme, typedScheme === null && afterAuthority === '');
  if (!hostPort.ok) return hostPort;
  const { typedHost, bracketed, portText } = hostPort.value;

  const port = parsePort(portText, scheme);
  if (!port.ok) return port;

  const host = bracketed ? parseIpv6Host(typedHost, scheme) : parseHostName(typedHost, scheme);
  if (!host.ok) return host;

  const path = normalisePath(afterAuthority);
  const portNumber = port.value ?? defaultPort(scheme);
  const target: StreamTarget = {
    scheme,
    host: host.value.host,
    displayHost: host.value.displayHost,
    hostKind: host.value.hostKind,
    port: portNumber,
    explicitPort: port.value !== null,
    path,
    url: formatStreamUrl({ scheme, host: host.value.host, port: portNumber, path }),
    hadCredentials,
  };
  return { ok: true, value: target };
}

interface HostPortText {
  typedHost: string;
  bracketed: boolean;
  /** The text after the colon, or null when no port was written. */
  portText: string | null;
}

function splitHostPort(text: string, scheme: StreamScheme, wholeInput: boolean): ParseResult<HostPortText> {
  const bracketExample = `${scheme}://[2001:db8::1]:${defaultPort(scheme)}/path`;
  if (text.startsWith('[')) {
    const close = text.indexOf(']');
    if (close === -1) {
      return fail(`The IPv6 address ${shorten(text)} has no closing "]"; write it as ${bracketExample}.`);
    }
    const after = text.slice(close + 1);
    if (after !== '' && !after.startsWith(':')) {
      return fail(
        `Unexpected ${shorten(after)} after the IPv6 address; expected ":" and a port, as in ${bracketExample}.`,
      );
    }
    return {
      ok: true,
      value: {
        typedHost: text.slice(1, close),
        bracketed: true,
        portText: after === '' ? null : after.slice(1),
      },
    };
  }
  if (text.includes(']')) {
    return fail(`${shorten(text)} has a "]" without a "["; IPv6 addresses are written as ${bracketExample}.`);
  }
  const firstColon = text.indexOf(':');
  if (firstColon === -1) return { ok: true, value: { typedHost: text, bracketed: false, portText: null } };
  if (text.indexOf(':', firstColon + 1) !== -1) {
    // A bare IPv6 literal is only unambiguous when it is the whole input: inside a URL "::1:554" could be either.
    if (wholeInput && isIPv6(text) && !text.includes('%')) {
      return { ok: true, value: { typedHost: text, bracketed: true, portText: null } };
    }
    return fail(
      `${shorten(text)} has more than one ":"; expected server:port, and IPv6 addresses in brackets as in ${bracketExample}.`,
    );
  }
  return {
    ok: true,
    value: { typedHost: text.slice(0, firstColon), bracketed: false, portText: text.slice(firstColon + 1) },
  };
}

/** null = no port written (the empty port in "host:/x" counts as none, as in WHATWG URLs). */
function parsePort(text: string | null, scheme: StreamScheme): ParseResult<number | null> {
  if (text === null || text === '') return { ok: true, value: null };
  const range = `a port is a number from 1 to 65535 (${scheme}:// uses ${defaultPort(scheme)} when none is given)`;
  if (!/^\d+$/.test(text)) return fail(`Port ${shorten(text, 20)} is not a number; ${range}.`);
  const digits = text.replace(/^0+(?=\d)/, '');
  const value = digits.length > 5 ? Number.POSITIVE_INFINITY : Number(digits);
  if (value < 1 || value > 65535) return fail(`Port ${shorten(text, 20)} is out of range; ${range}.`);
  return { ok: true, value };
}

interface ParsedHost {
  host: string;
  displayHost: string;
  hostKind: StreamTarget['hostKind'];
}

function parseIpv6Host(typed: string, scheme: StreamScheme): ParseResult<ParsedHost> {
  const example = `${scheme}://[2001:db8::1]/path`;
  if (typed.includes('%')) {
    return fail(
      `The IPv6 address ${shorten(typed)} carries a zone (the part after %); leave it out, as in ${example}.`,
    );
  }
  const normalised = isIPv6(typed) ? normaliseIpv6(typed) : null;
  if (normalised === null) {
    return fail(`${shorten(`[${typed}]`)} is not a valid IPv6 address; expected something like ${example}.`);
  }
  return { ok: true, value: { host: normalised, displayHost: normalised, hostKind: 'ipv6' } };
}

function parseHostName(typed: string, scheme: StreamScheme): ParseResult<ParsedHost> {
  const dottedNumbers = /^[0-9.]+$/.test(typed) || /^0x[0-9a-f]*$/i.test(typed);
  const ipv4Advice = `expected four numbers 0-255 separated by dots, as in ${scheme}://192.0.2.10/path`;
  const ascii = hostToAscii(typed);
  if (ascii === null) {
    if (dottedNumbers) return fail(`${shorten(typed)} is not a valid IPv4 address; ${ipv4Advice}.`);
    return fail(
      `${shorten(typed)} is not a valid server name; expected a name such as media.example.com or an IP address.`,
    );
  }
  if (isIPv4(ascii)) {
    // WHATWG reads "1234" or "010.0.0.1" as IPv4 in odd ways (0.0.4.210, octal); ask for the plain form instead.
    if (typed.replace(/\.$/, '') !== ascii) {
      return fail(`${shorten(typed)} is not a plain IPv4 address; ${ipv4Advice}, without leading zeros.`);
    }
    return { ok: true, value: { host: ascii, displayHost: ascii, hostKind: 'ipv4' } };
  }
  const nameProblem = checkDnsName(ascii);
  if (nameProblem) return fail(`${shorten(typed)} is not a valid server name: ${nameProblem}.`);
  const unicode = domainToUnicode(ascii);
  return {
    ok: true,
    value: { host: ascii, displayHost: unicode === '' ? ascii : unicode, hostKind: 'name' },
  };
}

/** Punycode / lower-case / IPv4-normalised form of a host, or null when WHATWG rejects it. */
function hostToAscii(host: string): string | null {
  try {
    const hostname = new URL(`http://${host}/`).hostname;
    return hostname === '' ? null : hostname;
  } catch {
    return null;
  }
}

function normaliseIpv6(address: string): string | null {
  const hostname = hostToAscii(`[${address}]`);
  return hostname !== null && hostname.startsWith('[') ? hostname.slice(1, -1) : null;
}

/** DNS limits WHATWG does not enforce (RFC 1035 2.3.4); underscores are allowed because intranets use them. */
function checkDnsName(ascii: string): string | null {
  const name = ascii.endsWith('.') ? ascii.slice(0, -1) : ascii;
  if (name.length > 253) return 'a host name has at most 253 characters';
  for (const label of name.split('.')) {
    if (label === '') return 'it has an empty part between dots';
    if (label.length > 63) return 'each part between dots has at most 63 characters';
    if (!/^[a-z0-9_-]+$/.test(label)) return 'only letters, digits, "-" and "_" are allowed';
  }
  return null;
}

/** Path plus query; the fragment never reaches a server, so it is dropped. Characters unsafe on the wire are %-encoded. */
function normalisePath(afterAuthority: string): string {
  const hash = afterAuthority.indexOf('#');
  const withoutFragment = hash === -1 ? afterAuthority : afterAuthority.slice(0, hash);
  const rooted = withoutFragment.startsWith('/') ? withoutFragment : `/${withoutFragment}`;
  let encoded = '';
  for (const character of rooted) {
    encoded +=
      /^[\x21-\x7e]$/.test(character) && !'"<>`{}|^'.includes(character)
        ? character
        : percentEncode(character);
  }
  return encoded;
}

function percentEncode(character: string): string {
  return Array.from(
    Buffer.from(character, 'utf8'),
    (byte) => `%${byte.toString(16).toUpperCase().padStart(2, '0')}`,
  ).join('');
}

/** Removes whitespace and the quotes / angle brackets / "URL:" prefix that come along with pasted addresses. */
function unwrapPasted(text: string): string {
  const pairs: ReadonlyArray<readonly [string, string]> = [
    ['"', '"'],
    ["'", "'"],
    ['<', '>'],
    ['\u201c', '\u201d'],
    ['\u2018', '\u2019'],
    ['\u00ab', '\u00bb'],
    ['`', '`'],
  ];
  let current = text.trim();
  for (let round = 0; round < 4; round += 1) {
    const pair = pairs.find(
      ([open, close]) => current.length >= 2 && current.startsWith(open) && current.endsWith(close),
    );
    if (!pair) break;
    current = current.slice(1, -1).trim();
  }
  return current.replace(/^URL:(?=[a-z][a-z0-9+.-]*:\/\/)/i, '').trim();
}

function findBadCharacter(text: string): string | null {
  let index = 0;
  for (const character of text) {
    index += 1;
    const codePoint = character.codePointAt(0) ?? 0;
    const at = `at character ${index}`;
    if (/^\p{Cc}$/u.test(character)) {
      return `The address contains a control character (${codePointName(codePoint)} ${at}); retype it instead of pasting it from a document.`;
    }
    if (codePoint >= 0xd800 && codePoint <= 0xdfff) {
      return `The address contains a broken character (${at}); retype it, for example ${EXAMPLE}.`;
    }
    if (/^\s$/u.test(character)) {
      return `The address contains a space (${at}); stream addresses have none. Remove it, or write %20 if it is part of the file name.`;
    }
    // Zero-width joiners belong to some scripts' domain names; other invisible format characters are paste debris.
    if (/^\p{Cf}$/u.test(character) && codePoint !== 0x200c && codePoint !== 0x200d) {
      return `The address contains an invisible formatting character (${codePointName(codePoint)} ${at}); retype it.`;
    }
  }
  return null;
}

function looksLikeFilePath(text: string): boolean {
  return (
    /^[a-z]:([\\/]|$)/i.test(text) ||
    text.startsWith('\\\\') ||
    (text.startsWith('/') && !text.startsWith('//'))
  );
}

function codePointName(codePoint: number): string {
  return `U+${codePoint.toString(16).toUpperCase().padStart(4, '0')}`;
}

/** Shows user input inside a message: quoted, invisible characters escaped, at most ~max characters. */
export function shorten(text: string, max = 60): string {
  let shown = '';
  for (const character of text) {
    const codePoint = character.codePointAt(0) ?? 0;
    const piece =
      /^[\p{Cc}\p{Cf}\p{Z}]$/u.test(character) && character !== ' '
        ? `\\u{${codePoint.toString(16)}}`
        : character;
    if (shown.length + piece.length > max) return `"${shown}…"`;
    shown += piece;
  }
  return `"${shown}"`;
}

function clip(text: string, max: number): string {
  return text.length > max ? `${text.slice(0, max)}…` : text;
}

function fail(message: string): { ok: false; message: string } {
  return { ok: false, message };
}

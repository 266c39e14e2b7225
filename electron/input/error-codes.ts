// The Windows Media errors a user brings to Stream Doctor, and how to recognise them in whatever was pasted:
// a code in hex / signed / unsigned decimal, its NS_E_ name, or the text of the Windows Media Player dialog.
// Codes, names and Windows wording: [MS-ERREF] NS_E table (docs/protocols.md section 0).
import type { KnownErrorCode, ParseResult } from './types';

/** Pasted dialogs and help pages are a few hundred characters; anything far longer is not an error report. */
export const MAX_ERROR_TEXT_LENGTH = 10_000;

const ACCEPTED_FORMS =
  '0xC00D2EFA, C00D2EFA, -1072877830, 3222089466, NS_E_MMS_NOT_SUPPORTED, or the text of the error message';

export const KNOWN_ERROR_CODES: readonly KnownErrorCode[] = [
  entry(
    0xc00d2efa,
    'NS_E_MMS_NOT_SUPPORTED',
    'The MMS protocol is not supported; connect to the Windows Media stream with HTTP or RTSP instead.',
    'The player will not use MMS (the old port-1755 protocol) for this address, and could not reach the stream ' +
      'another way. Current players and servers dropped MMS; the same stream usually works as http:// or rtsp://.',
  ),
  entry(
    0xc00d2ee8,
    'NS_E_INCOMPATIBLE_SERVER',
    'The server is not a compatible streaming media server.',
    'Something answered at the address, but it is not a Windows Media streaming server — typically an ordinary ' +
      'web server, or a streaming server that does not speak the Windows Media dialect of HTTP or RTSP.',
  ),
  entry(
    0xc00d2ee0,
    'NS_E_UNKNOWN_PROTOCOL',
    'The protocol named in the address is not supported.',
    'The address starts with a scheme the player cannot stream from; check the part before "://".',
  ),
  entry(
    0xc00d2eeb,
    'NS_E_ALL_PROTOCOLS_DISABLED',
    'Streaming is impossible because every streaming protocol is switched off.',
    'The player (or a policy on this PC) has all network protocols disabled, so it does not even try the server.',
  ),
  entry(
    0xc00d2ef9,
    'NS_E_FIREWALL',
    'No packets arrive from the server; a firewall or other filtering device may be blocking them.',
    'The connection was set up but the stream data never arrived — usually UDP data dropped by a firewall or NAT. ' +
      'A TCP-only address (rtspt://, or http://) often gets through.',
  ),
  entry(
    0xc00d2efb,
    'NS_E_SERVER_ACCESSDENIED',
    'The Windows Media server refuses access; the user name or password may be wrong.',
    'The server is there and speaks the right protocol, but wants credentials it did not get or did not accept.',
  ),
  entry(
    0xc00d2efc,
    'NS_E_RESOURCE_GONE',
    'The publishing point or file is no longer available on the Windows Media server.',
    'The server answered, but the stream name in the path does not exist there (any more).',
  ),
  entry(
    0xc00d2efe,
    'NS_E_BAD_SYNTAX_IN_SERVER_RESPONSE',
    'The media server sent an answer that could not be understood; an incompatible proxy or server may be in the way.',
    'Something answered in a format the player does not expect — often a proxy, a captive portal or a non-Windows ' +
      'Media server on the stream port.',
  ),
  entry(
    0xc00d2f00,
    'NS_E_RESET_SOCKET_CONNECTION',
    'The Windows Media server reset the network connection.',
    'The connection was cut by the other side (or by something in between) before the stream started.',
  ),
  entry(
    0xc00d0006,
    'NS_E_CANNOTCONNECT',
    'A connection to the server could not be established.',
    'Nothing accepted the connection: wrong name or port, server down, or a firewall in between.',
  ),
  entry(
    0xc00d001a,
    'NS_E_FILE_NOT_FOUND',
    'The specified file cannot be found.',
    'The server or path does not have the file or stream named in the address.',
  ),
  entry(
    0xc00d11bd,
    'NS_E_WMP_MMS_NOT_SUPPORTED',
    'Windows Media Player cannot play the file because the protocol is not supported; try another transport ' +
      'such as "mms:".',
    'A different code from 0xC00D2EFA: the player rejected the scheme in the address and suggests mms:// instead.',
  ),
  entry(
    0xc00d11bb,
    'NS_E_WMP_INVALID_PROTOCOL',
    'Windows Media Player cannot play the file because the protocol is not supported; try another transport ' +
      'such as "http:" or "rtsp:".',
    'The player rejected the scheme in the address; the same stream may open as http:// or rtsp://.',
  ),
  entry(
    0xc00d11b6,
    'NS_E_WMP_NETWORK_FIREWALL',
    'Windows Media Player cannot play the file; a firewall may stop it from using the UDP transport. Try another ' +
      'transport such as "http:".',
    'Stream data over UDP is being blocked on the way; an http:// or rtspt:// (TCP) address usually avoids it.',
  ),
  entry(
    0xc00d2eef,
    'NS_E_SERVER_DNS_TIMEOUT',
    'The media server could not be located; the lookup timed out.',
    'The server name could not be turned into an address in time: a DNS problem, or a name that does not exist.',
  ),
  entry(
    0xc00d2f06,
    'NS_E_CONNECT_TIMEOUT',
    'No connection to the media server could be made in time; the server may be down or a proxy may be needed.',
    'The connection attempt got no answer at all — typically a firewall silently dropping it, or a server that is off.',
  ),
  entry(
    0xc00d1198,
    'NS_E_WMP_SERVER_INACCESSIBLE',
    'Windows Media Player cannot connect to the server; the name may be wrong, the server unavailable, or the proxy ' +
      'settings incorrect.',
    'The player could not reach the server at all; check the name, the port and any proxy setting.',
  ),
  entry(
    0xc00d11b0,
    'NS_E_WMP_SERVER_UNAVAILABLE',
    'Windows Media Player cannot play the file; the server may be unavailable or network or firewall settings may ' +
      'be at fault.',
    'A general "could not get the stream" error; the probes tell whether the server, the port or a firewall is the cause.',
  ),
  entry(
    0xc00d11c0,
    'NS_E_WMP_NETWORK_ERROR',
    'Windows Media Player cannot play the file because of a network error; the server may be busy or offline, or ' +
      'this computer not connected.',
    'A general network failure while opening the stream; the probes narrow down where it happens.',
  ),
];

/**
 * Characteristic wording of each code's Windows message, in normalised form (see normaliseWords). When several
 * match, the longest match wins: the generic "the specified protocol is not supported" (0xC00D2EE0) also occurs
 * inside the longer NS_E_WMP_* texts, which are told apart by the transport they suggest.
 */
const WINDOWS_WORDING: Readonly<Record<string, readonly string[]>> = {
  NS_E_MMS_NOT_SUPPORTED: [
    'the mms protocol is not supported',
    'mms protocol is not supported',
    'use http or rtsp to connect to the windows media stream',
  ],
  NS_E_INCOMPATIBLE_SERVER: ['not a compatible streaming media server'],
  NS_E_UNKNOWN_PROTOCOL: ['the specified protocol is not supported'],
  NS_E_ALL_PROTOCOLS_DISABLED: ['all protocols have been disabled'],
  NS_E_FIREWALL: ['packets are not being received from the server', 'blocked by a filtering device'],
  NS_E_SERVER_ACCESSDENIED: ['windows media server is denying access'],
  NS_E_RESOURCE_GONE: ['publishing point or file on the windows media server is no longer available'],
  NS_E_BAD_SYNTAX_IN_SERVER_RESPONSE: ['response from the media server could not be understood'],
  NS_E_RESET_SOCKET_CONNECTION: ['windows media server reset the network connection'],
  NS_E_CANNOTCONNECT: ['unable to establish a connection to the server'],
  NS_E_FILE_NOT_FOUND: ['the system cannot find the file specified'],
  NS_E_WMP_MMS_NOT_SUPPORTED: ['try using a different transport protocol for example mms'],
  NS_E_WMP_INVALID_PROTOCOL: ['try using a different transport protocol for example http or rtsp'],
  NS_E_WMP_NETWORK_FIREWALL: [
    'firewall might be preventing the player from opening the file by using the udp',
  ],
  NS_E_SERVER_DNS_TIMEOUT: ['unable to locate the media server'],
  NS_E_CONNECT_TIMEOUT: ['establish a connection to the media server in a timely manner'],
  NS_E_WMP_SERVER_INACCESSIBLE: ['cannot connect to the server the server name might not be correct'],
  NS_E_WMP_SERVER_UNAVAILABLE: ['problem with your network or firewall settings'],
  NS_E_WMP_NETWORK_ERROR: ['the server is busy or not online'],
};

export function findKnownErrorCode(value: number): KnownErrorCode | null {
  return KNOWN_ERROR_CODES.find((known) => known.value === value) ?? null;
}

/** "0xC00D2EFA": the form Windows shows and searches find. */
export function formatHresult(value: number): string {
  return `0x${(value >>> 0).toString(16).toUpperCase().padStart(8, '0')}`;
}

export function parseErrorCode(text: string): ParseResult<KnownErrorCode> {
  if (typeof text !== 'string') return fail(`No error code given; expected ${ACCEPTED_FORMS}.`);
  if (text.length > MAX_ERROR_TEXT_LENGTH) {
    return fail(
      `The text is ${text.length} characters long; paste only the error code or the error message ` +
        `(at most ${MAX_ERROR_TEXT_LENGTH} characters). Accepted: ${ACCEPTED_FORMS}.`,
    );
  }
  const trimmed = stripWrapping(text);
  if (trimmed === '') return fail(`No error code given; expected ${ACCEPTED_FORMS}.`);

  const whole = parseWholeCode(trimmed);
  if (whole.kind === 'value') return resultForValue(whole.value, true);
  if (whole.kind === 'name') return resultForName(whole.name);

  const mentions = findMentions(trimmed);
  const known = mentions.find((mention) => mention.known !== null)?.known;
  if (known) return { ok: true, value: known };
  // A code the dialog states outranks wording, because neighbouring codes share sentences.
  const stated = mentions.find((mention) => mention.kind === 'name' || isErrorSeverity(mention.value));
  if (stated)
    return stated.kind === 'name' ? resultForName(stated.name) : resultForValue(stated.value, false);

  const byWording = matchWording(trimmed);
  if (byWording) return { ok: true, value: byWording };
  return fail(`Found no Windows Media error code or message in that text; expected ${ACCEPTED_FORMS}.`);
}

type WholeCode = { kind: 'value'; value: number } | { kind: 'name'; name: string } | { kind: 'none' };

/**
 * The whole input is one code: any 32-bit value is accepted here, so "0" or "42" get a precise answer. Eight
 * digits are read as hex even when they are all decimal digits ("80004005"), because that is how Windows shows
 * codes; decimal error codes are ten digits or negative.
 */
function parseWholeCode(text: string): WholeCode {
  const hex = /^(?:0x([0-9a-f]{1,8})|([0-9a-f]{8})h?)$/i.exec(text);
  const hexDigits = hex?.[1] ?? hex?.[2];
  if (hexDigits !== undefined) return { kind: 'value', value: Number.parseInt(hexDigits, 16) };
  if (/^[+-]?\d{1,10}$/.test(text)) {
    const value = toUnsigned32(Number(text));
    if (value !== null) return { kind: 'value', value };
  }
  const name = /^(?:NS_E_)?[a-z0-9_]+$/i.exec(text)?.[0]?.toUpperCase();
  if (name !== undefined && /[A-Z]/.test(name) && name.includes('_')) {
    return { kind: 'name', name: name.startsWith('NS_E_') ? name : `NS_E_${name}` };
  }
  return { kind: 'none' };
}

type Mention = { position: number; known: KnownErrorCode | null } & (
  { kind: 'value'; value: number } | { kind: 'name'; name: string }
);

/** Codes written somewhere inside pasted text, in the order they appear. */
function findMentions(text: string): Mention[] {
  const mentions: Mention[] = [];
  const addValue = (position: number, value: number | null): void => {
    if (value !== null) mentions.push({ position, kind: 'value', value, known: findKnownErrorCode(value) });
  };
  // Without "0x", an 8-digit hex word only counts when it has the error bit set (starts 8-F), so dates and
  // other numbers in the text are not mistaken for codes.
  for (const match of text.matchAll(
    /(?<![0-9a-z_])(?:0x([0-9a-f]{8})|([89a-f][0-9a-f]{7}))(?![0-9a-z_])/gi,
  )) {
    const digits = match[1] ?? match[2] ?? '';
    addValue(match.index, Number.parseInt(digits, 16));
  }
  for (const match of text.matchAll(/(?<![0-9a-z_.])-?\d{10}(?![0-9a-z_]|\.\d)/gi)) {
    const value = toUnsigned32(Number(match[0]));
    if (value !== null && isErrorSeverity(value)) addValue(match.index, value);
  }
  for (const match of text.matchAll(/(?<![0-9a-z_])NS_E_[a-z0-9_]+/gi)) {
    const name = match[0].toUpperCase();
    mentions.push({ position: match.index, kind: 'name', name, known: findByName(name) });
  }
  return mentions.sort((a, b) => a.position - b.position);
}

function matchWording(text: string): KnownErrorCode | null {
  const words = ` ${normaliseWords(text)} `;
  let best: { code: KnownErrorCode; length: number } | null = null;
  for (const code of KNOWN_ERROR_CODES) {
    for (const phrase of WINDOWS_WORDING[code.name] ?? []) {
      if (words.includes(` ${phrase} `) && (best === null || phrase.length > best.length)) {
        best = { code, length: phrase.length };
      }
    }
  }
  return best?.code ?? null;
}

/** Lower case, punctuation and quotes dropped, runs of spaces collapsed: wording survives line breaks and quoting. */
function normaliseWords(text: string): string {
  return text
    .toLowerCase()
    .replace(/[^\p{L}\p{N}]+/gu, ' ')
    .trim();
}

function resultForValue(value: number, wholeInput: boolean): ParseResult<KnownErrorCode> {
  const known = findKnownErrorCode(value);
  if (known) return { ok: true, value: known };
  const hex = formatHresult(value);
  if (wholeInput && !isErrorSeverity(value)) {
    return fail(
      `${hex} is not an error code (its top bit is clear, so it reports success); expected the code Windows Media ` +
        `Player showed, such as ${ACCEPTED_FORMS}.`,
    );
  }
  const family =
    value >>> 16 === 0xc00d
      ? 'It is a Windows Media error (0xC00D…), but not one about opening a network stream'
      : 'Windows Media errors start with 0xC00D';
  return fail(
    `${hex} is not a Windows Media streaming error Stream Doctor knows. ${family}; expected codes such as ` +
      '0xC00D2EFA (NS_E_MMS_NOT_SUPPORTED) or 0xC00D2EE8 (NS_E_INCOMPATIBLE_SERVER).',
  );
}

function resultForName(name: string): ParseResult<KnownErrorCode> {
  const known = findByName(name);
  if (known) return { ok: true, value: known };
  return fail(
    `${clip(name, 60)} is not a Windows Media streaming error Stream Doctor knows; expected names such as ` +
      'NS_E_MMS_NOT_SUPPORTED or NS_E_INCOMPATIBLE_SERVER, or a code such as 0xC00D2EFA.',
  );
}

function findByName(name: string): KnownErrorCode | null {
  const upper = name.toUpperCase();
  return KNOWN_ERROR_CODES.find((known) => known.name === upper) ?? null;
}

/** Signed (as .NET and PowerShell print HRESULTs) or unsigned decimal to the unsigned 32-bit value. */
function toUnsigned32(value: number): number | null {
  if (!Number.isInteger(value) || value < -0x8000_0000 || value > 0xffff_ffff) return null;
  return value >>> 0;
}

function isErrorSeverity(value: number): boolean {
  return value >>> 31 === 1;
}

/** Quotes, brackets and a final full stop that come with pasted codes ("(0xC00D2EFA).") */
function stripWrapping(text: string): string {
  let current = text.trim();
  for (let round = 0; round < 4; round += 1) {
    const next = current
      .replace(/^["'`\u201c\u2018(<[]+/, '')
      .replace(/["'`\u201d\u2019)>\].,;:!]+$/, '')
      .trim();
    if (next === current) break;
    current = next;
  }
  return current;
}

function entry(value: number, name: string, message: string, meaning: string): KnownErrorCode {
  return { value, hex: formatHresult(value), name, message, meaning };
}

function clip(text: string, max: number): string {
  return text.length > max ? `${text.slice(0, max)}…` : text;
}

function fail(message: string): { ok: false; message: string } {
  return { ok: false, message };
}

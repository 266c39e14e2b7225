// The RTSP probe (port 554): asks OPTIONS and DESCRIBE the way Windows Media Player does and reports who answers,
// whether the path exists, and whether the SDP carries the ASF header WMP needs (reference sec. 4). Builders and
// parsers are pure and never throw; the conversation runs on runProbe's bounded connection.
import { randomUUID } from 'node:crypto';
import { connect, type Connection } from './connection';
import { classifyReply, describeReplyKind, excerpt } from './evidence';
import { hostHeader, runProbe, type ConversationContext, type ConversationOutcome } from './probe-base';
import {
  contentLength,
  header,
  headerList,
  parseResponseHead,
  redirectFacts,
  type ResponseHead,
} from './response-head';
import type { ProbeOptions, ProbeResult, ProbeTarget, ReadEnding, RtspFacts, RtspProduct } from './types';

export const RTSP_DEFAULT_PORT = 554;
/** Most bytes one RTSP connection may bring in; an SDP with a large ASF header still fits. */
export const RTSP_MAX_BYTES = 64 * 1024;
/** The User-Agent product token of WMP 12 on Windows 7 SP1; the client GUID follows ([RTSPX 2.2.6.12]). */
export const WMP_USER_AGENT = 'WMPlayer/12.0.7601.17514';
/** What WMP lists in Supported on DESCRIBE (reference sec. 4, [RTSPX 2.2.7.2, 4.4.2]). */
export const WMP_SUPPORTED = [
  'com.microsoft.wm.srvppair',
  'com.microsoft.wm.sswitch',
  'com.microsoft.wm.eosmsg',
  'com.microsoft.wm.predstrm',
  'com.microsoft.wm.startupprofile',
].join(', ');
/** The exact SDP line start FFmpeg and VLC look for, and that WMP must find ([RTSPX 3.1.5.4], [FF-asf]). */
export const WMS_ASF_HEADER_LINE = 'a=pgmpu:data:application/vnd.ms.wms-hdr.asfv1;base64,';

/** An OPTIONS body is never needed; one larger than this is skipped by reconnecting for DESCRIBE. */
const OPTIONS_BODY_CAP = 8 * 1024;
const EVIDENCE_BYTES = 2048;
/** Below this much time left, a second connection for DESCRIBE is not worth starting. */
const MIN_RECONNECT_MS = 100;
const ASF_HEADER_GUID = Buffer.from('3026b2758e66cf11a6d900aa0062ce6c', 'hex');

// --- Requests ------------------------------------------------------------------------------------------------

/**
 * An RTSP request as WMP sends it: header set and order from the WMP examples in [MS-RTSP] 2.2.7.2 / 4.4.
 * The URL is percent-encoded where it holds anything but visible ASCII, so no caller can break the request line.
 */
export function buildRtspRequest(
  method: 'OPTIONS' | 'DESCRIBE',
  url: string,
  cseq: number,
  clientGuid: string,
): string {
  const guid = clientGuid.replace(/[^0-9A-Fa-f-]/g, '').toUpperCase();
  const sequence = Number.isFinite(cseq) ? Math.max(0, Math.floor(cseq)) : 0;
  const lines = [
    `${method} ${safeRequestUri(url)} RTSP/1.0`,
    `User-Agent: ${WMP_USER_AGENT} guid/${guid}`,
    ...(method === 'DESCRIBE' ? ['Accept: application/sdp'] : []),
    'Accept-Charset: UTF-8, *;q=0.1',
    'X-Accept-Authentication: Negotiate, NTLM, Digest',
    'Accept-Language: en-US, *;q=0.1',
    `CSeq: ${sequence}`,
    `Supported: ${WMP_SUPPORTED}`,
  ];
  return `${lines.join('\r\n')}\r\n\r\n`;
}

function safeRequestUri(url: string): string {
  return url.replace(/[^\x21-\x7e]/gu, (character) =>
    Array.from(
      Buffer.from(character, 'utf8'),
      (byte) => `%${byte.toString(16).toUpperCase().padStart(2, '0')}`,
    ).join(''),
  );
}

/** The presentation URL the probe asks about: rtsp://host[:port]/path. */
export function rtspUrl(target: ProbeTarget): string {
  const path = target.path.startsWith('/') ? target.path : `/${target.path}`;
  return `rtsp://${hostHeader(target.host, target.port, RTSP_DEFAULT_PORT)}${path}`;
}

// --- Reply parsing ---------------------------------------------------------------------------------------------

/** The methods of a `Public:` header; separators and junk tolerated, at most 32 distinct tokens. */
export function parsePublic(value: string | null | undefined): string[] {
  if (typeof value !== 'string') return [];
  const methods: string[] = [];
  for (const token of value.split(/[\s,]+/)) {
    if (/^[A-Za-z_][A-Za-z0-9_-]{0,31}$/.test(token) && !methods.includes(token)) methods.push(token);
    if (methods.length >= 32) break;
  }
  return methods;
}

/**
 * Which RTSP server this is, from `Server:` first (table in reference sec. 4), then other headers and the SDP.
 * LIVE555 sends no Server header at all; its SDP names it in `a=tool:`.
 */
export function identifyRtspProduct(
  serverHeader: string | null,
  headers: ReadonlyArray<readonly [string, string]>,
  sdp: string | null,
): RtspProduct {
  const server = (serverHeader ?? '').trim();
  const realChallenge = headers.some(([name]) => name.toLowerCase() === 'realchallenge1');
  if (server !== '') {
    // FFmpeg and GStreamer's rtspwms key on this prefix, case-insensitively ([FF-rtsp], reference sec. 4).
    if (/^WMServer\//i.test(server)) return 'WMServer';
    if (/^VLC(?:\/|\s|$)/i.test(server)) return 'VLC';
    if (/gstreamer/i.test(server)) return 'GStreamer';
    if (/wowza/i.test(server)) return 'Wowza';
    if (/helix|realserver|real\s?media/i.test(server) || realChallenge) return 'Helix';
    if (/^(?:DSS|QTSS)\//i.test(server) || /darwin|quicktime streaming/i.test(server)) return 'Darwin';
    if (/live555/i.test(server)) return 'LIVE555';
    return 'other';
  }
  if (realChallenge) return 'Helix';
  if (sdp !== null && /^a=tool:[ \t]*LIVE555/im.test(sdp)) return 'LIVE555';
  return 'none';
}

function asfHeaderBase64(sdp: string | null): string | null {
  if (typeof sdp !== 'string') return null;
  for (const line of sdp.split(/\r?\n/)) {
    if (!line.startsWith(WMS_ASF_HEADER_LINE)) continue;
    const data = line.slice(WMS_ASF_HEADER_LINE.length).trimEnd();
    if (/^[A-Za-z0-9+/]+={0,2}$/.test(data)) return data;
  }
  return null;
}

/** The SDP carries `a=pgmpu:data:application/vnd.ms.wms-hdr.asfv1;base64,<data>` (the line WMP needs). */
export function sdpHasWmsAsfHeader(sdp: string | null): boolean {
  return asfHeaderBase64(sdp) !== null;
}

/** The decoded ASF header of that line when it really starts with the ASF Header Object GUID, else null. */
export function sdpAsfHeader(sdp: string | null): Buffer | null {
  const data = asfHeaderBase64(sdp);
  if (data === null) return null;
  const bytes = Buffer.from(data, 'base64');
  return bytes.length >= 30 && bytes.subarray(0, 16).equals(ASF_HEADER_GUID) ? bytes : null;
}

export type RtspReplyMeasure =
  | { state: 'waiting' }
  /** Nothing more worth waiting for: a line of text in another protocol, or an unreadable head. */
  | { state: 'foreign' }
  | { state: 'complete'; head: ResponseHead; length: number; bodyComplete: boolean };

/**
 * Whether `bytes` hold a whole reply. An RTSP/HTTP head is awaited in full, then its body of Content-Length up to
 * `bodyCap` (a larger body is not awaited: `bodyComplete` false). Binary bytes in another protocol are not a
 * reply to wait out: the close, the byte limit or the deadline ends those reads. Pure; never throws.
 */
export function measureRtspReply(bytes: Uint8Array, bodyCap: number): RtspReplyMeasure {
  if (bytes.length === 0) return { state: 'waiting' };
  const start = Buffer.from(bytes.subarray(0, 5)).toString('latin1').toUpperCase();
  const statusLike = 'RTSP/'.startsWith(start) || 'HTTP/'.startsWith(start);
  if (!statusLike) {
    const kind = classifyReply(bytes);
    return kind === 'text' && bytes.includes(0x0a) ? { state: 'foreign' } : { state: 'waiting' };
  }
  const head = parseResponseHead(bytes);
  if (head === null) {
    // A blank line was seen but the status line is not one: nothing better will follow.
    const view = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.length);
    return view.includes('\n\n') || view.includes('\r\n\r\n') ? { state: 'foreign' } : { state: 'waiting' };
  }
  const declared = contentLength(head) ?? 0;
  if (declared > bodyCap) return { state: 'complete', head, length: head.length, bodyComplete: false };
  if (bytes.length < head.length + declared) return { state: 'waiting' };
  return { state: 'complete', head, length: head.length + declared, bodyComplete: true };
}

// --- The conversation -----------------------------------------------------------------------------------------

interface Exchange {
  /** The reply bytes as received (for the evidence). */
  raw: Buffer;
  head: ResponseHead | null;
  body: Buffer;
  ending: ReadEnding;
  /** The connection is still positioned at a message boundary. */
  inSync: boolean;
}

async function exchange(connection: Connection, request: string, bodyCap: number): Promise<Exchange> {
  connection.write(request);
  const read = await connection.readUntil((buffer) => measureRtspReply(buffer, bodyCap).state !== 'waiting');
  const measure = measureRtspReply(read.bytes, bodyCap);
  if (measure.state === 'complete') {
    const raw = Buffer.from(read.bytes.subarray(0, measure.length));
    connection.consume(measure.length);
    return {
      raw,
      head: measure.head,
      body: raw.subarray(measure.head.length),
      ending: read.ending,
      inSync: measure.bodyComplete,
    };
  }
  // Cut short (closed, reset, byte limit, deadline): keep whatever head and body arrived.
  const raw = Buffer.from(read.bytes);
  connection.consume(read.bytes.length);
  const head = parseResponseHead(raw);
  return {
    raw,
    head,
    body: head ? raw.subarray(head.length) : Buffer.alloc(0),
    ending: read.ending,
    inSync: false,
  };
}

/** Asks OPTIONS then DESCRIBE for target.path, as WMP would, and says what answered. Never throws. */
export async function probeRtsp(target: ProbeTarget, options: ProbeOptions): Promise<ProbeResult> {
  const deadline = Date.now() + options.timeoutMs;
  const clientGuid = randomUUID().toUpperCase();
  return runProbe('rtsp', target, { ...options, maxBytes: RTSP_MAX_BYTES }, (context) =>
    converse(context, options, deadline, clientGuid),
  );
}

async function converse(
  { connection, target, address }: ConversationContext,
  options: ProbeOptions,
  deadline: number,
  clientGuid: string,
): Promise<ConversationOutcome> {
  const url = rtspUrl(target);
  const optionsRequest = buildRtspRequest('OPTIONS', url, 1, clientGuid);
  const describeRequest = buildRtspRequest('DESCRIBE', url, 2, clientGuid);
  const first = await exchange(connection, optionsRequest, OPTIONS_BODY_CAP);
  if (first.head === null || first.head.protocol !== 'RTSP') {
    return foreignOutcome(target, options, first, optionsRequest);
  }

  let describe: Exchange | null = null;
  let lastEnding: ReadEnding = first.ending;
  let reconnectFailure: string | null = null;
  if (first.inSync && first.ending === 'complete') {
    describe = await exchange(connection, describeRequest, Number.POSITIVE_INFINITY);
    lastEnding = describe.ending;
  }
  // A server that closes after each reply (or an OPTIONS body too big to skip) gets one more connection.
  const unanswered =
    describe === null || (describe.raw.length === 0 && ['closed', 'reset'].includes(describe.ending));
  if (
    unanswered &&
    lastEnding !== 'cancelled' &&
    !options.signal?.aborted &&
    deadline - Date.now() >= MIN_RECONNECT_MS
  ) {
    const again = await connect({
      addresses: [address],
      port: target.port,
      deadline,
      maxBytes: RTSP_MAX_BYTES,
      ...(options.signal ? { signal: options.signal } : {}),
      ...(target.tls ? { tls: { servername: target.host } } : {}),
    });
    if (again.ok) {
      try {
        describe = await exchange(again.connection, describeRequest, Number.POSITIVE_INFINITY);
        lastEnding = describe.ending;
      } finally {
        again.connection.close();
      }
    } else {
      reconnectFailure = again.reason;
      if (again.reason === 'cancelled') lastEnding = 'cancelled';
      else if (again.reachability === 'timeout') lastEnding = 'timeout';
    }
  }

  const optionsHead = first.head;
  const describeHead = describe?.head?.protocol === 'RTSP' ? describe.head : null;
  const serverRaw = (describeHead ? header(describeHead, 'server') : null) ?? header(optionsHead, 'server');
  const sdp = describeHead && describe ? sdpText(describeHead, describe.body) : null;
  const product = identifyRtspProduct(
    serverRaw,
    [...optionsHead.headers, ...(describeHead?.headers ?? [])],
    sdp,
  );
  const facts: RtspFacts = {
    product,
    optionsStatus: optionsHead.status,
    methods: parsePublic(headerList(optionsHead, 'public')),
    describeStatus: describeHead?.status ?? null,
    sdpHasAsfHeader: sdpHasWmsAsfHeader(sdp),
    redirectUrl: redirectOf(describeHead) ?? redirectOf(optionsHead),
  };
  const server = serverRaw === null ? null : cleanText(serverRaw, 200);
  const redirect =
    (describeHead ? redirectFacts(describeHead, url) : null) ?? redirectFacts(optionsHead, url);
  const sent = describe ? `${optionsRequest}${describeRequest}` : optionsRequest;
  return {
    speaks: true,
    server,
    status: describeHead?.status ?? optionsHead.status,
    detail: speakerDetail({
      path: target.path,
      product,
      server,
      optionsHead,
      describeHead,
      facts,
      describeEnding: describe?.ending ?? lastEnding,
      describeComplete: describe?.inSync ?? false,
      reconnectFailure,
    }),
    replyKind: classifyReply(first.raw),
    ending: lastEnding,
    evidence: {
      sent,
      received: excerpt(Buffer.concat([first.raw, describe?.raw ?? Buffer.alloc(0)]), EVIDENCE_BYTES),
    },
    rtsp: facts,
    ...(redirect ? { redirect } : {}),
  };
}

function sdpText(head: ResponseHead, body: Buffer): string | null {
  if (head.status !== 200 || body.length === 0) return null;
  const type = (header(head, 'content-type') ?? '').toLowerCase();
  const text = body.toString('utf8');
  return type.startsWith('application/sdp') || text.startsWith('v=') ? text : null;
}

function redirectOf(head: ResponseHead | null): string | null {
  if (head === null || ![301, 302, 303, 305, 307, 308].includes(head.status)) return null;
  const location = header(head, 'location');
  return location === null || location === '' ? null : cleanText(location, 1000);
}

/** A peer's text made safe for a sentence: control characters out, length bounded. */
function cleanText(value: string, max: number): string {
  const clean = value.replace(/[^\x20-\x7e\xa0-\uffff]/g, ' ').trim();
  return clean.length > max ? `${clean.slice(0, max)}…` : clean;
}

// --- Sentences ------------------------------------------------------------------------------------------------

function productPhrase(product: RtspProduct, server: string | null): string {
  const named = (what: string): string => (server ? `${what} (${server})` : what);
  switch (product) {
    case 'WMServer':
      return named('Windows Media Services');
    case 'VLC':
      return named('a VLC RTSP server');
    case 'GStreamer':
      return named('a GStreamer RTSP server');
    case 'LIVE555':
      return named('a LIVE555 RTSP server');
    case 'Wowza':
      return named('a Wowza streaming server');
    case 'Helix':
      return named('a RealNetworks Helix server');
    case 'Darwin':
      return named('a Darwin/QuickTime Streaming Server');
    case 'other':
      return `an RTSP server that calls itself "${server ?? ''}"`;
    case 'none':
      return 'an RTSP server that does not name itself';
  }
}

function capitalize(text: string): string {
  return text.charAt(0).toUpperCase() + text.slice(1);
}

function statusText(head: ResponseHead): string {
  return `${head.status}${head.reason ? ` ${cleanText(head.reason, 80)}` : ''}`;
}

function endingWords(ending: ReadEnding, reconnectFailure: string | null): string {
  if (reconnectFailure) return `a second connection failed: ${reconnectFailure}`;
  switch (ending) {
    case 'timeout':
      return 'no reply in time';
    case 'closed':
      return 'the server closed the connection';
    case 'reset':
      return 'the connection was reset';
    case 'byte-limit':
      return 'the reply was larger than the probe accepts';
    case 'cancelled':
      return 'cancelled';
    case 'complete':
      return 'the reply was not RTSP';
  }
}

interface SpeakerFacts {
  path: string;
  product: RtspProduct;
  server: string | null;
  optionsHead: ResponseHead;
  describeHead: ResponseHead | null;
  facts: RtspFacts;
  describeEnding: ReadEnding;
  /** The DESCRIBE reply arrived with its whole body. */
  describeComplete: boolean;
  reconnectFailure: string | null;
}

function speakerDetail(input: SpeakerFacts): string {
  const who = productPhrase(input.product, input.server);
  const path = cleanText(input.path, 200) || '/';
  const head = input.describeHead;
  if (head === null) {
    return `${capitalize(who)} answers RTSP OPTIONS (${statusText(input.optionsHead)}), but DESCRIBE ${path} got no answer (${endingWords(input.describeEnding, input.reconnectFailure)}).`;
  }
  const wms = input.product === 'WMServer';
  if (head.status === 200) {
    if (input.facts.sdpHasAsfHeader) {
      return wms
        ? `${capitalize(who)} answers RTSP and ${path} exists, with the Windows Media (ASF) header the player needs.`
        : `${capitalize(who)} answers RTSP and ${path} carries the Windows Media (ASF) header the player needs, though the server does not call itself WMServer.`;
    }
    if (!input.describeComplete) {
      return `${capitalize(who)} answers RTSP and ${path} exists, but its description did not arrive in full (${endingWords(input.describeEnding, null)}).`;
    }
    return wms
      ? `${capitalize(who)} answers RTSP and ${path} exists, but its SDP lacks the Windows Media (ASF) header the player needs.`
      : `${capitalize(who)} answers; its SDP lacks the Windows Media ASF header, so Windows Media Player cannot play it.`;
  }
  const prefix = `DESCRIBE ${path}: ${statusText(head)} from ${who}`;
  if (input.facts.redirectUrl) return `${prefix}, which redirects to ${input.facts.redirectUrl}.`;
  if (head.status === 401 || head.status === 407) {
    const schemes = parsePublic(
      headerList(head, 'www-authenticate') ?? headerList(head, 'proxy-authenticate'),
    )
      .filter((token) => /^(?:Negotiate|NTLM|Digest|Basic|Kerberos)$/i.test(token))
      .join(', ');
    return `${prefix}: the stream needs a login${schemes ? ` (${schemes})` : ''}.`;
  }
  if (head.status === 404) return `${prefix}: no such publishing point or file.`;
  if (head.status === 403) return `${prefix}: access to this stream is refused.`;
  return `${prefix}.`;
}

function foreignOutcome(
  target: ProbeTarget,
  options: ProbeOptions,
  reply: Exchange,
  request: string,
): ConversationOutcome {
  const kind = classifyReply(reply.raw);
  const port = target.port;
  const serverRaw = reply.head ? header(reply.head, 'server') : null;
  const server = serverRaw === null ? null : cleanText(serverRaw, 200);
  let detail: string;
  if (kind === 'nothing') {
    if (reply.ending === 'timeout') {
      detail = `Port ${port} is open, silent: no answer to an RTSP OPTIONS request within ${options.timeoutMs} ms.`;
    } else if (reply.ending === 'cancelled') {
      detail = `Cancelled before port ${port} answered the RTSP OPTIONS request.`;
    } else {
      detail = `Port ${port} is open but closed the connection without answering the RTSP request (a service that is not RTSP, or one that turns strangers away).`;
    }
  } else if (kind === 'http') {
    const what = reply.head
      ? `${reply.head.protocol}/${reply.head.version} ${statusText(reply.head)}`
      : 'an HTTP reply';
    detail = `Port ${port} is open but answered HTTP, not RTSP (${what}${server ? `, ${server}` : ''}).`;
  } else if (kind === 'rtsp') {
    detail = `Port ${port} began an RTSP reply but it never became a readable one (${endingWords(reply.ending, null)}).`;
  } else {
    detail = `Port ${port} is open but answered ${describeReplyKind(kind)}, not RTSP.`;
  }
  return {
    speaks: false,
    server,
    status: null,
    detail,
    replyKind: kind,
    ending: reply.ending,
    evidence: { sent: request, received: excerpt(reply.raw, EVIDENCE_BYTES) },
    rtsp: {
      product: 'none',
      optionsStatus: null,
      methods: [],
      describeStatus: null,
      sdpHasAsfHeader: false,
      redirectUrl: null,
    },
  };
}

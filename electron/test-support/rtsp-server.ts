// A Windows Media Services RTSP server simulator on 127.0.0.1, faithful enough that Debian's ffprobe reads the
// sample's codecs from it. It speaks RTSP as [MS-RTSP] describes it (reference sec. 4): `Server: WMServer/…` and the
// Supported tokens, an SDP whose session level carries the ASF header in `a=pgmpu:data:…asfv1;base64,`, one
// `x-asf-pf/1000` media description per ASF stream plus the retransmission stream, SETUP over TCP interleaved, and
// after PLAY the sample's ASF data packets as RTP, then the EndOfStream request and an RTCP BYE per stream.
// Options let a test turn it into another product (a `Server:` string, none, no ASF header).
import net from 'node:net';
import { randomBytes } from 'node:crypto';
import { asfSample, type AsfSample } from './asf-sample';

export interface RtspServerOptions {
  /** The `Server:` header; null sends none (as LIVE555 does). Default `WMServer/9.5.6001.18281`. */
  server?: string | null;
  /** Paths the server knows (with or without the leading "/"); 'auth' answers 401 until a request authorizes. */
  streams?: Record<string, 'ok' | 'auth'>;
  /** Describe the ASF streams with the pgmpu ASF header (default true); false sends a plain, non-WMS SDP. */
  asfHeader?: boolean;
  /** Paths whose DESCRIBE is answered `302 Moved Temporarily` with this Location ([RTSP] sec. 11.3.3). */
  redirects?: Record<string, string>;
  /** Paths whose DESCRIBE is refused with this status: 403 Forbidden, 453 Not Enough Bandwidth, 503 Service
   * Unavailable ([RTSP] sec. 7.1.1), as a server with access rules or at its client limit answers. */
  refusals?: Record<string, RtspRefusal>;
  /** An `a=tool:` line for the SDP, e.g. "LIVE555 Streaming Media v2024.11.28". */
  sdpTool?: string;
}

export interface RtspServerHandle {
  port: number;
  close(): Promise<void>;
}

export type RtspRefusal = 403 | 453 | 503;

const REFUSAL_REASON: Record<RtspRefusal, string> = {
  403: 'Forbidden',
  453: 'Not Enough Bandwidth',
  503: 'Service Unavailable',
};

export const WMS_SERVER_HEADER = 'WMServer/9.5.6001.18281';

/** What WMS 9.5 lists in Supported (reference sec. 4, [RTSPX 4.x examples]). */
export const WMS_SUPPORTED = [
  'com.microsoft.wm.srvppair',
  'com.microsoft.wm.sswitch',
  'com.microsoft.wm.eosmsg',
  'com.microsoft.wm.fastcache',
  'com.microsoft.wm.packetpairssrc',
  'com.microsoft.wm.startupprofile',
].join(', ');

// The reference does not record WMS's own Public list; this is the RFC 2326 set WMS implements. VLC's list
// leaves out OPTIONS (reference sec. 4 table), which the simulator copies when it plays VLC.
const PUBLIC_METHODS = 'OPTIONS, DESCRIBE, SETUP, PLAY, PAUSE, TEARDOWN, GET_PARAMETER, SET_PARAMETER';
const VLC_PUBLIC_METHODS = 'DESCRIBE,SETUP,TEARDOWN,PLAY,PAUSE,GET_PARAMETER';

const MAX_REQUEST_BYTES = 64 * 1024;
const SESSION_TIMEOUT_S = 60;
const RTX_STREAM_NUMBER = 65536;
const ASF_PAYLOAD_TYPE = 96;
const RTX_PAYLOAD_TYPE = 97;

// --- ASF header facts the SDP needs -------------------------------------------------------------------------

const FILE_PROPERTIES_GUID = Buffer.from('a1dcab8c47a9cf118ee400c00c205365', 'hex');
const STREAM_PROPERTIES_GUID = Buffer.from('9107dcb7b7a9cf118ee600c00c205365', 'hex');
const AUDIO_MEDIA_GUID = Buffer.from('409e69f84d5bcf11a8fd00805f5c442b', 'hex');
const VIDEO_MEDIA_GUID = Buffer.from('c0ef19bc4d5bcf11a8fd00805f5c442b', 'hex');

export interface AsfStreamInfo {
  number: number;
  kind: 'audio' | 'video' | 'application';
  /** Bits per second when the header says (audio: WAVEFORMATEX), else null. */
  bitrate: number | null;
}

export interface AsfDescription {
  streams: AsfStreamInfo[];
  /** Play duration minus preroll, in ms. */
  durationMs: number;
  maxBitrate: number;
  maxPacketSize: number;
}

/** Reads the top-level objects of an ASF Header Object (ASF spec 3.1–3.3); tolerant of short input. */
export function describeAsfHeader(header: Buffer): AsfDescription {
  const description: AsfDescription = { streams: [], durationMs: 0, maxBitrate: 0, maxPacketSize: 0 };
  // The Header Object's own fields end at 30: GUID, size, object count, two reserved bytes.
  let offset = 30;
  while (offset + 24 <= header.length) {
    const guid = header.subarray(offset, offset + 16);
    const size = Number(header.readBigUInt64LE(offset + 16));
    if (size < 24 || offset + size > header.length) break;
    const object = header.subarray(offset, offset + size);
    if (guid.equals(FILE_PROPERTIES_GUID) && size >= 104) {
      const playDuration = Number(object.readBigUInt64LE(64)); // 100-ns units
      const preroll = Number(object.readBigUInt64LE(80)); // ms
      description.durationMs = Math.max(0, Math.round(playDuration / 10_000) - preroll);
      description.maxPacketSize = object.readUInt32LE(96);
      description.maxBitrate = object.readUInt32LE(100);
    } else if (guid.equals(STREAM_PROPERTIES_GUID) && size >= 78) {
      const type = object.subarray(24, 40);
      const kind = type.equals(AUDIO_MEDIA_GUID)
        ? 'audio'
        : type.equals(VIDEO_MEDIA_GUID)
          ? 'video'
          : 'application';
      const number = object.readUInt16LE(72) & 0x7f;
      // WAVEFORMATEX starts the type-specific data at 78; nAvgBytesPerSec is 8 bytes into it.
      const bitrate = kind === 'audio' && size >= 78 + 12 ? object.readUInt32LE(78 + 8) * 8 : null;
      description.streams.push({ number, kind, bitrate });
    }
    offset += size;
  }
  return description;
}

export interface AsfPacketInfo {
  /** Send Time of the packet in ms (ASF spec 5.2.2). */
  sendTime: number;
  /** Some payload in the packet starts a key frame. */
  keyFrame: boolean;
  /** Stream number of the first payload, or null when the packet cannot be read. */
  firstStream: number | null;
}

const FIELD_SIZES = [0, 1, 2, 4] as const;

function readSized(packet: Buffer, offset: number, type: number): number {
  const size = FIELD_SIZES[type & 3] ?? 0;
  if (size === 0 || offset + size > packet.length) return 0;
  return size === 1
    ? packet.readUInt8(offset)
    : size === 2
      ? packet.readUInt16LE(offset)
      : packet.readUInt32LE(offset);
}

/** Send Time, key-frame flag and first stream of one ASF data packet (ASF spec 5.2); never throws. */
export function readAsfPacket(packet: Buffer): AsfPacketInfo {
  const info: AsfPacketInfo = { sendTime: 0, keyFrame: false, firstStream: null };
  let offset = 0;
  let flags = packet[offset++] ?? 0;
  // Error correction data comes first when bit 7 is set; its length is in the low nibble.
  if (flags & 0x80) {
    offset += flags & 0x0f;
    flags = packet[offset++] ?? 0;
  }
  const propertyFlags = packet[offset++] ?? 0;
  offset += FIELD_SIZES[(flags >> 5) & 3]! + FIELD_SIZES[(flags >> 1) & 3]! + FIELD_SIZES[(flags >> 3) & 3]!;
  if (offset + 6 > packet.length) return info;
  info.sendTime = packet.readUInt32LE(offset);
  offset += 6; // send time + duration
  const multiple = (flags & 1) === 1;
  let payloads = 1;
  let payloadLengthType = 0;
  if (multiple) {
    const payloadFlags = packet[offset++] ?? 0;
    payloads = payloadFlags & 0x3f;
    payloadLengthType = payloadFlags >> 6;
  }
  for (let index = 0; index < payloads && offset < packet.length; index++) {
    const streamByte = packet[offset++] ?? 0;
    if (index === 0) info.firstStream = streamByte & 0x7f;
    if (streamByte & 0x80) info.keyFrame = true;
    offset += FIELD_SIZES[(propertyFlags >> 4) & 3]! + FIELD_SIZES[(propertyFlags >> 2) & 3]!;
    const replicated = readSized(packet, offset, propertyFlags & 3);
    offset += FIELD_SIZES[propertyFlags & 3]! + replicated;
    if (!multiple) break;
    const length = readSized(packet, offset, payloadLengthType);
    offset += FIELD_SIZES[payloadLengthType & 3]! + length;
  }
  return info;
}

/**
 * The packet without its Padding Data, as [MS-RTSP] 2.2.1.4 asks of a server: the Padding Length field goes away
 * and an explicit Packet Length (WORD) says how long the shorter packet is. FFmpeg's depacketizer depends on
 * this: it sets the header's minimum packet size to 0 (it expects variable-size packets) and resumes one ASF
 * demuxer on every RTP payload, so padding or an implicit full-size length shifts it off the next packet.
 */
export function stripAsfPadding(packet: Buffer): Buffer {
  let flagsAt = 0;
  let flags = packet[0] ?? 0;
  if (flags & 0x80) {
    flagsAt = 1 + (flags & 0x0f);
    flags = packet[flagsAt] ?? 0;
  }
  const sequenceAt = flagsAt + 2 + FIELD_SIZES[(flags >> 5) & 3]!;
  const paddingAt = sequenceAt + FIELD_SIZES[(flags >> 1) & 3]!;
  const paddingType = (flags >> 3) & 3;
  const restAt = paddingAt + FIELD_SIZES[paddingType]!;
  if (paddingType === 0 || restAt + 6 > packet.length) return packet;
  const padding = readSized(packet, paddingAt, paddingType);
  if (padding === 0 || padding > packet.length - restAt - 6) return packet;
  // Length type 2 (WORD) in bits 5-6, padding length type 0 (absent) in bits 3-4.
  const newFlags = (flags & ~0x78) | (2 << 5);
  const head = Buffer.concat([
    packet.subarray(0, flagsAt),
    Buffer.from([newFlags, packet[flagsAt + 1] ?? 0, 0, 0]),
    packet.subarray(sequenceAt, paddingAt),
  ]);
  const stripped = Buffer.concat([head, packet.subarray(restAt, packet.length - padding)]);
  stripped.writeUInt16LE(stripped.length, flagsAt + 2);
  return stripped;
}

// --- RTP / RTCP framing ------------------------------------------------------------------------------------

/** One RTP packet carrying one whole ASF data packet ([MS-RTSP] 2.2.1.2–2.2.1.3). */
export function asfRtpPacket(fields: { seq: number; ssrc: number }, packet: Buffer): Buffer {
  const info = readAsfPacket(packet);
  const rtp = Buffer.alloc(12 + 4);
  rtp[0] = 0x80; // version 2
  rtp[1] = 0x80 | ASF_PAYLOAD_TYPE; // M = 1: the packet holds a complete ASF data packet
  rtp.writeUInt16BE(fields.seq & 0xffff, 2);
  rtp.writeUInt32BE(info.sendTime >>> 0, 4); // timestamp = the ASF Send Time, in ms
  rtp.writeUInt32BE(fields.ssrc >>> 0, 8);
  // Payload format header: S (key frame), L = 1 (a length follows, not an offset). The spec text says the
  // length is that of the ASF packet; FFmpeg (written against live WMS traffic) reads it as including this
  // 4-byte header, and GStreamer clamps it to the bytes present, so the header-inclusive value decodes in both.
  rtp[12] = (info.keyFrame ? 0x80 : 0) | 0x40;
  rtp.writeUIntBE(packet.length + 4, 13, 3);
  return Buffer.concat([rtp, packet]);
}

/** RTCP BYE for one source (RFC 3550 6.6). */
export function rtcpBye(ssrc: number): Buffer {
  const bye = Buffer.alloc(8);
  bye[0] = 0x81; // version 2, one source
  bye[1] = 203;
  bye.writeUInt16BE(1, 2); // length in 32-bit words minus one
  bye.writeUInt32BE(ssrc >>> 0, 4);
  return bye;
}

/** RTSP interleaved framing: `$`, channel, 16-bit length (RFC 2326 10.12). */
export function interleave(channel: number, data: Buffer): Buffer {
  const head = Buffer.from([0x24, channel & 0xff, (data.length >> 8) & 0xff, data.length & 0xff]);
  return Buffer.concat([head, data]);
}

// --- SDP ---------------------------------------------------------------------------------------------------

export interface SdpContext {
  /** The presentation URL as the client wrote it, e.g. rtsp://127.0.0.1:5540/live. */
  baseUrl: string;
  sample: AsfSample;
  sessionId: string;
  tool?: string;
}

/** SDP in the shape [MS-RTSP] 2.2.5 prescribes for Windows Media content. */
export function buildWmsSdp(context: SdpContext): string {
  const asf = describeAsfHeader(context.sample.header);
  const kbps = (bits: number | null): number => Math.max(1, Math.ceil((bits ?? 0) / 1000));
  const audioBits = asf.streams.reduce((sum, s) => sum + (s.kind === 'audio' ? (s.bitrate ?? 0) : 0), 0);
  const lines = [
    'v=0',
    `o=- ${context.sessionId} ${context.sessionId} IN IP4 127.0.0.1`,
    `s=${titleOf(context.baseUrl)}`,
    'c=IN IP4 0.0.0.0',
    `b=AS:${kbps(asf.maxBitrate)}`,
    'b=RS:0',
    'b=RR:0',
    't=0 0',
    `a=maxps:${asf.maxPacketSize || context.sample.packetSize}`,
    `a=control:${context.baseUrl}/`,
    `a=range:npt=0.000000-${(asf.durationMs / 1000).toFixed(6)}`,
    'a=recvonly',
    ...(context.tool ? [`a=tool:${context.tool}`] : []),
    `a=pgmpu:data:application/vnd.ms.wms-hdr.asfv1;base64,${pgmpuHeader(context.sample).toString('base64')}`,
  ];
  for (const stream of asf.streams) {
    // The video stream's rate is not in its Stream Properties; what the file allows beyond the audio is a fair bound.
    const bits = stream.bitrate ?? Math.max(asf.maxBitrate - audioBits, 1000);
    lines.push(
      `m=${stream.kind} 0 RTP/AVP ${ASF_PAYLOAD_TYPE}`,
      `b=AS:${kbps(bits)}`,
      'b=RS:0',
      'b=RR:0',
      `a=rtpmap:${ASF_PAYLOAD_TYPE} x-asf-pf/1000`,
      `a=control:${controlName(stream)}`,
      `a=stream:${stream.number}`,
    );
  }
  lines.push(
    `m=application 0 RTP/AVP ${RTX_PAYLOAD_TYPE}`,
    `a=rtpmap:${RTX_PAYLOAD_TYPE} x-wms-rtx/1000`,
    'a=control:rtx',
    `a=stream:${RTX_STREAM_NUMBER}`,
  );
  return `${lines.join('\r\n')}\r\n`;
}

/** An SDP without the Windows Media parts, as a generic RTSP server (VLC, LIVE555…) would send. */
export function buildPlainSdp(context: Omit<SdpContext, 'sample'>): string {
  const lines = [
    'v=0',
    `o=- ${context.sessionId} ${context.sessionId} IN IP4 127.0.0.1`,
    `s=${titleOf(context.baseUrl)}`,
    'c=IN IP4 0.0.0.0',
    't=0 0',
    ...(context.tool ? [`a=tool:${context.tool}`] : []),
    'a=recvonly',
    `a=control:${context.baseUrl}`,
    'm=video 0 RTP/AVP 96',
    'b=RR:0',
    'a=rtpmap:96 H264/90000',
    'a=control:trackID=0',
  ];
  return `${lines.join('\r\n')}\r\n`;
}

/**
 * The bytes the pgmpu data URL carries: the Header Object and the 50-byte head of the Data Object, as at the start
 * of an ASF file. FFmpeg's ASF demuxer reads the header until it meets the Data Object and fails without it.
 */
export function pgmpuHeader(sample: AsfSample): Buffer {
  return sample.file.subarray(0, sample.header.length + 50);
}

function controlName(stream: AsfStreamInfo): string {
  return `${stream.kind}${stream.number}`;
}

function titleOf(url: string): string {
  const path = url.replace(/^rtsp:\/\/[^/]*/i, '');
  return path.replace(/^\//, '') || 'stream';
}

// --- Requests ----------------------------------------------------------------------------------------------

interface RtspRequest {
  method: string;
  url: string;
  version: string;
  headers: Map<string, string>;
  body: Buffer;
}

type Parsed =
  | { kind: 'incomplete' }
  | { kind: 'request'; request: RtspRequest; length: number }
  | { kind: 'skip'; length: number } // interleaved RTCP from the client, or its answer to our EndOfStream
  | { kind: 'bad'; length: number };

/** One message off the front of the buffer. Pure; never throws. */
export function parseRtspRequest(buffer: Buffer): Parsed {
  if (buffer.length === 0) return { kind: 'incomplete' };
  if (buffer[0] === 0x24) {
    if (buffer.length < 4) return { kind: 'incomplete' };
    const length = 4 + buffer.readUInt16BE(2);
    return buffer.length >= length ? { kind: 'skip', length } : { kind: 'incomplete' };
  }
  const end = buffer.indexOf('\r\n\r\n');
  const lfEnd = buffer.indexOf('\n\n');
  const headLength = end >= 0 && (lfEnd < 0 || end + 4 <= lfEnd + 2) ? end + 4 : lfEnd >= 0 ? lfEnd + 2 : -1;
  if (headLength < 0)
    return buffer.length > MAX_REQUEST_BYTES
      ? { kind: 'bad', length: buffer.length }
      : { kind: 'incomplete' };
  const lines = buffer.subarray(0, headLength).toString('latin1').split(/\r?\n/);
  const headers = new Map<string, string>();
  for (const line of lines.slice(1)) {
    const colon = line.indexOf(':');
    if (colon > 0) headers.set(line.slice(0, colon).trim().toLowerCase(), line.slice(colon + 1).trim());
  }
  const declared = headers.get('content-length');
  const bodyLength = declared && /^\d{1,6}$/.test(declared) ? Number(declared) : 0;
  if (bodyLength > MAX_REQUEST_BYTES) return { kind: 'bad', length: buffer.length };
  if (buffer.length < headLength + bodyLength) return { kind: 'incomplete' };
  const length = headLength + bodyLength;
  const first = (lines[0] ?? '').trim();
  if (/^RTSP\/\d/i.test(first)) return { kind: 'skip', length };
  const match = /^([A-Z_]+) (\S+) ((?:RTSP|HTTP)\/\d+\.\d+)$/.exec(first);
  if (!match) return { kind: 'bad', length };
  return {
    kind: 'request',
    request: {
      method: match[1]!,
      url: match[2]!,
      version: match[3]!,
      headers,
      body: buffer.subarray(headLength, length),
    },
    length,
  };
}

// --- The server --------------------------------------------------------------------------------------------

interface StreamSetup {
  control: string;
  channel: number;
  ssrc: number;
  seq: number;
  asfStream: number;
}

interface SessionState {
  id: string | null;
  path: string | null;
  setups: StreamSetup[];
  playing: boolean;
  serverCseq: number;
}

export async function startRtspServer(options: RtspServerOptions = {}): Promise<RtspServerHandle> {
  const serverName = options.server === undefined ? WMS_SERVER_HEADER : options.server;
  const isWms = serverName !== null && /^WMServer\//i.test(serverName);
  const asfHeader = options.asfHeader ?? true;
  const streams = new Map<string, 'ok' | 'auth'>();
  const known: Record<string, 'ok' | 'auth'> = options.streams ?? { '/live': 'ok' };
  for (const [path, access] of Object.entries(known)) {
    streams.set(normalizePath(path), access);
  }
  const redirects = new Map<string, string>(
    Object.entries(options.redirects ?? {}).map(([path, location]) => [normalizePath(path), location]),
  );
  const sample = await asfSample();
  const asf = describeAsfHeader(sample.header);
  const sockets = new Set<net.Socket>();

  const server = net.createServer((socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
    socket.on('error', () => socket.destroy());
    const session: SessionState = { id: null, path: null, setups: [], playing: false, serverCseq: 0 };
    let buffer = Buffer.alloc(0);
    socket.on('data', (chunk: Buffer) => {
      buffer = Buffer.concat([buffer, chunk]);
      for (;;) {
        const parsed = parseRtspRequest(buffer);
        if (parsed.kind === 'incomplete') return;
        buffer = buffer.subarray(parsed.length);
        if (parsed.kind === 'skip') continue;
        if (parsed.kind === 'bad') {
          socket.end(response(400, 'Bad Request', null, []));
          return;
        }
        handle(socket, session, parsed.request);
      }
    });
  });

  function response(
    status: number,
    reason: string,
    cseq: string | null,
    headers: string[],
    body = '',
  ): string {
    const lines = [`RTSP/1.0 ${status} ${reason}`];
    if (body) lines.push(`Content-Length: ${Buffer.byteLength(body)}`);
    lines.push(`Date: ${new Date().toUTCString()}`);
    if (cseq !== null) lines.push(`CSeq: ${cseq}`);
    lines.push(...headers);
    if (serverName !== null) lines.push(`Server: ${serverName}`);
    if (isWms) lines.push(`Supported: ${WMS_SUPPORTED}`);
    return `${lines.join('\r\n')}\r\n\r\n${body}`;
  }

  function handle(socket: net.Socket, session: SessionState, request: RtspRequest): void {
    const cseq = request.headers.get('cseq') ?? null;
    const reply = (status: number, reason: string, headers: string[] = [], body = ''): void => {
      const withSession = session.id
        ? [`Session: ${session.id};timeout=${SESSION_TIMEOUT_S}`, ...headers]
        : headers;
      socket.write(response(status, reason, cseq, withSession, body));
    };
    if (request.version.toUpperCase().startsWith('HTTP/')) {
      // What WMS answers an HTTP request on its RTSP port (reference sec. 4 table, [NMAP L11559]).
      socket.end(response(505, 'Protocol Version Not Supported', cseq, []));
      return;
    }
    const target = splitUrl(request.url);
    const known = target ? findStream(target.path) : null;
    switch (request.method) {
      case 'OPTIONS':
        reply(200, 'OK', [
          `Public: ${serverName && /^vlc/i.test(serverName) ? VLC_PUBLIC_METHODS : PUBLIC_METHODS}`,
        ]);
        return;
      case 'DESCRIBE': {
        const location = target ? redirects.get(normalizePath(target.path)) : undefined;
        if (location !== undefined) return reply(302, 'Moved Temporarily', [`Location: ${location}`]);
        const refusal = target ? options.refusals?.[normalizePath(target.path)] : undefined;
        if (refusal !== undefined) return reply(refusal, REFUSAL_REASON[refusal]);
        if (!target || !known) return reply(404, 'Not Found');
        if (known.access === 'auth' && !request.headers.has('authorization'))
          return reply(401, 'Unauthorized', challenge());
        const baseUrl = `rtsp://${target.authority}${known.path}`;
        const sessionId = randomDigits(19);
        const sdp = asfHeader
          ? buildWmsSdp({ baseUrl, sample, sessionId, ...(options.sdpTool ? { tool: options.sdpTool } : {}) })
          : buildPlainSdp({ baseUrl, sessionId, ...(options.sdpTool ? { tool: options.sdpTool } : {}) });
        reply(
          200,
          'OK',
          [
            'Content-Type: application/sdp',
            `Content-Base: ${baseUrl}/`,
            ...(isWms ? [`Cache-Control: no-cache, x-wms-content-size=${sample.file.length}`] : []),
          ],
          sdp,
        );
        return;
      }
      case 'SETUP':
        return setup(session, request, reply);
      case 'PLAY': {
        if (!session.id || session.setups.length === 0) return reply(455, 'Method Not Valid in This State');
        const url = request.url.replace(/\/$/, '');
        const rtpInfo = session.setups
          .map((s) => `url=${url}/${s.control};seq=${s.seq};rtptime=0`)
          .join(', ');
        reply(200, 'OK', [`Range: npt=0.000-${(asf.durationMs / 1000).toFixed(3)}`, `RTP-Info: ${rtpInfo}`]);
        if (!session.playing && asfHeader) {
          session.playing = true;
          void stream(socket, session, request.url);
        }
        return;
      }
      case 'PAUSE':
        session.playing = false;
        return reply(200, 'OK');
      case 'TEARDOWN':
        session.playing = false;
        reply(200, 'OK');
        session.id = null;
        session.setups = [];
        return;
      case 'GET_PARAMETER': // KeepAlive ([MS-RTSP] 2.2.7.5)
      case 'SET_PARAMETER': // LogConnect / LogPlay / SendEvent: accepted, not interpreted
        return reply(200, 'OK');
      default:
        return reply(501, 'Not Implemented');
    }
  }

  function setup(
    session: SessionState,
    request: RtspRequest,
    reply: (status: number, reason: string, headers?: string[]) => void,
  ): void {
    const target = splitUrl(request.url);
    const slash = target ? target.path.lastIndexOf('/') : -1;
    const known = target && slash > 0 ? findStream(target.path.slice(0, slash)) : null;
    const control = target ? target.path.slice(slash + 1) : '';
    if (!target || !known || !asfHeader) return reply(404, 'Not Found');
    if (known.access === 'auth' && !request.headers.has('authorization'))
      return reply(401, 'Unauthorized', challenge());
    if (session.path !== null && session.path !== known.path)
      return reply(459, 'Aggregate Operation Not Allowed');
    const transport = request.headers.get('transport') ?? '';
    const interleaved = /interleaved=(\d{1,3})(?:-(\d{1,3}))?/i.exec(transport);
    const overTcp = /RTP\/AVP\/TCP/i.test(transport);
    // WMS sends the retransmission stream over UDP only (FFmpeg skips it on TCP for that reason).
    if (control === 'rtx' || !overTcp || !interleaved) return reply(461, 'Unsupported Transport');
    const stream = asf.streams.find((s) => controlName(s) === control);
    if (!stream) return reply(404, 'Not Found');
    const channel = Number(interleaved[1]);
    const ssrc = randomBytes(4).readUInt32BE(0);
    const existing = session.setups.find((s) => s.control === control);
    const entry: StreamSetup = {
      control,
      channel,
      ssrc,
      seq: randomBytes(2).readUInt16BE(0),
      asfStream: stream.number,
    };
    session.setups = [...session.setups.filter((s) => s !== existing), entry];
    session.id ??= randomDigits(19);
    session.path = known.path;
    const ssrcHex = ssrc.toString(16).padStart(8, '0');
    reply(200, 'OK', [
      `Transport: RTP/AVP/TCP;unicast;interleaved=${channel}-${channel + 1};ssrc=${ssrcHex};mode=PLAY`,
    ]);
  }

  /** Sends every data packet as RTP on the channel of its first payload's stream, then ends the stream. */
  async function stream(socket: net.Socket, session: SessionState, url: string): Promise<void> {
    for (const packet of sample.packets) {
      if (!session.playing || socket.destroyed) return;
      const first = readAsfPacket(packet).firstStream;
      const setup = session.setups.find((s) => s.asfStream === first) ?? session.setups[0];
      if (!setup) return;
      const rtp = asfRtpPacket({ seq: setup.seq, ssrc: setup.ssrc }, stripAsfPadding(packet));
      setup.seq = (setup.seq + 1) & 0xffff;
      if (!socket.write(interleave(setup.channel, rtp))) await waitForDrain(socket);
    }
    if (!session.playing || socket.destroyed || !session.id) return;
    session.playing = false;
    // EndOfStream ([MS-RTSP] 2.2.7.3): a SET_PARAMETER from server to client, then RTCP BYE per stream.
    const body = `Session: ${session.id}\r\nEOF: true\r\n`;
    const rtpInfo = session.setups
      .map((s) => `url=${url.replace(/\/$/, '')}/${s.control};seq=${s.seq}`)
      .join(', ');
    const lines = [
      `SET_PARAMETER ${url} RTSP/1.0`,
      'Content-Type: application/x-wms-extension-cmd',
      'X-Notice: 2101 "End-of-Stream Reached"',
      `RTP-Info: ${rtpInfo}`,
      `Content-Length: ${Buffer.byteLength(body)}`,
      `Date: ${new Date().toUTCString()}`,
      `CSeq: ${++session.serverCseq}`,
      ...(serverName !== null ? [`User-Agent: ${serverName}`] : []),
      `Session: ${session.id}`,
    ];
    socket.write(`${lines.join('\r\n')}\r\n\r\n${body}`);
    for (const setup of session.setups) socket.write(interleave(setup.channel + 1, rtcpBye(setup.ssrc)));
    // A real server would wait for TEARDOWN. FFmpeg never sees an end otherwise: it counts a BYE per SDP media
    // description, and the retransmission stream is never set up over TCP. Closing after the stream is the
    // simulator's choice, so that a client reading "until the end" gets there.
    socket.end();
  }

  function findStream(path: string): { path: string; access: 'ok' | 'auth' } | null {
    const normalized = normalizePath(path);
    const access = streams.get(normalized);
    return access ? { path: normalized, access } : null;
  }

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve());
  });
  const address = server.address();
  if (address === null || typeof address === 'string') throw new Error('RTSP simulator has no TCP address');
  return {
    port: address.port,
    close: () =>
      new Promise<void>((resolve) => {
        for (const socket of sockets) socket.destroy();
        server.close(() => resolve());
      }),
  };
}

function challenge(): string[] {
  // The schemes WMS offers on RTSP; it has no Basic there ([MS-RTSP] X-Accept-Authentication examples).
  return [
    'WWW-Authenticate: Negotiate',
    'WWW-Authenticate: NTLM',
    `WWW-Authenticate: Digest realm="WMServer", nonce="${randomBytes(16).toString('hex')}", qop="auth"`,
  ];
}

function normalizePath(path: string): string {
  const trimmed = path.split('?')[0]!.replace(/\/+$/, '');
  return trimmed.startsWith('/') ? trimmed : `/${trimmed}`;
}

function splitUrl(url: string): { authority: string; path: string } | null {
  const match = /^rtsp:\/\/([^/?#]+)(\/[^?#]*)?/i.exec(url);
  if (!match) return null;
  return { authority: match[1]!, path: (match[2] ?? '/').replace(/\/+$/, '') || '/' };
}

function randomDigits(count: number): string {
  const bytes = randomBytes(count);
  let digits = String((bytes[0]! % 9) + 1);
  for (let index = 1; index < count; index++) digits += String(bytes[index]! % 10);
  return digits;
}

function waitForDrain(socket: net.Socket): Promise<void> {
  return new Promise((resolve) => {
    const done = (): void => {
      socket.off('drain', done);
      socket.off('close', done);
      resolve();
    };
    socket.on('drain', done);
    socket.on('close', done);
  });
}

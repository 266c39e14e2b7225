// The Windows Media HTTP streaming probe ([MS-WMSP], "MMSH"): one Describe request as Windows Media Player 12
// sends it, then the reply's Server header and the first body bytes. A Windows Media server names itself
// Cougar/… or Rex/… and frames its body in $M/$H packets; an ordinary web server does neither, and that is
// exactly the case Windows Media Player reports as 0xC00D2EE8 (docs/protocols.md sec. 0, 3.4).
import { randomUUID } from 'node:crypto';
import {
  describeNonHttpReply,
  headerSafe,
  readHttpReply,
  replyEvidence,
  requestTarget,
  shown,
  type HttpReply,
} from './http';
import { hostHeader, runProbe } from './probe-base';
import { header, headerList, redirectFacts, type ResponseHead } from './response-head';
import type { MmshFacts, ProbeOptions, ProbeResult, ProbeTarget } from './types';

export const MMSH_USER_AGENT = 'NSPlayer/12.0.7680.0';
/** WMP's own Describe pragma (docs/protocols.md sec. 3.1, [WMSP 2.2.2.1] example). */
export const MMSH_DESCRIBE_PRAGMA =
  'no-cache,rate=1.000,stream-time=0,stream-offset=0:0,packet-num=4294967295,max-duration=0';
/** The Supported tokens of WMF 9.5 / Vista and later clients ([WMSP 2.2.1.7]). */
export const MMSH_CLIENT_SUPPORTED =
  'com.microsoft.wm.srvppair, com.microsoft.wm.sswitch, com.microsoft.wm.predstrm, com.microsoft.wm.startupprofile';
/** A WMS head is a dozen short lines; 16 KiB without a blank line is not a WMS. */
export const MMSH_HEAD_LIMIT = 16 * 1024;
/** Framing header (4) + MMS data header (8) + the first 4 bytes of the ASF GUID: enough to recognise $H. */
export const MMSH_BODY_PEEK = 16;

// ---------------------------------------------------------------------------------------------------------
// Request

/**
 * The Describe request (a GET without `xPlayStrm=1`). HTTP/1.0 and `Connection: Close` as WMP's
 * non-pipelined mode; no `packet-pair-experiment`, so a WMS sends no $P packets before its header.
 * `clientGuid` with or without braces.
 */
export function buildMmshDescribe(host: string, port: number, path: string, clientGuid: string): string {
  const guid = clientGuid.replace(/[{}\s]/g, '').replace(/[^0-9A-Fa-f-]/g, '');
  return [
    `GET ${requestTarget(path)} HTTP/1.0`,
    'Accept: */*',
    `User-Agent: ${MMSH_USER_AGENT}`,
    `Host: ${hostHeader(headerSafe(host), port, 80)}`,
    `Pragma: ${MMSH_DESCRIBE_PRAGMA}`,
    `Supported: ${MMSH_CLIENT_SUPPORTED}`,
    `Pragma: xClientGUID={${guid}}`,
    'Connection: Close',
    '',
    '',
  ].join('\r\n');
}

// ---------------------------------------------------------------------------------------------------------
// Body framing [WMSP 2.2.3]

export type WmspPacketType = '$C' | '$D' | '$E' | '$H' | '$M' | '$P' | '$T';

const PACKET_TYPES: Record<number, WmspPacketType> = {
  0x43: '$C',
  0x44: '$D',
  0x45: '$E',
  0x48: '$H',
  0x4d: '$M',
  0x50: '$P',
  0x54: '$T',
};

/** The 8-byte header of an MMS data packet (AF_HEADER_TYPE0) inside $D, $H and $M [WMSP 2.2.3.1.2]. */
export interface MmsDataHeader {
  /** $H/$M: piece number of the object; $D: ASF packet number. */
  locationId: number;
  incarnation: number;
  /** $H/$M: 0x04 first piece, 0x08 last, 0x0C both; $D: a sequence number. */
  afFlags: number;
  /** Size of the MMS data packet including these 8 bytes; should equal PacketLength. */
  packetSize: number;
}

export interface WmspFrame {
  type: WmspPacketType;
  /** The B bit (first byte 0xA4 instead of 0x24): the next packet follows at once. */
  followsImmediately: boolean;
  /** PacketLength: the bytes after the 4-byte framing header. */
  packetLength: number;
  /** For $D/$H/$M when at least 12 bytes are present, else null. */
  dataHeader: MmsDataHeader | null;
  /** The HRESULT of $E/$C (or the size field of $P) when present, else null. */
  reason: number | null;
  /** Where the payload starts, counted from the frame's first byte. */
  payloadOffset: number;
  /** Payload bytes present in the input (fewer than announced when the input was cut short). */
  payloadAvailable: number;
  /** For $H: do the payload bytes present begin like the ASF Header Object GUID? null when none are present. */
  asfHeaderStart: boolean | null;
}

const ASF_HEADER_GUID = Buffer.from('3026b2758e66cf11a6d900aa0062ce6c', 'hex');

/**
 * Reads the framing header at `offset` (layout in docs/protocols.md sec. 3.2): `$`/0xA4, PacketID, PacketLength
 * u16 LE, then for $D/$H/$M the MMS data header, for $E/$C a Reason u32. Null when the bytes are not WMSP
 * framing (fewer than 4 bytes, a wrong frame byte, an unknown PacketID, or a data packet shorter than its
 * own 8-byte header).
 */
export function parseWmspFraming(body: Uint8Array, offset = 0): WmspFrame | null {
  if (!Number.isInteger(offset) || offset < 0 || body.length - offset < 4) return null;
  const bytes = Buffer.from(body.buffer, body.byteOffset + offset, body.length - offset);
  if ((bytes[0]! & 0x7f) !== 0x24) return null;
  const type = PACKET_TYPES[bytes[1]!];
  if (type === undefined) return null;
  const packetLength = bytes.readUInt16LE(2);
  const carriesData = type === '$D' || type === '$H' || type === '$M';
  const carriesReason = type === '$E' || type === '$C' || type === '$P';
  if (carriesData && packetLength < 8) return null;
  let dataHeader: MmsDataHeader | null = null;
  let reason: number | null = null;
  let payloadOffset = 4;
  if (carriesData) {
    payloadOffset = 12;
    if (bytes.length >= 12) {
      dataHeader = {
        locationId: bytes.readUInt32LE(4),
        incarnation: bytes[8]!,
        afFlags: bytes[9]!,
        packetSize: bytes.readUInt16LE(10),
      };
    }
  } else if (carriesReason && packetLength >= 4) {
    payloadOffset = 8;
    if (bytes.length >= 8) reason = bytes.readUInt32LE(4);
  }
  const frameEnd = 4 + packetLength;
  const payloadAvailable = Math.max(0, Math.min(bytes.length, frameEnd) - payloadOffset);
  let asfHeaderStart: boolean | null = null;
  if (type === '$H' && payloadAvailable > 0) {
    const shown = Math.min(payloadAvailable, ASF_HEADER_GUID.length);
    asfHeaderStart = bytes
      .subarray(payloadOffset, payloadOffset + shown)
      .equals(ASF_HEADER_GUID.subarray(0, shown));
  }
  return {
    type,
    followsImmediately: (bytes[0]! & 0x80) !== 0,
    packetLength,
    dataHeader,
    reason,
    payloadOffset,
    payloadAvailable,
    asfHeaderStart,
  };
}

/** Every complete frame in a body, in order, stopping at the first byte that is not framing. */
export function readWmspFrames(body: Uint8Array, maxFrames = 10_000): WmspFrame[] {
  const frames: WmspFrame[] = [];
  let offset = 0;
  while (frames.length < maxFrames) {
    const frame = parseWmspFraming(body, offset);
    if (!frame || offset + 4 + frame.packetLength > body.length) break;
    frames.push(frame);
    offset += 4 + frame.packetLength;
  }
  return frames;
}

// ---------------------------------------------------------------------------------------------------------
// Who answered

/**
 * True for the Server values a Windows Media client accepts ([WMSP 3.1.5.3]: the server-token must be
 * Cougar or Rex): `Cougar/<version>` (Windows Media Services), `Rex/<version>` (Windows Media Encoder,
 * the Format SDK, WMP sharing). Also VideoLAN's `Cougar 4.1.0.3921` (a space instead of the slash,
 * docs/protocols.md sec. 3.3): its token is still "Cougar", VLC sends it precisely so that Windows Media Player
 * plays its MMSH output, so we count it as compatible and name it as VLC in the detail.
 */
export function isWindowsMediaServerHeader(server: string | null): boolean {
  return windowsMediaServerKind(server) !== null;
}

export type WindowsMediaServerKind = 'cougar' | 'rex' | 'vlc-cougar';

export function windowsMediaServerKind(server: string | null): WindowsMediaServerKind | null {
  if (typeof server !== 'string') return null;
  const value = server.trim();
  if (/^Cougar\/\d/i.test(value)) return 'cougar';
  if (/^Rex\/\d/i.test(value)) return 'rex';
  if (/^Cougar \d/i.test(value)) return 'vlc-cougar';
  return null;
}

/** The product behind a Cougar/Rex version ([WMSP <43>]). */
export function describeWindowsMediaServer(announced: string): string {
  const kind = windowsMediaServerKind(announced);
  const server = shown(announced.trim());
  if (kind === 'vlc-cougar')
    return `VLC's MMSH streaming output (it sends "${server}", imitating Windows Media Services 4.1)`;
  if (kind === 'rex') return `a Windows Media live encoder or player acting as server (${server})`;
  const version = /^Cougar\/(\d+)\.(\d+)/i.exec(announced.trim());
  const release = version ? `${Number(version[1])}.${Number(version[2])}` : '';
  const windows: Record<string, string> = {
    '4.0': 'Windows NT 4.0',
    '4.1': 'Windows 2000 Server',
    '9.0': 'Windows Server 2003',
    '9.1': 'Windows Server 2003 SP1',
    '9.5': 'Windows Server 2008',
    '9.6': 'Windows Server 2008 R2',
  };
  const on = windows[release];
  return on ? `Windows Media Services on ${on} (${server})` : `a Windows Media streaming server (${server})`;
}

function genericServerName(server: string | null): string {
  if (server === null || server.trim() === '') return 'it sends no Server header';
  return shown(server.trim());
}

function features(head: ResponseHead): string | null {
  const pragma = headerList(head, 'pragma') ?? '';
  const match = /\bfeatures\s*=\s*(?:"([^"]*)"|([^,\s]+))/i.exec(pragma);
  const value = match ? (match[1] ?? match[2] ?? null) : null;
  return value === null ? null : value.slice(0, 200);
}

/** What a Windows Media server's status means for the stream, in words. */
function wmsOutcome(head: ResponseHead, framing: MmshFacts['framing'], contentType: string | null): string {
  const status = head.status;
  const what = contentType === null ? 'no Content-Type' : shown(contentType, 80);
  if (status >= 200 && status < 300) {
    return framing
      ? `answered ${status} with ${what} and the stream's ASF header (${framing === '$M' ? '$M then $H' : '$H'} framing): the stream exists and is offered over HTTP`
      : `answered ${status} with ${what}, but the body did not start with Windows Media framing`;
  }
  if (status === 401 || status === 407) {
    const schemes = headerList(head, status === 401 ? 'www-authenticate' : 'proxy-authenticate');
    return `asks for credentials (${status}${schemes ? `; ${shown(schemes)}` : ''}): Windows Media Player will prompt for a user name and password`;
  }
  if (status === 404)
    return 'answered 404: the server is there, but it has no publishing point or file at this path';
  if (status === 403) return 'refused access to this path (403)';
  if (status >= 300 && status < 400) {
    const location = header(head, 'location');
    return `redirects (${status}) to ${location === null ? 'an unnamed location' : shown(location, 300)}`;
  }
  if (status >= 500) return `reported a server error (${`${status} ${shown(head.reason, 60)}`.trim()})`;
  return `answered ${status} ${shown(head.reason, 60)}`.trim();
}

export interface MmshVerdict {
  speaks: boolean;
  facts: MmshFacts;
  detail: string;
}

/** Pure: the verdict on an HTTP reply to our Describe, from its head and first body bytes. */
export function judgeMmshReply(head: ResponseHead, body: Uint8Array): MmshVerdict {
  const server = header(head, 'server');
  const contentType = header(head, 'content-type');
  const frame = parseWmspFraming(body);
  const framing =
    frame && (frame.type === '$M' || (frame.type === '$H' && frame.asfHeaderStart !== false))
      ? frame.type
      : null;
  const windowsMediaServer = isWindowsMediaServerHeader(server);
  const facts: MmshFacts = { windowsMediaServer, contentType, framing, features: features(head) };
  if (windowsMediaServer) {
    return {
      speaks: true,
      facts,
      detail: `${describeWindowsMediaServer(server!.trim())} ${wmsOutcome(head, framing, contentType)}`,
    };
  }
  if (framing) {
    return {
      speaks: true,
      facts,
      detail:
        `a server that sends Windows Media framing (${framing}) but calls itself "${genericServerName(server)}" answered ${head.status}; ` +
        'Windows Media Player checks the Server header for Cougar/Rex and may still refuse it as incompatible (0xC00D2EE8)',
    };
  }
  const iis = /^Microsoft-(IIS|HTTPAPI)\//i.test(server ?? '')
    ? ' (IIS / HTTP.sys holds this port, so Windows Media Services cannot stream HTTP on it)'
    : '';
  const location = head.status >= 300 && head.status < 400 ? header(head, 'location') : null;
  const redirect = location ? ` (a redirect to ${shown(location, 120)})` : '';
  return {
    speaks: false,
    facts,
    detail:
      `an ordinary web server (${genericServerName(server)}) answered ${head.status}${redirect} with ${contentType === null ? 'no Content-Type' : shown(contentType, 80)}; ` +
      `it is not a Windows Media streaming server${iis} — this is what Windows Media Player reports as 0xC00D2EE8`,
  };
}

// ---------------------------------------------------------------------------------------------------------
// The probe

export function probeMmsh(target: ProbeTarget, options: ProbeOptions): Promise<ProbeResult> {
  return runProbe(
    'mmsh',
    target,
    // A chunk may carry more than the peek; the connection drops the rest and stops reading.
    { ...options, maxBytes: MMSH_HEAD_LIMIT + MMSH_BODY_PEEK },
    async ({ connection }) => {
      const request = buildMmshDescribe(target.host, target.port, target.path, randomUUID().toUpperCase());
      connection.write(request);
      const reply: HttpReply = await readHttpReply(connection, {
        headLimit: MMSH_HEAD_LIMIT,
        bodyLimit: MMSH_BODY_PEEK,
        bodyLimitEnding: 'complete',
      });
      const evidence = { sent: request, received: replyEvidence(reply, MMSH_BODY_PEEK) };
      const head = reply.head;
      if (!head || head.protocol !== 'HTTP') {
        return {
          speaks: false,
          server: head ? header(head, 'server') : null,
          status: null,
          detail: describeNonHttpReply(reply, target.port, options.timeoutMs, MMSH_HEAD_LIMIT),
          replyKind: reply.replyKind,
          ending: reply.ending,
          evidence,
        };
      }
      const verdict = judgeMmshReply(head, reply.body);
      const redirect = redirectFacts(
        head,
        `http://${hostHeader(headerSafe(target.host), target.port, 80)}${requestTarget(target.path)}`,
      );
      return {
        speaks: verdict.speaks,
        server: header(head, 'server'),
        status: head.status,
        detail: verdict.detail,
        replyKind: reply.replyKind,
        ending: reply.ending,
        evidence,
        mmsh: verdict.facts,
        ...(redirect ? { redirect } : {}),
      };
    },
  );
}

// MMS over TCP (port 1755) on the wire: pure builders and parsers for the TcpMessageHeader, the MMS messages a
// client and a server exchange, and the Data packets that carry ASF. Byte layouts: docs/protocols.md sec. 1 and
// [MS-MMSP] 2.2 (all integers little-endian). Parsers never throw: bytes that do not fit give null or 'invalid'.

export const MMS_SESSION_ID = 0xb00bface;
/** "MMS " as a little-endian u32 [docs/protocols.md 1.1]. */
export const MMS_SEAL = 0x20534d4d;
export const TCP_MESSAGE_HEADER_BYTES = 32;
/** Data packet header: LocationId u32, playIncarnation u8, AFFlags u8, PacketSize u16 [MMSP 2.2.2]. */
export const DATA_PACKET_HEADER_BYTES = 8;
/**
 * Largest command frame we accept. No real message comes near it (the largest, LinkViewerToMacLogging, is about
 * 1.5 KB [MMSP 2.2.4.20]); a larger messageLength is a lie we refuse instead of waiting for it.
 */
export const MAX_COMMAND_FRAME_BYTES = 64 * 1024;

/** Message IDs: high 16 bits 0x0003 = client→server, 0x0004 = server→client [docs/protocols.md 1.2]. */
export const MID = {
  connect: 0x00030001,
  connectFunnel: 0x00030002,
  openFile: 0x00030005,
  startPlaying: 0x00030007,
  stopPlaying: 0x00030009,
  closeFile: 0x0003000d,
  readBlock: 0x00030015,
  funnelInfo: 0x00030018,
  securityResponse: 0x0003001a,
  pong: 0x0003001b,
  cancelReadBlock: 0x00030025,
  startStriding: 0x00030028,
  logging: 0x00030032,
  streamSwitch: 0x00030033,
  reportConnectedEx: 0x00040001,
  reportConnectedFunnel: 0x00040002,
  reportDisconnectedFunnel: 0x00040003,
  reportStartedPlaying: 0x00040005,
  reportOpenFile: 0x00040006,
  reportStartStriding: 0x0004000a,
  reportReadBlock: 0x00040011,
  reportFunnelInfo: 0x00040015,
  securityChallenge: 0x0004001a,
  ping: 0x0004001b,
  reportEndOfStream: 0x0004001e,
  reportStreamChange: 0x00040020,
  reportStreamSwitch: 0x00040021,
  reportRedirect: 0x00040022,
} as const;

export type MidName = keyof typeof MID;

/** playIncarnation values of the connect handshake [MMSP 2.2.4.17, 2.2.4.2]. */
export const NO_PACKET_PAIR = 0xf0f0f0ef;
export const USE_PACKET_PAIR = 0xf0f0f0f0;
const MAC_TO_VIEWER_REVISION = 0x0004000b;
const VIEWER_TO_MAC_REVISION = 0x0003001c;
const DEFAULT_MAX_BIT_RATE = 0x00989680;

/** fileAttributes flags of ReportOpenFile [MMSP 2.2.4.7]. */
export const FILE_ATTRIBUTE = {
  canStride: 0x00800000,
  canSeek: 0x01000000,
  broadcast: 0x02000000,
  live: 0x04000000,
  playlist: 0x40000000,
} as const;

/** AFFlags of Data packets that carry the ASF file header [docs/protocols.md 1.5; WS tcp_flags_vals]. */
export const HEADER_FLAGS = { firstOfMany: 0x04, lastOfMany: 0x08, only: 0x0c } as const;

// ---------------------------------------------------------------------------------------------------------
// Building

/** UTF-16LE with the terminating NUL the MMS strings carry. NULs inside the text would end it early: dropped. */
export function utf16z(text: string): Buffer {
  return Buffer.from(`${text.replace(/\0/g, '')}\0`, 'utf16le');
}

function u32(...values: number[]): Buffer {
  const bytes = Buffer.alloc(values.length * 4);
  values.forEach((value, index) => bytes.writeUInt32LE(value >>> 0, index * 4));
  return bytes;
}

function u64(value: number): Buffer {
  const bytes = Buffer.alloc(8);
  bytes.writeBigUInt64LE(BigInt(Math.max(0, Math.floor(value))), 0);
  return bytes;
}

function f64(value: number): Buffer {
  const bytes = Buffer.alloc(8);
  bytes.writeDoubleLE(value, 0);
  return bytes;
}

/**
 * One MMS message in its TcpMessageHeader. `body` is what follows chunkLen and MID. The message is padded to a
 * multiple of 8; chunkCount is messageLength/8, as FFmpeg, VLC and nmap write it (the spec's wording differs,
 * docs/protocols.md 1.1 note). timeSent is 0: receivers ignore it [MMSP 2.2.3].
 */
export function buildCommand(mid: number, body: Uint8Array, sequence: number): Buffer {
  const unpadded = 8 + body.length;
  const messageBytes = Math.ceil(unpadded / 8) * 8;
  const packet = Buffer.alloc(TCP_MESSAGE_HEADER_BYTES + messageBytes);
  packet[0] = 0x01; // rep; version, versionMinor and padding stay 0
  packet.writeUInt32LE(MMS_SESSION_ID, 4);
  packet.writeUInt32LE(messageBytes + 16, 8); // messageLength = total − 16
  packet.writeUInt32LE(MMS_SEAL, 12);
  packet.writeUInt32LE((messageBytes + 16) / 8, 16); // chunkCount
  packet.writeUInt16LE(sequence & 0xffff, 20); // seq; MBZ and timeSent stay 0
  packet.writeUInt32LE(messageBytes / 8, 32); // chunkLen
  packet.writeUInt32LE(mid >>> 0, 36);
  packet.set(body, 40);
  return packet;
}

/** `NSPlayer/9.0.0.2980; {GUID}; Host: <host>` [MMSP 2.2.4.17 ABNF]; the version is WMF 9's, as nmap sends. */
export function subscriberNameFor(host: string, guid: string): string {
  const bareGuid = guid.replace(/^\{|\}$/g, '');
  // Controls (NUL above all) would end or corrupt the string; the host comes from user input.
  const safeHost = host.replace(/\p{Cc}/gu, '');
  return `NSPlayer/9.0.0.2980; {${bareGuid}}; Host: ${safeHost}`;
}

export function buildLinkViewerToMacConnect(options: {
  sequence: number;
  playIncarnation: number;
  subscriberName: string;
}): Buffer {
  const body = Buffer.concat([
    u32(options.playIncarnation, MAC_TO_VIEWER_REVISION, VIEWER_TO_MAC_REVISION),
    utf16z(options.subscriberName),
  ]);
  return buildCommand(MID.connect, body, options.sequence);
}

export function buildFunnelInfo(options: { sequence: number; playIncarnation?: number }): Buffer {
  return buildCommand(MID.funnelInfo, u32(options.playIncarnation ?? NO_PACKET_PAIR), options.sequence);
}

/** funnelName `\\<ip>\TCP\<port>`; the server SHOULD ignore the address [MMSP 2.2.4.18, 3.2.5.5]. */
export function buildConnectFunnel(options: { sequence: number; funnelName: string }): Buffer {
  // playIncarnation 0, maxBlockBytes, maxFunnelBytes, maxBitRate, funnelMode 2.
  const body = Buffer.concat([u32(0, 0xffffffff, 0, DEFAULT_MAX_BIT_RATE, 2), utf16z(options.funnelName)]);
  return buildCommand(MID.connectFunnel, body, options.sequence);
}

/** What OpenFile's fileName is for a URL path: no leading "/", no %-encoding [MMSP 2.2.4.21]. */
export function openFileName(urlPath: string): string {
  const withoutSlash = urlPath.replace(/^\/+/, '');
  try {
    return decodeURIComponent(withoutSlash);
  } catch {
    return withoutSlash;
  }
}

/** OpenFile for `path` (already without the leading "/"). playIncarnation 9 is the spec's default [MMSP 3.1.1]. */
export function buildOpenFile(options: { sequence: number; path: string; playIncarnation?: number }): Buffer {
  // playIncarnation, spare, token 0 and cbtoken 0 (no credentials), fileName.
  const body = Buffer.concat([u32(options.playIncarnation ?? 9, 0, 0, 0), utf16z(options.path)]);
  return buildCommand(MID.openFile, body, options.sequence);
}

export function buildReadBlock(options: {
  sequence: number;
  openFileId: number;
  playIncarnation: number;
}): Buffer {
  // openFileId, fileBlockId 0, offset 0, length 0x8000, flags, padding, tEarliest 0, tDeadline 3600,
  // playIncarnation, playSequence 0 [MMSP 2.2.4.23].
  const body = Buffer.concat([
    u32(options.openFileId, 0, 0, 0x8000, 0xffffffff, 0),
    f64(0),
    f64(3600),
    u32(options.playIncarnation, 0),
  ]);
  return buildCommand(MID.readBlock, body, options.sequence);
}

export function buildStartPlaying(options: {
  sequence: number;
  openFileId: number;
  playIncarnation: number;
}): Buffer {
  // openFileId, padding, position 0 s, asfOffset and locationId unused, frameOffset 0 (play to the end).
  const body = Buffer.concat([
    u32(options.openFileId, 0),
    f64(0),
    u32(0xffffffff, 0xffffffff, 0, options.playIncarnation),
  ]);
  return buildCommand(MID.startPlaying, body, options.sequence);
}

export function buildStopPlaying(options: {
  sequence: number;
  openFileId: number;
  playIncarnation: number;
}): Buffer {
  return buildCommand(MID.stopPlaying, u32(options.openFileId, options.playIncarnation), options.sequence);
}

export function buildCloseFile(options: { sequence: number; openFileId: number }): Buffer {
  return buildCommand(MID.closeFile, u32(0, options.openFileId), options.sequence);
}

/** The answer to a server Ping; both parameters SHOULD be 0 [MMSP 2.2.4.22]. */
export function buildPong(options: { sequence: number }): Buffer {
  return buildCommand(MID.pong, u32(0, 0), options.sequence);
}

// Server → client (for the simulator, and for tests that play a server).

export function buildReportConnectedEx(options: {
  sequence: number;
  hr: number;
  playIncarnation?: number;
  serverVersion: string | null;
  authPackage?: string | null;
}): Buffer {
  const strings = [options.serverVersion, null, null, options.authPackage ?? null];
  const encoded = strings.map((text) => (text === null ? Buffer.alloc(0) : utf16z(text)));
  const body = Buffer.concat([
    u32(
      options.hr,
      options.playIncarnation ?? NO_PACKET_PAIR,
      MAC_TO_VIEWER_REVISION,
      VIEWER_TO_MAC_REVISION,
    ),
    f64(1.0), // blockGroupPlayTime
    u32(1, 1, 0x8000, DEFAULT_MAX_BIT_RATE), // blockGroupBlocks, nMaxOpenFiles, nBlockMaxBytes, maxBitRate
    // The counts are UTF-16 code units including the NUL, not bytes [MMSP 2.2.4.2].
    u32(...encoded.map((bytes) => bytes.length / 2)),
    ...encoded,
  ]);
  return buildCommand(MID.reportConnectedEx, body, options.sequence);
}

export function buildReportFunnelInfo(options: { sequence: number; hr?: number; clientId: number }): Buffer {
  // hr, playIncarnation (no packet-pair), transportMask 8, nBlockFragments 1, fragmentBytes 0x10000, nCubs,
  // failedCubs 0, nDisks 1, decluster 0, cubddDatagramSize 0 [MMSP 2.2.4.6].
  const body = u32(options.hr ?? 0, NO_PACKET_PAIR, 8, 1, 0x10000, options.clientId, 0, 1, 0, 0);
  return buildCommand(MID.reportFunnelInfo, body, options.sequence);
}

export function buildReportConnectedFunnel(options: { sequence: number; funnelName?: string }): Buffer {
  const body = Buffer.concat([u32(0, 0, 0), utf16z(options.funnelName ?? 'Funnel Of The Gods')]);
  return buildCommand(MID.reportConnectedFunnel, body, options.sequence);
}

export function buildReportDisconnectedFunnel(options: { sequence: number; hr: number }): Buffer {
  return buildCommand(MID.reportDisconnectedFunnel, u32(options.hr, 0), options.sequence);
}

export interface OpenFileReport {
  hr: number;
  playIncarnation: number;
  openFileId: number;
  fileAttributes: number;
  /** Seconds; 0 for live content. */
  fileDuration: number;
  filePacketSize: number;
  filePacketCount: number;
  fileBitRate: number;
  fileHeaderSize: number;
}

export function buildReportOpenFile(options: { sequence: number } & OpenFileReport): Buffer {
  const body = Buffer.concat([
    u32(options.hr, options.playIncarnation, options.openFileId, 0, 0, options.fileAttributes),
    f64(options.fileDuration),
    u32(Math.ceil(options.fileDuration)), // fileBlocks: the duration rounded up
    Buffer.alloc(16), // unused1
    u32(options.filePacketSize),
    u64(options.filePacketCount),
    u32(options.fileBitRate, options.fileHeaderSize),
    Buffer.alloc(36), // unused2
  ]);
  return buildCommand(MID.reportOpenFile, body, options.sequence);
}

/** A SecurityChallenge; with Basic the token is UTF-16 `realm="…"` + NUL [MMSP 2.2.4.14]. */
export function buildSecurityChallenge(options: {
  sequence: number;
  playIncarnation: number;
  cookie: number;
  realm: string;
}): Buffer {
  const token = utf16z(`realm="${options.realm.replace(/"/g, '')}"`);
  const body = Buffer.concat([u32(options.playIncarnation, options.cookie, token.length), token]);
  return buildCommand(MID.securityChallenge, body, options.sequence);
}

export function buildReportRedirect(options: { sequence: number; hr?: number; location: string }): Buffer {
  const location = utf16z(options.location);
  const head = Buffer.alloc(8);
  head.writeUInt32LE((options.hr ?? 0) >>> 0, 0);
  head.writeUInt16LE(1, 4); // RedirectType 1: another URL
  head.writeUInt16LE(Math.min(location.length, 0xffff), 6); // cbLocation: bytes, NUL included
  return buildCommand(MID.reportRedirect, Buffer.concat([head, location]), options.sequence);
}

export function buildReportReadBlock(options: {
  sequence: number;
  hr?: number;
  playIncarnation: number;
}): Buffer {
  return buildCommand(
    MID.reportReadBlock,
    u32(options.hr ?? 0, options.playIncarnation, 0),
    options.sequence,
  );
}

export function buildReportStreamSwitch(options: { sequence: number; hr?: number }): Buffer {
  return buildCommand(MID.reportStreamSwitch, u32(options.hr ?? 0), options.sequence);
}

export function buildReportStartedPlaying(options: {
  sequence: number;
  hr?: number;
  playIncarnation: number;
  openFileId: number;
}): Buffer {
  // hr, playIncarnation, tigerFileId, unused1, 12 bytes unused2 [MMSP 2.2.4.10].
  const body = u32(options.hr ?? 0, options.playIncarnation, options.openFileId, 0, 0, 0, 0);
  return buildCommand(MID.reportStartedPlaying, body, options.sequence);
}

export function buildReportStartStriding(options: {
  sequence: number;
  hr: number;
  playIncarnation: number;
}): Buffer {
  return buildCommand(MID.reportStartStriding, u32(options.hr, options.playIncarnation, 0), options.sequence);
}

export function buildReportEndOfStream(options: {
  sequence: number;
  hr?: number;
  playIncarnation: number;
}): Buffer {
  return buildCommand(MID.reportEndOfStream, u32(options.hr ?? 0, options.playIncarnation), options.sequence);
}

export function buildPing(options: { sequence: number }): Buffer {
  return buildCommand(MID.ping, u32(0, 0), options.sequence);
}

/** A Data packet: no TcpMessageHeader, just the 8-byte header and the payload [MMSP 2.2.2]. */
export function buildDataPacket(options: {
  locationId: number;
  playIncarnation: number;
  afFlags: number;
  payload: Uint8Array;
}): Buffer {
  const packet = Buffer.alloc(DATA_PACKET_HEADER_BYTES + options.payload.length);
  packet.writeUInt32LE(options.locationId >>> 0, 0);
  packet[4] = options.playIncarnation & 0xff;
  packet[5] = options.afFlags & 0xff;
  packet.writeUInt16LE(packet.length & 0xffff, 6);
  packet.set(options.payload, DATA_PACKET_HEADER_BYTES);
  return packet;
}

// ---------------------------------------------------------------------------------------------------------
// Receiving

export type FrameRead =
  | { kind: 'command'; mid: number; length: number; frame: Buffer }
  | {
      kind: 'data';
      length: number;
      locationId: number;
      playIncarnation: number;
      afFlags: number;
      payload: Buffer;
    }
  | { kind: 'incomplete' }
  | { kind: 'invalid'; reason: string };

/**
 * What the buffer starts with, by the receive rule of docs/protocols.md 1.1: the session id at offset 4 marks a
 * TcpMessageHeader (its messageLength at 8 says how much follows), anything else is a Data packet whose PacketSize
 * (u16 at 6) is its total size. Only complete frames are returned; lengths are checked before any waiting.
 */
export function readCommandFrame(buffer: Uint8Array): FrameRead {
  if (buffer.length < 8) return { kind: 'incomplete' };
  const bytes = Buffer.from(buffer.buffer, buffer.byteOffset, buffer.length);
  if (bytes.readUInt32LE(4) !== MMS_SESSION_ID) {
    const packetSize = bytes.readUInt16LE(6);
    if (packetSize < DATA_PACKET_HEADER_BYTES) {
      return {
        kind: 'invalid',
        reason: `a data packet claims ${packetSize} bytes, less than its own 8-byte header`,
      };
    }
    if (bytes.length < packetSize) return { kind: 'incomplete' };
    return {
      kind: 'data',
      length: packetSize,
      locationId: bytes.readUInt32LE(0),
      playIncarnation: bytes[4]!,
      afFlags: bytes[5]!,
      payload: bytes.subarray(DATA_PACKET_HEADER_BYTES, packetSize),
    };
  }
  if (bytes.length < 16) return { kind: 'incomplete' };
  const total = bytes.readUInt32LE(8) + 16;
  if (total < TCP_MESSAGE_HEADER_BYTES + 8) {
    return { kind: 'invalid', reason: `a command claims ${total} bytes, too short to hold a message` };
  }
  if (total > MAX_COMMAND_FRAME_BYTES) {
    return { kind: 'invalid', reason: `a command claims ${total} bytes, far more than any MMS message` };
  }
  if (bytes.readUInt32LE(12) !== MMS_SEAL)
    return { kind: 'invalid', reason: 'the command lacks the "MMS " seal' };
  if (bytes.length < total) return { kind: 'incomplete' };
  return { kind: 'command', mid: bytes.readUInt32LE(36), length: total, frame: bytes.subarray(0, total) };
}

/** A frame of at least `minLength` bytes carrying `mid`, or null. */
function frameWith(frame: Uint8Array, mid: number, minLength: number): Buffer | null {
  if (frame.length < Math.max(minLength, 40)) return null;
  const bytes = Buffer.from(frame.buffer, frame.byteOffset, frame.length);
  return bytes.readUInt32LE(36) === mid ? bytes : null;
}

/**
 * UTF-16LE text of `byteLength` bytes from `start`, clipped to the frame (a count that points past it is a lie we
 * do not follow), cut at the first NUL, controls removed, at most 256 characters. Null when nothing is there.
 */
function utf16Text(frame: Buffer, start: number, byteLength: number): string | null {
  if (start >= frame.length || byteLength <= 0) return null;
  const end = Math.min(frame.length, start + byteLength);
  const evenEnd = start + Math.floor((end - start) / 2) * 2;
  const text = frame.toString('utf16le', start, evenEnd).split('\0', 1)[0] ?? '';
  // Control characters and lone surrogate halves out: this text ends up in sentences and reports.
  const clean = text.replace(/[\p{Cc}\p{Cs}]/gu, '').slice(0, 256);
  return clean.length > 0 ? clean : null;
}

/** The hr at packet offset 40 that most server messages carry, when the frame is long enough. */
export function messageHr(frame: Uint8Array): number | null {
  if (frame.length < 44) return null;
  return Buffer.from(frame.buffer, frame.byteOffset, frame.length).readUInt32LE(40);
}

export interface ConnectedEx {
  hr: number;
  playIncarnation: number;
  /** ServerVersionInfo, e.g. "9.01.01.3814". */
  serverVersion: string | null;
  versionInfo: string | null;
  versionUrl: string | null;
  /** "NTLM" / "BASIC" when the server may ask for credentials. */
  authPackage: string | null;
}

/** LinkMacToViewerReportConnectedEX [docs/protocols.md 1.4]: fixed part to offset 96, then four counted strings. */
export function parseReportConnectedEx(frame: Uint8Array): ConnectedEx | null {
  const bytes = frameWith(frame, MID.reportConnectedEx, 96);
  if (!bytes) return null;
  const strings: (string | null)[] = [];
  let offset = 96;
  for (let index = 0; index < 4; index++) {
    // Counts are UTF-16 code units including the NUL; strings sit back to back.
    const byteLength = bytes.readUInt32LE(80 + index * 4) * 2;
    strings.push(utf16Text(bytes, offset, byteLength));
    offset += byteLength;
  }
  return {
    hr: bytes.readUInt32LE(40),
    playIncarnation: bytes.readUInt32LE(44),
    serverVersion: strings[0] ?? null,
    versionInfo: strings[1] ?? null,
    versionUrl: strings[2] ?? null,
    authPackage: strings[3] ?? null,
  };
}

export function parseReportFunnelInfo(frame: Uint8Array): { hr: number; clientId: number | null } | null {
  const bytes = frameWith(frame, MID.reportFunnelInfo, 44);
  if (!bytes) return null;
  return { hr: bytes.readUInt32LE(40), clientId: bytes.length >= 64 ? bytes.readUInt32LE(60) : null };
}

export function parseReportConnectedFunnel(
  frame: Uint8Array,
): { hr: number; funnelName: string | null } | null {
  const bytes = frameWith(frame, MID.reportConnectedFunnel, 44);
  if (!bytes) return null;
  return { hr: bytes.readUInt32LE(40), funnelName: utf16Text(bytes, 52, bytes.length - 52) };
}

export function parseReportDisconnectedFunnel(frame: Uint8Array): { hr: number } | null {
  const bytes = frameWith(frame, MID.reportDisconnectedFunnel, 44);
  return bytes ? { hr: bytes.readUInt32LE(40) } : null;
}

export interface OpenFileReply {
  hr: number;
  playIncarnation: number;
  openFileId: number;
  /** The rest of the report, when the frame holds it (an error reply may be cut short by a lenient server). */
  file: {
    attributes: number;
    broadcast: boolean;
    live: boolean;
    durationSeconds: number;
    packetSize: number;
    packetCount: number;
    bitRate: number;
    headerSize: number;
  } | null;
}

/** LinkMacToViewerReportOpenFile [docs/protocols.md 1.5 table; MMSP 2.2.4.7]. */
export function parseReportOpenFile(frame: Uint8Array): OpenFileReply | null {
  const bytes = frameWith(frame, MID.reportOpenFile, 44);
  if (!bytes) return null;
  const attributes = bytes.length >= 64 ? bytes.readUInt32LE(60) : 0;
  return {
    hr: bytes.readUInt32LE(40),
    playIncarnation: bytes.length >= 48 ? bytes.readUInt32LE(44) : 0,
    openFileId: bytes.length >= 52 ? bytes.readUInt32LE(48) : 0,
    file:
      bytes.length >= 112
        ? {
            attributes,
            broadcast: (attributes & FILE_ATTRIBUTE.broadcast) !== 0,
            live: (attributes & FILE_ATTRIBUTE.live) !== 0,
            durationSeconds: bytes.readDoubleLE(64),
            packetSize: bytes.readUInt32LE(92),
            packetCount: Number(bytes.readBigUInt64LE(96)),
            bitRate: bytes.readUInt32LE(104),
            headerSize: bytes.readUInt32LE(108),
          }
        : null,
  };
}

/** LinkMacToViewerReportRedirect: hr, RedirectType u16, cbLocation u16 (bytes), location [MMSP 2.2.4.9]. */
export function parseReportRedirect(
  frame: Uint8Array,
): { hr: number; redirectType: number; location: string | null } | null {
  const bytes = frameWith(frame, MID.reportRedirect, 48);
  if (!bytes) return null;
  return {
    hr: bytes.readUInt32LE(40),
    redirectType: bytes.readUInt16LE(44),
    location: utf16Text(bytes, 48, bytes.readUInt16LE(46)),
  };
}

export interface SecurityChallenge {
  playIncarnation: number;
  cookie: number;
  /** NTLM tokens start with two zero bytes; Basic ones are UTF-16 `realm="…"` [MMSP 2.2.4.14]. */
  scheme: 'basic' | 'ntlm' | 'unknown';
  realm: string | null;
}

export function parseSecurityChallenge(frame: Uint8Array): SecurityChallenge | null {
  const bytes = frameWith(frame, MID.securityChallenge, 52);
  if (!bytes) return null;
  const tokenBytes = Math.min(bytes.readUInt32LE(48), bytes.length - 52);
  const base = { playIncarnation: bytes.readUInt32LE(40), cookie: bytes.readUInt32LE(44) };
  if (tokenBytes >= 2 && bytes[52] === 0 && bytes[53] === 0) return { ...base, scheme: 'ntlm', realm: null };
  const text = utf16Text(bytes, 52, tokenBytes) ?? '';
  const realm = /realm="?([^"]*)"?/i.exec(text);
  return realm
    ? { ...base, scheme: 'basic', realm: realm[1] ?? '' }
    : { ...base, scheme: 'unknown', realm: null };
}

export function parseReportReadBlock(frame: Uint8Array): { hr: number; playIncarnation: number } | null {
  const bytes = frameWith(frame, MID.reportReadBlock, 48);
  return bytes ? { hr: bytes.readUInt32LE(40), playIncarnation: bytes.readUInt32LE(44) } : null;
}

export function parseReportStartedPlaying(frame: Uint8Array): { hr: number; playIncarnation: number } | null {
  const bytes = frameWith(frame, MID.reportStartedPlaying, 48);
  return bytes ? { hr: bytes.readUInt32LE(40), playIncarnation: bytes.readUInt32LE(44) } : null;
}

export function parseReportEndOfStream(frame: Uint8Array): { hr: number; playIncarnation: number } | null {
  const bytes = frameWith(frame, MID.reportEndOfStream, 48);
  return bytes ? { hr: bytes.readUInt32LE(40), playIncarnation: bytes.readUInt32LE(44) } : null;
}

// Client → server (what the simulator reads).

export function parseConnect(
  frame: Uint8Array,
): { playIncarnation: number; subscriberName: string | null } | null {
  const bytes = frameWith(frame, MID.connect, 52);
  if (!bytes) return null;
  return { playIncarnation: bytes.readUInt32LE(40), subscriberName: utf16Text(bytes, 52, bytes.length - 52) };
}

export function parseFunnelInfo(frame: Uint8Array): { playIncarnation: number } | null {
  const bytes = frameWith(frame, MID.funnelInfo, 44);
  return bytes ? { playIncarnation: bytes.readUInt32LE(40) } : null;
}

export function parseConnectFunnel(
  frame: Uint8Array,
): { funnelMode: number; funnelName: string | null; transport: 'TCP' | 'UDP' | null } | null {
  const bytes = frameWith(frame, MID.connectFunnel, 60);
  if (!bytes) return null;
  const funnelName = utf16Text(bytes, 60, bytes.length - 60);
  const transport = /\\(TCP|UDP)\\\d{1,5}$/i.exec(funnelName ?? '')?.[1]?.toUpperCase() ?? null;
  return { funnelMode: bytes.readUInt32LE(56), funnelName, transport: transport as 'TCP' | 'UDP' | null };
}

export function parseOpenFile(
  frame: Uint8Array,
): { playIncarnation: number; fileName: string; tokenBytes: number } | null {
  const bytes = frameWith(frame, MID.openFile, 56);
  if (!bytes) return null;
  return {
    playIncarnation: bytes.readUInt32LE(40),
    fileName: utf16Text(bytes, 56, bytes.length - 56) ?? '',
    tokenBytes: bytes.readUInt32LE(52),
  };
}

export function parseReadBlock(frame: Uint8Array): { openFileId: number; playIncarnation: number } | null {
  const bytes = frameWith(frame, MID.readBlock, 88);
  return bytes ? { openFileId: bytes.readUInt32LE(40), playIncarnation: bytes.readUInt32LE(80) } : null;
}

export function parseStartPlaying(frame: Uint8Array): { openFileId: number; playIncarnation: number } | null {
  const bytes = frameWith(frame, MID.startPlaying, 72);
  return bytes ? { openFileId: bytes.readUInt32LE(40), playIncarnation: bytes.readUInt32LE(68) } : null;
}

export function parseStopPlaying(frame: Uint8Array): { openFileId: number; playIncarnation: number } | null {
  const bytes = frameWith(frame, MID.stopPlaying, 48);
  return bytes ? { openFileId: bytes.readUInt32LE(40), playIncarnation: bytes.readUInt32LE(44) } : null;
}

/** StreamSwitch entries (source, destination, thinning), as many as the count says and the frame holds. */
export function parseStreamSwitch(
  frame: Uint8Array,
): { entries: { source: number; destination: number; thinning: number }[] } | null {
  const bytes = frameWith(frame, MID.streamSwitch, 44);
  if (!bytes) return null;
  const count = Math.min(bytes.readUInt32LE(40), Math.floor((bytes.length - 44) / 6));
  const entries = Array.from({ length: count }, (_, index) => ({
    source: bytes.readUInt16LE(44 + index * 6),
    destination: bytes.readUInt16LE(46 + index * 6),
    thinning: bytes.readUInt16LE(48 + index * 6),
  }));
  return { entries };
}

// ---------------------------------------------------------------------------------------------------------
// Words

const MID_NAMES = new Map<number, string>(
  Object.entries(MID).map(([name, value]) => [value, name.charAt(0).toUpperCase() + name.slice(1)]),
);

export function hex32(value: number): string {
  return `0x${(value >>> 0).toString(16).toUpperCase().padStart(8, '0')}`;
}

/** "ReportOpenFile (0x00040006)", or just the number for an unknown MID. */
export function describeMid(mid: number): string {
  const name = MID_NAMES.get(mid >>> 0);
  return name ? `${name} (${hex32(mid)})` : hex32(mid);
}

/** HRESULTs an MMS server answers with, named as in [MS-ERREF] / Wireshark's table [docs/protocols.md 1.5]. */
const HR_NAMES = new Map<number, string>([
  [0xc00d001a, 'NS_E_FILE_NOT_FOUND: file not found'],
  [0xc00d2efc, 'NS_E_RESOURCE_GONE: publishing point or file no longer available'],
  [0xc00d145a, 'NS_E_PUBLISHING_POINT_REMOVED: publishing point removed'],
  [0xc00d145e, 'NS_E_PUBLISHING_POINT_STOPPED: publishing point stopped'],
  [0x80070002, 'file not found'],
  [0x80070003, 'path not found'],
  [0xc00d000e, 'NS_E_NETWORK_BUSY: network busy'],
  [0xc00d000f, 'NS_E_TOO_MANY_SESS: server session limit exceeded'],
  [0xc00d0013, 'NS_E_TIMEOUT: the server could not answer in time'],
  [0xc00d0029, 'NS_E_CONNECTION_FAILURE: network connection failed'],
  [0xc00d2efb, 'NS_E_SERVER_ACCESSDENIED: the server denies access'],
  [0x80070005, 'E_ACCESSDENIED: access denied'],
  [0x80070057, 'E_INVALIDARG: bad parameter'],
  [0x8000ffff, 'E_UNEXPECTED: failed to open'],
]);

/**
 * hrs that mean "no such file or publishing point". 0xC00D001A is what servers send for a bad path [MMSP 3.2.5.6,
 * WS]; the others name a removed or stopped publishing point, or are the Win32 not-found codes as HRESULTs [INF].
 */
const NOT_FOUND_HRS = new Set([0xc00d001a, 0xc00d2efc, 0xc00d145a, 0xc00d145e, 0x80070002, 0x80070003]);

export function isNotFoundHr(hr: number): boolean {
  return NOT_FOUND_HRS.has(hr >>> 0);
}

/** "0xC00D001A (NS_E_FILE_NOT_FOUND: file not found)". */
export function describeHr(hr: number): string {
  const name = HR_NAMES.get(hr >>> 0);
  return name ? `${hex32(hr)} (${name})` : hex32(hr);
}

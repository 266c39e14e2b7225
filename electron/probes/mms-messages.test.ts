// Byte-exact against hand-built examples of the layouts in docs/protocols.md sec. 1 ([MS-MMSP] 2.2.3, 2.2.4), round trips for the rest, and property tests: no
// parser throws on random, truncated or corrupted bytes, and every answer has one of the declared shapes.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  FILE_ATTRIBUTE,
  MAX_COMMAND_FRAME_BYTES,
  MID,
  buildCommand,
  buildConnectFunnel,
  buildDataPacket,
  buildFunnelInfo,
  buildLinkViewerToMacConnect,
  buildOpenFile,
  buildPing,
  buildPong,
  buildReadBlock,
  buildReportConnectedEx,
  buildReportConnectedFunnel,
  buildReportDisconnectedFunnel,
  buildReportEndOfStream,
  buildReportFunnelInfo,
  buildReportOpenFile,
  buildReportReadBlock,
  buildReportRedirect,
  buildReportStartedPlaying,
  buildReportStreamSwitch,
  buildSecurityChallenge,
  buildStartPlaying,
  buildStopPlaying,
  buildCloseFile,
  describeHr,
  describeMid,
  isNotFoundHr,
  messageHr,
  openFileName,
  parseConnect,
  parseConnectFunnel,
  parseFunnelInfo,
  parseOpenFile,
  parseReadBlock,
  parseReportConnectedEx,
  parseReportConnectedFunnel,
  parseReportDisconnectedFunnel,
  parseReportEndOfStream,
  parseReportFunnelInfo,
  parseReportOpenFile,
  parseReportReadBlock,
  parseReportRedirect,
  parseReportStartedPlaying,
  parseSecurityChallenge,
  parseStartPlaying,
  parseStopPlaying,
  parseStreamSwitch,
  readCommandFrame,
  subscriberNameFor,
  type FrameRead,
} from './mms-messages';

/** Hex as a dump prints it (offsets and comments left out), to bytes. */
function hex(text: string): Buffer {
  return Buffer.from(text.replace(/\s+/g, ''), 'hex');
}

// LinkViewerToMacConnect as docs/protocols.md 1.3 lays it out, for host `wms.example` (216 bytes).
const CONNECT_EXAMPLE = hex(`
  01 00 00 00 ce fa 0b b0 c8 00 00 00 4d 4d 53 20
  19 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00
  17 00 00 00 01 00 03 00 ef f0 f0 f0 0b 00 04 00
  1c 00 03 00 4e 00 53 00 50 00 6c 00 61 00 79 00
  65 00 72 00 2f 00 39 00 2e 00 30 00 2e 00 30 00
  2e 00 32 00 39 00 38 00 30 00 3b 00 20 00 7b 00
  33 00 33 00 30 00 30 00 41 00 44 00 35 00 30 00
  2d 00 32 00 43 00 33 00 39 00 2d 00 34 00 36 00
  43 00 30 00 2d 00 41 00 45 00 30 00 41 00 2d 00
  36 00 30 00 45 00 33 00 43 00 30 00 42 00 38 00
  45 00 33 00 41 00 30 00 7d 00 3b 00 20 00 48 00
  6f 00 73 00 74 00 3a 00 20 00 77 00 6d 00 73 00
  2e 00 65 00 78 00 61 00 6d 00 70 00 6c 00 65 00
  00 00 00 00 00 00 00 00
`);

// ReportConnectedEX as docs/protocols.md 1.4 lays it out: version 9.01.01.3814, NTLM (136 bytes).
const CONNECTED_EX_EXAMPLE = hex(`
  01 00 00 00 ce fa 0b b0 78 00 00 00 4d 4d 53 20
  0f 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00
  0d 00 00 00 01 00 04 00 00 00 00 00 ef f0 f0 f0
  0b 00 04 00 1c 00 03 00 00 00 00 00 00 00 f0 3f
  01 00 00 00 01 00 00 00 00 80 00 00 80 96 98 00
  0d 00 00 00 00 00 00 00 00 00 00 00 05 00 00 00
  39 00 2e 00 30 00 31 00 2e 00 30 00 31 00 2e 00
  33 00 38 00 31 00 34 00 00 00 4e 00 54 00 4c 00
  4d 00 00 00 00 00 00 00
`);

// ConnectFunnel per docs/protocols.md 1.5 (112 bytes, seq 1).
const CONNECT_FUNNEL_EXAMPLE = hex(`
  01 00 00 00 ce fa 0b b0 60 00 00 00 4d 4d 53 20
  0c 00 00 00 01 00 00 00 00 00 00 00 00 00 00 00
  0a 00 00 00 02 00 03 00 00 00 00 00 ff ff ff ff
  00 00 00 00 80 96 98 00 02 00 00 00 5c 00 5c 00
  31 00 39 00 32 00 2e 00 31 00 36 00 38 00 2e 00
  30 00 2e 00 32 00 5c 00 54 00 43 00 50 00 5c 00
  31 00 32 00 34 00 32 00 00 00 00 00 00 00 00 00
`);

// OpenFile per docs/protocols.md 1.5, for the URL path "/live" (72 bytes, seq 2).
const OPEN_FILE_EXAMPLE = hex(`
  01 00 00 00 ce fa 0b b0 38 00 00 00 4d 4d 53 20
  07 00 00 00 02 00 00 00 00 00 00 00 00 00 00 00
  05 00 00 00 05 00 03 00 09 00 00 00 00 00 00 00
  00 00 00 00 00 00 00 00 6c 00 69 00 76 00 65 00
  00 00 00 00 00 00 00 00
`);

describe('builders match the reference hex dumps byte for byte', () => {
  it('LinkViewerToMacConnect: the 216-byte worked example', () => {
    expect(CONNECT_EXAMPLE.length).toBe(216);
    const built = buildLinkViewerToMacConnect({
      sequence: 0,
      playIncarnation: 0xf0f0f0ef,
      subscriberName: subscriberNameFor('wms.example', '3300AD50-2C39-46C0-AE0A-60E3C0B8E3A0'),
    });
    expect(built.toString('hex')).toBe(CONNECT_EXAMPLE.toString('hex'));
  });

  it('ReportConnectedEX: the 136-byte plausible reply', () => {
    expect(CONNECTED_EX_EXAMPLE.length).toBe(136);
    const built = buildReportConnectedEx({
      sequence: 0,
      hr: 0,
      serverVersion: '9.01.01.3814',
      authPackage: 'NTLM',
    });
    expect(built.toString('hex')).toBe(CONNECTED_EX_EXAMPLE.toString('hex'));
  });

  it('ConnectFunnel: the 112-byte example', () => {
    expect(CONNECT_FUNNEL_EXAMPLE.length).toBe(112);
    const built = buildConnectFunnel({ sequence: 1, funnelName: '\\\\192.168.0.2\\TCP\\1242' });
    expect(built.toString('hex')).toBe(CONNECT_FUNNEL_EXAMPLE.toString('hex'));
  });

  it('OpenFile for "/live": the 72-byte example', () => {
    expect(OPEN_FILE_EXAMPLE.length).toBe(72);
    const built = buildOpenFile({ sequence: 2, path: openFileName('/live') });
    expect(built.toString('hex')).toBe(OPEN_FILE_EXAMPLE.toString('hex'));
  });

  it('buildCommand pads to 8 and writes messageLength, chunkCount = messageLength/8, chunkLen and seq', () => {
    const packet = buildCommand(0x00030099, Buffer.from([1, 2, 3]), 0x12345);
    expect(packet.length).toBe(48); // 32 + (8 + 3 → 16)
    expect(packet.readUInt32LE(8)).toBe(32);
    expect(packet.readUInt32LE(16)).toBe(4);
    expect(packet.readUInt16LE(20)).toBe(0x2345);
    expect(packet.readUInt32LE(32)).toBe(2);
    expect(packet.readUInt32LE(36)).toBe(0x00030099);
    expect([...packet.subarray(40)]).toEqual([1, 2, 3, 0, 0, 0, 0, 0]);
  });
});

describe('parsers read the reference examples', () => {
  it('ReportConnectedEX example: hr 0, version 9.01.01.3814, NTLM', () => {
    const read = readCommandFrame(CONNECTED_EX_EXAMPLE);
    expect(read).toMatchObject({ kind: 'command', mid: MID.reportConnectedEx, length: 136 });
    expect(parseReportConnectedEx(CONNECTED_EX_EXAMPLE)).toEqual({
      hr: 0,
      playIncarnation: 0xf0f0f0ef,
      serverVersion: '9.01.01.3814',
      versionInfo: null,
      versionUrl: null,
      authPackage: 'NTLM',
    });
  });

  it('client examples parse back to what was put in', () => {
    expect(parseConnect(CONNECT_EXAMPLE)).toEqual({
      playIncarnation: 0xf0f0f0ef,
      subscriberName: 'NSPlayer/9.0.0.2980; {3300AD50-2C39-46C0-AE0A-60E3C0B8E3A0}; Host: wms.example',
    });
    expect(parseConnectFunnel(CONNECT_FUNNEL_EXAMPLE)).toEqual({
      funnelMode: 2,
      funnelName: '\\\\192.168.0.2\\TCP\\1242',
      transport: 'TCP',
    });
    expect(parseOpenFile(OPEN_FILE_EXAMPLE)).toEqual({ playIncarnation: 9, fileName: 'live', tokenBytes: 0 });
  });

  it('a parser given another message returns null', () => {
    expect(parseReportConnectedEx(CONNECT_EXAMPLE)).toBeNull();
    expect(parseReportOpenFile(CONNECTED_EX_EXAMPLE)).toBeNull();
    expect(parseOpenFile(CONNECT_FUNNEL_EXAMPLE)).toBeNull();
  });
});

describe('round trips of the other messages', () => {
  it('ReportOpenFile carries hr, attributes and the file facts', () => {
    const frame = buildReportOpenFile({
      sequence: 3,
      hr: 0,
      playIncarnation: 9,
      openFileId: 7,
      fileAttributes: FILE_ATTRIBUTE.broadcast | FILE_ATTRIBUTE.live,
      fileDuration: 4.5,
      filePacketSize: 3200,
      filePacketCount: 26,
      fileBitRate: 182_000,
      fileHeaderSize: 809,
    });
    expect(frame.length).toBe(152); // 32 + 116 padded to 120
    expect(parseReportOpenFile(frame)).toEqual({
      hr: 0,
      playIncarnation: 9,
      openFileId: 7,
      file: {
        attributes: 0x06000000,
        broadcast: true,
        live: true,
        durationSeconds: 4.5,
        packetSize: 3200,
        packetCount: 26,
        bitRate: 182_000,
        headerSize: 809,
      },
    });
    expect(messageHr(frame)).toBe(0);
  });

  it('an error ReportOpenFile cut after hr still gives the hr', () => {
    const short = buildCommand(MID.reportOpenFile, Buffer.from([0x1a, 0x00, 0x0d, 0xc0]), 0);
    expect(parseReportOpenFile(short)).toEqual({
      hr: 0xc00d001a,
      playIncarnation: 0,
      openFileId: 0,
      file: null,
    });
  });

  it('ReportRedirect, SecurityChallenge (Basic and NTLM), funnel replies', () => {
    expect(
      parseReportRedirect(buildReportRedirect({ sequence: 0, location: 'mms://other.example/live' })),
    ).toEqual({
      hr: 0,
      redirectType: 1,
      location: 'mms://other.example/live',
    });
    expect(
      parseSecurityChallenge(
        buildSecurityChallenge({ sequence: 0, playIncarnation: 9, cookie: 5, realm: 'Media' }),
      ),
    ).toEqual({ playIncarnation: 9, cookie: 5, scheme: 'basic', realm: 'Media' });
    const ntlm = buildCommand(
      MID.securityChallenge,
      Buffer.from([9, 0, 0, 0, 1, 0, 0, 0, 4, 0, 0, 0, 0, 0, 1, 2]),
      0,
    );
    expect(parseSecurityChallenge(ntlm)).toMatchObject({ scheme: 'ntlm', realm: null });
    expect(parseReportConnectedFunnel(buildReportConnectedFunnel({ sequence: 1 }))).toEqual({
      hr: 0,
      funnelName: 'Funnel Of The Gods',
    });
    expect(
      parseReportDisconnectedFunnel(buildReportDisconnectedFunnel({ sequence: 1, hr: 0x80070057 })),
    ).toEqual({
      hr: 0x80070057,
    });
    expect(parseReportFunnelInfo(buildReportFunnelInfo({ sequence: 1, clientId: 42 }))).toEqual({
      hr: 0,
      clientId: 42,
    });
  });

  it('ReadBlock, StartPlaying, StopPlaying and their reports keep playIncarnation at the offsets FFmpeg uses', () => {
    const readBlock = buildReadBlock({ sequence: 4, openFileId: 1, playIncarnation: 2 });
    expect(readBlock.length).toBe(88);
    expect(readBlock.readUInt32LE(80)).toBe(2);
    expect(readBlock.readDoubleLE(72)).toBe(3600);
    expect(parseReadBlock(readBlock)).toEqual({ openFileId: 1, playIncarnation: 2 });
    const start = buildStartPlaying({ sequence: 6, openFileId: 1, playIncarnation: 4 });
    expect(start.readUInt32LE(68)).toBe(4);
    expect(parseStartPlaying(start)).toEqual({ openFileId: 1, playIncarnation: 4 });
    expect(parseStopPlaying(buildStopPlaying({ sequence: 7, openFileId: 1, playIncarnation: 4 }))).toEqual({
      openFileId: 1,
      playIncarnation: 4,
    });
    expect(parseReportReadBlock(buildReportReadBlock({ sequence: 0, playIncarnation: 2 }))).toEqual({
      hr: 0,
      playIncarnation: 2,
    });
    expect(
      parseReportStartedPlaying(
        buildReportStartedPlaying({ sequence: 0, playIncarnation: 4, openFileId: 1 }),
      ),
    ).toEqual({ hr: 0, playIncarnation: 4 });
    expect(parseReportEndOfStream(buildReportEndOfStream({ sequence: 0, playIncarnation: 4 }))).toEqual({
      hr: 0,
      playIncarnation: 4,
    });
    expect(parseFunnelInfo(buildFunnelInfo({ sequence: 1 }))).toEqual({ playIncarnation: 0xf0f0f0ef });
  });

  it('StreamSwitch entries are bounded by the frame, not by the count', () => {
    const body = Buffer.alloc(4 + 12);
    body.writeUInt32LE(1000, 0); // lies: only two entries follow
    body.writeUInt16LE(0xffff, 4);
    body.writeUInt16LE(1, 6);
    body.writeUInt16LE(0xffff, 10);
    body.writeUInt16LE(2, 12);
    const parsed = parseStreamSwitch(buildCommand(MID.streamSwitch, body, 0));
    expect(parsed?.entries).toEqual([
      { source: 0xffff, destination: 1, thinning: 0 },
      { source: 0xffff, destination: 2, thinning: 0 },
    ]);
  });

  it('Pong and Ping are 48-byte messages with two zero parameters', () => {
    for (const [frame, mid] of [
      [buildPong({ sequence: 3 }), MID.pong],
      [buildPing({ sequence: 3 }), MID.ping],
    ] as const) {
      expect(frame.length).toBe(48);
      expect(readCommandFrame(frame)).toMatchObject({ kind: 'command', mid, length: 48 });
      expect(frame.subarray(40).equals(Buffer.alloc(8))).toBe(true);
    }
  });
});

describe('readCommandFrame (receive rule of docs/protocols.md 1.1)', () => {
  it('returns a command frame and leaves what follows', () => {
    const two = Buffer.concat([CONNECTED_EX_EXAMPLE, OPEN_FILE_EXAMPLE]);
    const first = readCommandFrame(two);
    expect(first).toMatchObject({ kind: 'command', mid: MID.reportConnectedEx, length: 136 });
    expect(readCommandFrame(two.subarray(136))).toMatchObject({
      kind: 'command',
      mid: MID.openFile,
      length: 72,
    });
  });

  it('skips data packets by their PacketSize', () => {
    const packet = buildDataPacket({
      locationId: 3,
      playIncarnation: 2,
      afFlags: 0x0c,
      payload: Buffer.alloc(20, 7),
    });
    const read = readCommandFrame(Buffer.concat([packet, CONNECTED_EX_EXAMPLE]));
    expect(read).toMatchObject({
      kind: 'data',
      length: 28,
      locationId: 3,
      playIncarnation: 2,
      afFlags: 0x0c,
    });
    expect(readCommandFrame(packet.subarray(0, 27))).toEqual({ kind: 'incomplete' });
  });

  it('refuses an absurd messageLength as soon as it is visible, without waiting for the bytes', () => {
    const lie = Buffer.from(CONNECTED_EX_EXAMPLE.subarray(0, 16));
    lie.writeUInt32LE(0xfffffff0, 8);
    expect(readCommandFrame(lie)).toMatchObject({ kind: 'invalid' });
    lie.writeUInt32LE(MAX_COMMAND_FRAME_BYTES - 16 + 8, 8);
    expect(readCommandFrame(lie)).toMatchObject({ kind: 'invalid' });
    lie.writeUInt32LE(8, 8);
    expect(readCommandFrame(lie)).toMatchObject({ kind: 'invalid' });
  });

  it('refuses a command without the "MMS " seal and a data packet shorter than its header', () => {
    const unsealed = Buffer.from(CONNECTED_EX_EXAMPLE);
    unsealed.write('MMS', 12, 'latin1');
    unsealed[15] = 0;
    expect(readCommandFrame(unsealed)).toMatchObject({ kind: 'invalid' });
    expect(readCommandFrame(Buffer.alloc(16))).toMatchObject({ kind: 'invalid' });
  });
});

describe('hostile string counts', () => {
  it('counts that point past the frame yield only what the frame holds', () => {
    const lying = Buffer.from(CONNECTED_EX_EXAMPLE);
    lying.writeUInt32LE(0x7fffffff, 80);
    lying.writeUInt32LE(0xffffffff, 84);
    lying.writeUInt32LE(0x40000000, 88);
    lying.writeUInt32LE(0xfffffff0, 92);
    expect(parseReportConnectedEx(lying)).toMatchObject({
      serverVersion: '9.01.01.3814',
      versionInfo: null,
      versionUrl: null,
      authPackage: null,
    });
  });

  it('control characters in strings are dropped', () => {
    const frame = buildReportConnectedEx({ sequence: 0, hr: 0, serverVersion: '9.0\u0007\u001b[31m' });
    expect(parseReportConnectedEx(frame)?.serverVersion).toBe('9.0[31m');
  });
});

describe('words', () => {
  it('names MIDs and hrs, and knows the not-found hrs', () => {
    expect(describeMid(MID.reportOpenFile)).toBe('ReportOpenFile (0x00040006)');
    expect(describeMid(0x00040099)).toBe('0x00040099');
    expect(describeHr(0xc00d001a)).toBe('0xC00D001A (NS_E_FILE_NOT_FOUND: file not found)');
    expect(describeHr(0x12345678)).toBe('0x12345678');
    expect(isNotFoundHr(0xc00d001a)).toBe(true);
    expect(isNotFoundHr(0x80070005)).toBe(false);
  });

  it('openFileName drops the leading slash and %-encoding, keeps a malformed escape as it is', () => {
    expect(openFileName('/live')).toBe('live');
    expect(openFileName('/media/my%20clip.wmv')).toBe('media/my clip.wmv');
    expect(openFileName('/bad%zz')).toBe('bad%zz');
  });

  it('subscriberNameFor strips braces from the GUID and controls from the host', () => {
    expect(subscriberNameFor('a\u0000b\r\n.example', '{01234567-89AB-CDEF-0123-456789ABCDEF}')).toBe(
      'NSPlayer/9.0.0.2980; {01234567-89AB-CDEF-0123-456789ABCDEF}; Host: ab.example',
    );
  });
});

// ---------------------------------------------------------------------------------------------------------
// Properties

const PARSERS: Record<string, (bytes: Uint8Array) => unknown> = {
  messageHr,
  parseReportConnectedEx,
  parseReportFunnelInfo,
  parseReportConnectedFunnel,
  parseReportDisconnectedFunnel,
  parseReportOpenFile,
  parseReportRedirect,
  parseSecurityChallenge,
  parseReportReadBlock,
  parseReportStartedPlaying,
  parseReportEndOfStream,
  parseConnect,
  parseFunnelInfo,
  parseConnectFunnel,
  parseOpenFile,
  parseReadBlock,
  parseStartPlaying,
  parseStopPlaying,
  parseStreamSwitch,
};

const VALID_FRAMES: Buffer[] = [
  CONNECT_EXAMPLE,
  CONNECTED_EX_EXAMPLE,
  CONNECT_FUNNEL_EXAMPLE,
  OPEN_FILE_EXAMPLE,
  buildReportOpenFile({
    sequence: 2,
    hr: 0xc00d001a,
    playIncarnation: 9,
    openFileId: 0,
    fileAttributes: 0,
    fileDuration: 0,
    filePacketSize: 0,
    filePacketCount: 0,
    fileBitRate: 0,
    fileHeaderSize: 0,
  }),
  buildReportRedirect({ sequence: 2, location: 'mmst://elsewhere.example:1755/live' }),
  buildSecurityChallenge({ sequence: 2, playIncarnation: 9, cookie: 1, realm: 'x' }),
  buildReportConnectedFunnel({ sequence: 1 }),
  buildReportDisconnectedFunnel({ sequence: 1, hr: 0x80070057 }),
  buildReportFunnelInfo({ sequence: 1, clientId: 3 }),
  buildReadBlock({ sequence: 3, openFileId: 1, playIncarnation: 2 }),
  buildStartPlaying({ sequence: 5, openFileId: 1, playIncarnation: 4 }),
  buildStopPlaying({ sequence: 6, openFileId: 1, playIncarnation: 4 }),
  buildCloseFile({ sequence: 7, openFileId: 1 }),
  buildReportStreamSwitch({ sequence: 4 }),
  buildDataPacket({ locationId: 0, playIncarnation: 2, afFlags: 0x0c, payload: Buffer.alloc(40, 1) }),
];

/** Every value a parser may return: null, numbers, booleans, printable bounded strings, and objects/arrays of them. */
function expectPlainValue(value: unknown, path = 'result'): void {
  if (value === null || typeof value === 'number' || typeof value === 'boolean') return;
  if (typeof value === 'string') {
    expect(value, path).not.toMatch(/\p{Cc}/u);
    expect(value.length, path).toBeLessThanOrEqual(256);
    return;
  }
  if (Buffer.isBuffer(value)) return;
  expect(typeof value, path).toBe('object');
  for (const [key, inner] of Object.entries(value as object)) expectPlainValue(inner, `${path}.${key}`);
}

function expectFrameShape(read: FrameRead, input: Uint8Array): void {
  switch (read.kind) {
    case 'incomplete':
      expect(Object.keys(read)).toEqual(['kind']);
      return;
    case 'invalid':
      expect(read.reason.length).toBeGreaterThan(0);
      return;
    case 'command':
      expect(read.length).toBeGreaterThanOrEqual(40);
      expect(read.length).toBeLessThanOrEqual(Math.min(input.length, MAX_COMMAND_FRAME_BYTES));
      expect(read.frame.length).toBe(read.length);
      expect(read.mid).toBe(read.frame.readUInt32LE(36));
      return;
    case 'data':
      expect(read.length).toBeGreaterThanOrEqual(8);
      expect(read.length).toBeLessThanOrEqual(input.length);
      expect(read.payload.length).toBe(read.length - 8);
      return;
    default:
      throw new Error(`undeclared shape ${JSON.stringify(read)}`);
  }
}

function feedEverything(bytes: Uint8Array): void {
  expectFrameShape(readCommandFrame(bytes), bytes);
  for (const [name, parse] of Object.entries(PARSERS)) expectPlainValue(parse(bytes), name);
}

describe('properties', () => {
  it('random bytes: nothing throws, every answer has a declared shape', () => {
    fc.assert(fc.property(fc.uint8Array({ maxLength: 600 }), feedEverything), { numRuns: 500 });
  });

  it('random bytes behind a valid TcpMessageHeader start (the hard case for length handling)', () => {
    const head = CONNECTED_EX_EXAMPLE.subarray(0, 16);
    fc.assert(
      fc.property(
        fc.uint8Array({ maxLength: 400 }),
        fc.integer({ min: 0, max: 0xffffffff }),
        (tail, length) => {
          const bytes = Buffer.concat([head, Buffer.from(tail)]);
          bytes.writeUInt32LE(length, 8);
          feedEverything(bytes);
        },
      ),
      { numRuns: 500 },
    );
  });

  it('truncations of valid frames are incomplete until the last byte, then whole', () => {
    for (const frame of VALID_FRAMES) {
      for (let cut = 0; cut <= frame.length; cut++) {
        const part = frame.subarray(0, cut);
        const read = readCommandFrame(part);
        if (cut < frame.length)
          expect(read, `cut at ${cut} of ${frame.length}`).toEqual({ kind: 'incomplete' });
        else expect(read.kind).not.toBe('incomplete');
        for (const [name, parse] of Object.entries(PARSERS)) expectPlainValue(parse(part), name);
      }
    }
  });

  it('valid frames with random corruption: nothing throws, shapes hold', () => {
    fc.assert(
      fc.property(
        fc.constantFrom(...VALID_FRAMES),
        fc.array(fc.tuple(fc.nat(), fc.integer({ min: 0, max: 255 })), { minLength: 1, maxLength: 12 }),
        (frame, changes) => {
          const bytes = Buffer.from(frame);
          for (const [position, value] of changes) bytes[position % bytes.length] = value;
          feedEverything(bytes);
        },
      ),
      { numRuns: 1000 },
    );
  });
});

// A Windows Media HTTP streaming server ([MS-WMSP]) in miniature, on 127.0.0.1 and a random port, serving the
// real ASF sample. Faithful enough that Debian's ffprobe reads it over mmsh:// (the test proves it), so the
// probes are tested against the shape of a real WMS rather than against our own assumptions.
//
// What it does, per request (non-pipelined mode: one request per connection, then close):
// - not NSPlayer/NSServer/WMCacheProxy (a web browser) → 200 with an ASX naming the URL it was asked for
//   ([WMSP 3.2.5.1] and <69>; nmap saw `video/x-ms-asf` from Cougar, docs/protocols.md sec. 3.3)
// - unknown path → 404; a path marked 'auth' → 401 with Negotiate/NTLM challenges (credentials never pass)
// - Describe (no `xPlayStrm=1`) → 200 `application/vnd.ms.wms-hdr.asfv1`: [$M] $H ([WMSP 3.2.5.4])
// - Play (`xPlayStrm=1`) → 200 `application/x-mms-framed`: [$M] $H, one $D per ASF packet, $E ([WMSP 2.2.2.6])
// $M goes only to clients ≥ 9.0 from a Cougar ≥ 9.0 ([WMSP 3.2.4.2]); FFmpeg says NSPlayer/4.1 and gets none.
// Simplifications: no chunked coding (the spec allows it only with version11-enabled=1, which we ignore),
// ASF packets keep their padding (the spec says SHOULD remove), and any stream selection selects all
// streams (without a stream-switch-entry nothing is selected: $H and $E only, as the spec says).
import net from 'node:net';
import { asfSample, type AsfSample } from './asf-sample';

export type MmshStreamKind = 'ok' | 'auth';

export interface MmshServerOptions {
  /** The Server header; default `Cougar/9.01.01.3814` (WMS on Windows Server 2003 SP1). */
  server?: string;
  /** Paths and what they do; default `{ '/live': 'ok' }`. Keys with or without the leading slash. */
  streams?: Record<string, MmshStreamKind>;
  /** Paths answered `302 Found` with this Location, whoever asks (a moved publishing point). */
  redirects?: Record<string, string>;
}

export interface MmshServerRequest {
  method: string;
  target: string;
  version: string;
  headers: Array<[string, string]>;
  /** What the simulator took the request for. */
  kind: 'browser' | 'describe' | 'play' | 'not-found' | 'auth' | 'redirect' | 'bad-request' | 'other-method';
}

export interface MmshServer {
  port: number;
  /** Every request received, in order (for tests that check what a client sent). */
  requests: MmshServerRequest[];
  close(): Promise<void>;
}

export const DEFAULT_MMSH_SERVER = 'Cougar/9.01.01.3814';
const REQUEST_HEAD_LIMIT = 16 * 1024;
const CLIENT_TOKENS = new Set(['nsplayer', 'nsserver', 'wmcacheproxy']);
const SERVER_SUPPORTED =
  'com.microsoft.wm.srvppair, com.microsoft.wm.sswitch, com.microsoft.wm.predstrm, com.microsoft.wm.fastcache, com.microsoft.wm.startupprofile';
/** Largest MMS data packet ([WMSP 2.2.3.1.2]); its 8-byte header counts. */
const MAX_MMS_PACKET = 65535;
const DATA_OBJECT_HEAD = 50;

export async function startMmshServer(options: MmshServerOptions = {}): Promise<MmshServer> {
  const sample = await asfSample();
  const serverName = options.server ?? DEFAULT_MMSH_SERVER;
  const streams = new Map<string, MmshStreamKind>();
  const configured: Record<string, MmshStreamKind> = options.streams ?? { '/live': 'ok' };
  for (const [path, kind] of Object.entries(configured)) {
    streams.set(path.startsWith('/') ? path : `/${path}`, kind);
  }
  const redirects = new Map<string, string>(
    Object.entries(options.redirects ?? {}).map(([path, location]) => [
      path.startsWith('/') ? path : `/${path}`,
      location,
    ]),
  );
  const requests: MmshServerRequest[] = [];
  const sockets = new Set<net.Socket>();
  const server = net.createServer((socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
    // A client that goes away mid-stream is normal (ffprobe stops once it knows the codecs).
    socket.on('error', () => socket.destroy());
    let received = Buffer.alloc(0);
    let answered = false;
    socket.on('data', (chunk: Buffer) => {
      if (answered) return;
      received = Buffer.concat([received, chunk]);
      const end = received.indexOf('\r\n\r\n');
      if (end === -1 && received.length < REQUEST_HEAD_LIMIT) return;
      answered = true;
      const request = parseRequest(end === -1 ? null : received.subarray(0, end).toString('latin1'));
      const port = (server.address() as net.AddressInfo).port;
      const exchange = respond(request, { sample, serverName, streams, redirects, port });
      requests.push({ ...request, kind: exchange.kind });
      writeAll(socket, exchange.chunks);
    });
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      server.off('error', reject);
      resolve();
    });
  });
  const port = (server.address() as net.AddressInfo).port;
  return {
    port,
    requests,
    close: () =>
      new Promise<void>((resolve) => {
        for (const socket of sockets) socket.destroy();
        server.close(() => resolve());
      }),
  };
}

interface ParsedRequest {
  method: string;
  target: string;
  version: string;
  headers: Array<[string, string]>;
}

function parseRequest(head: string | null): ParsedRequest {
  if (head === null) return { method: '', target: '', version: 'HTTP/1.0', headers: [] };
  const [requestLine = '', ...lines] = head.split('\r\n');
  const [method = '', target = '', version = 'HTTP/1.0'] = requestLine.split(' ');
  const headers: Array<[string, string]> = [];
  for (const line of lines) {
    const colon = line.indexOf(':');
    if (colon > 0) headers.push([line.slice(0, colon).trim(), line.slice(colon + 1).trim()]);
  }
  return { method, target, version: /^HTTP\/1\.[01]$/.test(version) ? version : 'HTTP/1.0', headers };
}

function values(request: ParsedRequest, name: string): string[] {
  return request.headers.filter(([key]) => key.toLowerCase() === name).map(([, value]) => value);
}

interface Context {
  sample: AsfSample;
  serverName: string;
  streams: Map<string, MmshStreamKind>;
  redirects: Map<string, string>;
  port: number;
}

interface Exchange {
  kind: MmshServerRequest['kind'];
  chunks: Buffer[];
}

function respond(request: ParsedRequest, context: Context): Exchange {
  const { serverName } = context;
  const version = request.version;
  if (request.method === '' || request.target === '') {
    return {
      kind: 'bad-request',
      chunks: [
        head(version, 400, 'Bad Request', [
          ['Server', serverName],
          ['Content-Length', '0'],
        ]),
      ],
    };
  }
  const path = request.target.replace(/^[a-z]+:\/\/[^/]+/i, '').split('?')[0] || '/';
  const stream = context.streams.get(path);
  const userAgent = values(request, 'user-agent')[0] ?? '';
  const client = /^([A-Za-z]+)\/(\d+)\.(\d+)/.exec(userAgent);
  const wmspClient = client !== null && CLIENT_TOKENS.has(client[1]!.toLowerCase());
  const common: Array<[string, string]> = [
    ['Server', serverName],
    ['Date', new Date().toUTCString()],
  ];

  if (request.method === 'POST') {
    // Log and KeepAlive requests ([WMSP 2.2.2.3, 2.2.2.4]): acknowledged, their content ignored.
    return { kind: 'other-method', chunks: [head(version, 200, 'OK', [...common, ['Content-Length', '0']])] };
  }
  if (request.method !== 'GET') {
    return {
      kind: 'other-method',
      chunks: [
        head(version, 405, 'Method Not Allowed', [
          ...common,
          ['Allow', 'GET, POST'],
          ['Content-Length', '0'],
        ]),
      ],
    };
  }
  const location = context.redirects.get(path);
  if (location !== undefined) {
    return {
      kind: 'redirect',
      chunks: [
        head(version, 302, 'Found', [
          ...common,
          ['Location', location],
          ['Cache-Control', 'no-cache'],
          ['Content-Length', '0'],
        ]),
      ],
    };
  }
  if (stream === undefined) {
    return {
      kind: 'not-found',
      chunks: [
        head(version, 404, 'Not Found', [...common, ['Cache-Control', 'no-cache'], ['Content-Length', '0']]),
      ],
    };
  }
  if (stream === 'auth') {
    return {
      kind: 'auth',
      chunks: [
        head(version, 401, 'Unauthorized', [
          ...common,
          ['WWW-Authenticate', 'Negotiate'],
          ['WWW-Authenticate', 'NTLM'],
          ['Cache-Control', 'no-cache'],
          ['Content-Length', '0'],
        ]),
      ],
    };
  }
  if (!wmspClient) {
    const host = values(request, 'host')[0] ?? `127.0.0.1:${context.port}`;
    const asx = Buffer.from(
      `<ASX VERSION="3.0">\r\n  <ENTRY>\r\n    <REF HREF="http://${host}${request.target}"/>\r\n  </ENTRY>\r\n</ASX>\r\n`,
      'latin1',
    );
    return {
      kind: 'browser',
      chunks: [
        head(version, 200, 'OK', [
          ...common,
          ['Content-Type', 'video/x-ms-asf'],
          ['Cache-Control', 'max-age=0, no-cache'],
          ['Content-Length', String(asx.length)],
        ]),
        asx,
      ],
    };
  }

  const pragma = values(request, 'pragma').join(', ');
  const play = /\bxPlayStrm\s*=\s*1\b/i.test(pragma);
  const serverVersion = /^Cougar\/(\d+)/i.exec(serverName);
  const sendMetadata = serverVersion !== null && Number(serverVersion[1]) >= 9 && Number(client![2]) >= 9;
  const legacyServer = serverVersion !== null && Number(serverVersion[1]) < 9;
  const features = 'seekable,stridable';
  const headerPackets = [
    ...(sendMetadata ? [metadataPacket(features)] : []),
    ...headerPacketsFor(Buffer.concat([context.sample.header, dataObjectHead(context.sample)])),
  ];
  const wmsHeaders: Array<[string, string]> = [
    [
      'Pragma',
      `no-cache, client-id=${Math.floor(Math.random() * 0xffffffff)}, features="${features}", timeout=60000`,
    ],
    [
      'Cache-Control',
      `no-cache, x-wms-content-size=${context.sample.file.length}, max-age=86399, user-public, must-revalidate, proxy-public, proxy-revalidate`,
    ],
    ...(serverVersion !== null && !legacyServer
      ? ([['Supported', SERVER_SUPPORTED]] as Array<[string, string]>)
      : []),
  ];

  if (!play) {
    const body = Buffer.concat(headerPackets);
    return {
      kind: 'describe',
      chunks: [
        head(version, 200, 'OK', [
          // WMS on NT4/2000 sent application/octet-stream ([WMSP <71>]).
          ['Content-Type', legacyServer ? 'application/octet-stream' : 'application/vnd.ms.wms-hdr.asfv1'],
          ...common,
          ['Content-Length', String(body.length)],
          ...wmsHeaders,
        ]),
        body,
      ],
    };
  }

  const selected = /\bstream-switch-entry\s*=\s*\S/i.test(pragma);
  const dataPackets = selected
    ? context.sample.packets.map((packet, index) => dataPacket(packet, index))
    : [];
  return {
    kind: 'play',
    chunks: [
      head(version, 200, 'OK', [
        ['Content-Type', legacyServer ? 'application/octet-stream' : 'application/x-mms-framed'],
        ...common,
        ...wmsHeaders,
      ]),
      ...headerPackets,
      ...dataPackets,
      endOfStreamPacket(0),
    ],
  };
}

function head(version: string, status: number, reason: string, headers: Array<[string, string]>): Buffer {
  const lines = [
    `${version} ${status} ${reason}`,
    ...headers.map(([name, value]) => `${name}: ${value}`),
    '',
    '',
  ];
  return Buffer.from(lines.join('\r\n'), 'latin1');
}

/** Writes in order, waiting for the socket to drain, and stops as soon as the client has gone. */
function writeAll(socket: net.Socket, chunks: Buffer[]): void {
  let index = 0;
  const next = (): void => {
    while (index < chunks.length) {
      if (socket.destroyed || !socket.writable) return;
      const more = socket.write(chunks[index++]!);
      if (!more) {
        socket.once('drain', next);
        return;
      }
    }
    socket.end();
  };
  next();
}

// ---------------------------------------------------------------------------------------------------------
// Packets [WMSP 2.2.3] (layout in docs/protocols.md sec. 3.2; all little-endian)

function framingHeader(packetId: string, packetLength: number): Buffer {
  const bytes = Buffer.alloc(4);
  bytes[0] = 0x24;
  bytes[1] = packetId.charCodeAt(0);
  bytes.writeUInt16LE(packetLength, 2);
  return bytes;
}

/** Framing header + MMS data header (LocationId, Incarnation, AFFlags, PacketSize) + payload. */
function mmsDataPacket(packetId: string, locationId: number, afFlags: number, payload: Buffer): Buffer {
  const packetSize = 8 + payload.length;
  const dataHeader = Buffer.alloc(8);
  dataHeader.writeUInt32LE(locationId >>> 0, 0);
  dataHeader[4] = 0; // Incarnation
  dataHeader[5] = afFlags & 0xff;
  dataHeader.writeUInt16LE(packetSize, 6);
  return Buffer.concat([framingHeader(packetId, packetSize), dataHeader, payload]);
}

/** The $H payload is the Header Object plus the Data Object's fixed 50 bytes ([WMSP 2.2.3.5]). */
function dataObjectHead(sample: AsfSample): Buffer {
  return sample.file.subarray(sample.header.length, sample.header.length + DATA_OBJECT_HEAD);
}

/** One $H per piece of at most 65527 payload bytes; AFFlags 0x04 first, 0x08 last, 0x0C both. */
function headerPacketsFor(asfHeader: Buffer): Buffer[] {
  const pieceSize = MAX_MMS_PACKET - 8;
  const pieces: Buffer[] = [];
  for (let offset = 0; offset < asfHeader.length; offset += pieceSize) {
    pieces.push(asfHeader.subarray(offset, offset + pieceSize));
  }
  return pieces.map((piece, index) => {
    const flags = (index === 0 ? 0x04 : 0) | (index === pieces.length - 1 ? 0x08 : 0);
    return mmsDataPacket('H', index, flags, piece);
  });
}

/** $M payload: `playlist-gen-id=…, broadcast-id=…, features="…"` then NUL ([WMSP 2.2.3.6]). */
function metadataPacket(features: string): Buffer {
  const payload = Buffer.from(`playlist-gen-id=1, broadcast-id=0, features="${features}"\0`, 'latin1');
  return mmsDataPacket('M', 0, 0x0c, payload);
}

/** $D: LocationId = ASF packet number, AFFlags = a sequence number that wraps at 255. */
function dataPacket(asfPacket: Buffer, index: number): Buffer {
  return mmsDataPacket('D', index, index % 256, asfPacket);
}

/** $E: PacketLength 4 and a Reason HRESULT (0 = the stream is over) ([WMSP 2.2.3.4]). */
function endOfStreamPacket(reason: number): Buffer {
  const bytes = Buffer.alloc(8);
  framingHeader('E', 4).copy(bytes, 0);
  bytes.writeUInt32LE(reason >>> 0, 4);
  return bytes;
}

// The self-test's own servers: minimal MMS (port-1755 protocol), MMSH (Windows Media HTTP streaming) and RTSP
// responders on 127.0.0.1 that answer exactly the requests Stream Doctor's probes send, the way a Windows
// Media server answers them — and nothing more: no media is ever streamed. They exist so a person can prove the
// tool works on a machine (and that nothing there blocks loopback connections). Every responder is bounded:
// few connections, little buffered input, an idle timeout, and it listens only on 127.0.0.1.
import net from 'node:net';
import {
  buildReportConnectedEx,
  buildReportConnectedFunnel,
  buildReportFunnelInfo,
  buildReportOpenFile,
  FILE_ATTRIBUTE,
  MID,
  MMS_SESSION_ID,
  parseOpenFile,
  readCommandFrame,
} from '../probes/mms-messages';
import { SELF_TEST_PACKET_BYTES, selfTestAsfFileStart } from './asf-header';

/** The one stream every responder knows. */
export const SELF_TEST_PATH = '/stream-doctor-self-test';
/** What the responders call themselves: the versions of Windows Media Services 9 (Server 2003 SP1) and 2008. */
export const SELF_TEST_MMS_VERSION = '9.01.01.3814';
export const SELF_TEST_MMSH_SERVER = 'Cougar/9.01.01.3814';
export const SELF_TEST_RTSP_SERVER = 'WMServer/9.5.6001.18281';

export const RESPONDER_LIMITS = {
  connections: 8,
  bufferedBytes: 64 * 1024,
  idleMs: 10_000,
} as const;

export interface Responder {
  port: number;
  close(): Promise<void>;
}

/** A server on 127.0.0.1 and a port the system picks, with the connection, input and idle bounds. */
async function listenLoopback(name: string, onConnection: (socket: net.Socket) => void): Promise<Responder> {
  const sockets = new Set<net.Socket>();
  const server = net.createServer((socket) => {
    if (sockets.size >= RESPONDER_LIMITS.connections) {
      socket.destroy();
      return;
    }
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
    socket.on('error', () => undefined);
    socket.setNoDelay(true);
    socket.setTimeout(RESPONDER_LIMITS.idleMs, () => socket.destroy());
    onConnection(socket);
  });
  const port = await new Promise<number>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      server.off('error', reject);
      const address = server.address();
      if (address === null || typeof address === 'string')
        reject(new Error(`the ${name} responder has no port`));
      else resolve(address.port);
    });
  });
  server.on('error', () => undefined);
  return {
    port,
    close: () =>
      new Promise<void>((done) => {
        for (const socket of sockets) socket.destroy();
        server.close(() => done());
      }),
  };
}

/** Collects input up to the bound; a peer that sends more is cut off. */
function bufferedInput(socket: net.Socket, onInput: (buffer: Buffer) => Buffer): void {
  let buffer: Buffer = Buffer.alloc(0);
  socket.on('data', (chunk: Buffer) => {
    buffer = buffer.length === 0 ? chunk : Buffer.concat([buffer, chunk]);
    if (buffer.length > RESPONDER_LIMITS.bufferedBytes) {
      socket.destroy();
      return;
    }
    buffer = onInput(buffer);
  });
}

// --- MMS [MS-MMSP] ------------------------------------------------------------------------------------------

const NS_E_FILE_NOT_FOUND = 0xc00d001a;
const OPEN_FILE_ID = 1;

/**
 * The server side of the MMS handshake the probe runs [MS-MMSP 3.2.5]: LinkViewerToMacConnect →
 * ReportConnectedEX, FunnelInfo → ReportFunnelInfo, ConnectFunnel → ReportConnectedFunnel, OpenFile →
 * ReportOpenFile (a live broadcast for the self-test path, "file not found" for any other), CloseFile → the
 * session ends. Anything else ends the connection: the probe never sends it.
 */
export function startMmsResponder(): Promise<Responder> {
  let nextClientId = 1;
  const fileStart = selfTestAsfFileStart();
  return listenLoopback('MMS', (socket) => {
    let sequence = 0;
    const clientId = nextClientId++;
    const send = (message: (sequence: number) => Buffer): void => {
      if (!socket.destroyed) socket.write(message(sequence++));
    };
    bufferedInput(socket, (input) => {
      let buffer = input;
      for (;;) {
        // A client sends only command messages; anything else is not an MMS client [MMSP 3.2.5.1].
        if (buffer.length >= 8 && buffer.readUInt32LE(4) !== MMS_SESSION_ID) {
          socket.destroy();
          return Buffer.alloc(0);
        }
        const frame = readCommandFrame(buffer);
        if (frame.kind === 'incomplete') return buffer;
        if (frame.kind !== 'command') {
          socket.destroy();
          return Buffer.alloc(0);
        }
        buffer = buffer.subarray(frame.length);
        switch (frame.mid) {
          case MID.connect:
            send((s) =>
              buildReportConnectedEx({
                sequence: s,
                hr: 0,
                serverVersion: SELF_TEST_MMS_VERSION,
                authPackage: null,
              }),
            );
            break;
          case MID.funnelInfo:
            send((s) => buildReportFunnelInfo({ sequence: s, clientId }));
            break;
          case MID.connectFunnel:
            send((s) => buildReportConnectedFunnel({ sequence: s }));
            break;
          case MID.openFile: {
            const request = parseOpenFile(frame.frame);
            const known = request !== null && sameStream(request.fileName, SELF_TEST_PATH);
            send((s) =>
              buildReportOpenFile({
                sequence: s,
                hr: known ? 0 : NS_E_FILE_NOT_FOUND,
                playIncarnation: request?.playIncarnation ?? 0,
                openFileId: known ? OPEN_FILE_ID : 0,
                fileAttributes: known ? FILE_ATTRIBUTE.broadcast | FILE_ATTRIBUTE.live : 0,
                fileDuration: 0,
                filePacketSize: known ? SELF_TEST_PACKET_BYTES : 0,
                filePacketCount: 0,
                fileBitRate: 0,
                fileHeaderSize: known ? fileStart.length : 0,
              }),
            );
            break;
          }
          case MID.pong:
          case MID.logging:
            break;
          case MID.closeFile:
            socket.end();
            return Buffer.alloc(0);
          default:
            socket.destroy();
            return Buffer.alloc(0);
        }
      }
    });
  });
}

/** "/x", "x" and "x/" name the same stream. */
function sameStream(fileName: string, path: string): boolean {
  const trim = (text: string): string => text.replace(/^\/+|\/+$/g, '');
  return trim(fileName) === trim(path);
}

// --- MMSH [MS-WMSP] -----------------------------------------------------------------------------------------

const HEAD_END = Buffer.from('\r\n\r\n');

/** $H (or $M) framing + MMS data header + payload [WMSP 2.2.3.1]. */
function wmspDataPacket(packetId: 'H' | 'M', afFlags: number, payload: Buffer): Buffer {
  const packet = Buffer.alloc(12 + payload.length);
  packet[0] = 0x24;
  packet[1] = packetId.charCodeAt(0);
  packet.writeUInt16LE(8 + payload.length, 2);
  packet.writeUInt32LE(0, 4); // LocationId
  packet[8] = 0; // Incarnation
  packet[9] = afFlags;
  packet.writeUInt16LE(8 + payload.length, 10);
  payload.copy(packet, 12);
  return packet;
}

function httpHead(status: string, headers: Array<[string, string]>): string {
  return `HTTP/1.0 ${status}\r\n${headers.map(([name, value]) => `${name}: ${value}\r\n`).join('')}\r\n`;
}

/**
 * Answers the Describe request the probe sends (a GET without xPlayStrm=1) as Windows Media Services 9 does
 * [WMSP 3.2.5.1]: 200 with Server: Cougar/…, the ASF header content type, and the body's $M metadata packet
 * then the $H header packet. 404 for any other path, 405 for any other method; then the connection closes.
 */
export function startMmshResponder(): Promise<Responder> {
  const fileStart = selfTestAsfFileStart();
  const features = 'broadcast';
  const body = Buffer.concat([
    wmspDataPacket(
      'M',
      0x0c,
      Buffer.from(`playlist-gen-id=1, broadcast-id=1, features="${features}"\0`, 'latin1'),
    ),
    wmspDataPacket('H', 0x0c, fileStart),
  ]);
  return listenLoopback('MMSH', (socket) => {
    bufferedInput(socket, (buffer) => {
      const end = buffer.indexOf(HEAD_END);
      if (end < 0) return buffer;
      const requestLine = buffer.subarray(0, buffer.indexOf('\r\n')).toString('latin1');
      const [method = '', target = ''] = requestLine.split(' ');
      const common: Array<[string, string]> = [
        ['Server', SELF_TEST_MMSH_SERVER],
        ['Date', new Date().toUTCString()],
      ];
      if (method !== 'GET') {
        socket.end(
          httpHead('405 Method Not Allowed', [...common, ['Allow', 'GET, POST'], ['Content-Length', '0']]),
        );
      } else if (target.split('?')[0] !== SELF_TEST_PATH) {
        socket.end(
          httpHead('404 Not Found', [...common, ['Cache-Control', 'no-cache'], ['Content-Length', '0']]),
        );
      } else {
        socket.write(
          httpHead('200 OK', [
            ['Content-Type', 'application/vnd.ms.wms-hdr.asfv1'],
            ...common,
            ['Content-Length', String(body.length)],
            [
              'Pragma',
              `no-cache, client-id=${Math.floor(Math.random() * 0xffffffff)}, features="${features}", timeout=60000`,
            ],
            ['Cache-Control', 'no-cache, max-age=0'],
          ]),
        );
        socket.end(body);
      }
      return Buffer.alloc(0);
    });
  });
}

// --- RTSP [MS-RTSP] -----------------------------------------------------------------------------------------

const RTSP_PUBLIC = 'OPTIONS, DESCRIBE, SETUP, PLAY, PAUSE, TEARDOWN, GET_PARAMETER, SET_PARAMETER';

/** The SDP of [MS-RTSP] 2.2.5 for a stream with no media: the ASF header in the pgmpu line WMP looks for. */
function selfTestSdp(baseUrl: string, sessionId: string, fileStart: Buffer): string {
  return [
    'v=0',
    `o=- ${sessionId} ${sessionId} IN IP4 127.0.0.1`,
    's=Stream Doctor self-test',
    'c=IN IP4 0.0.0.0',
    'b=AS:1',
    't=0 0',
    `a=maxps:${SELF_TEST_PACKET_BYTES}`,
    `a=control:${baseUrl}/`,
    'a=range:npt=0.000000-',
    'a=recvonly',
    `a=pgmpu:data:application/vnd.ms.wms-hdr.asfv1;base64,${fileStart.toString('base64')}`,
    '',
  ].join('\r\n');
}

/**
 * Answers OPTIONS and DESCRIBE as Windows Media Services 2008 does (Server: WMServer/…, an SDP with the ASF
 * header); DESCRIBE of another path is 404, any other method 405. Requests are answered in order on one
 * connection, as RTSP keeps it open.
 */
export function startRtspResponder(): Promise<Responder> {
  const fileStart = selfTestAsfFileStart();
  let sessionCounter = 1;
  return listenLoopback('RTSP', (socket) => {
    bufferedInput(socket, (input) => {
      let buffer = input;
      for (;;) {
        const end = buffer.indexOf(HEAD_END);
        if (end < 0) return buffer;
        const head = buffer.subarray(0, end).toString('latin1');
        buffer = buffer.subarray(end + HEAD_END.length);
        const [requestLine = '', ...headerLines] = head.split('\r\n');
        const [method = '', url = ''] = requestLine.split(' ');
        const cseq = headerLines.find((line) => /^cseq\s*:/i.test(line))?.replace(/^[^:]*:\s*/, '') ?? '0';
        const reply = (status: string, headers: string[], body = ''): void => {
          const lines = [
            `RTSP/1.0 ${status}`,
            ...(body ? [`Content-Length: ${Buffer.byteLength(body)}`] : []),
            `Date: ${new Date().toUTCString()}`,
            `CSeq: ${cseq.replace(/[^\d]/g, '').slice(0, 10) || '0'}`,
            ...headers,
            `Server: ${SELF_TEST_RTSP_SERVER}`,
          ];
          socket.write(`${lines.join('\r\n')}\r\n\r\n${body}`);
        };
        const path = /^rtsp:\/\/[^/]+(\/[^?]*)?/i.exec(url)?.[1] ?? '/';
        if (method === 'OPTIONS') reply('200 OK', [`Public: ${RTSP_PUBLIC}`]);
        else if (method === 'DESCRIBE' && sameStream(path, SELF_TEST_PATH)) {
          const baseUrl = url.replace(/\/$/, '');
          const sessionId = String(Date.now()) + String(sessionCounter++).padStart(6, '0');
          reply(
            '200 OK',
            ['Content-Type: application/sdp', `Content-Base: ${baseUrl}/`],
            selfTestSdp(baseUrl, sessionId, fileStart),
          );
        } else if (method === 'DESCRIBE') reply('404 Not Found', []);
        else reply('405 Method Not Allowed', [`Allow: ${RTSP_PUBLIC}`]);
      }
    });
  });
}

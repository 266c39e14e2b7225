// The MMS probe against the simulator (which ffprobe accepts, see mms-server.test.ts), against small scripted
// servers for Ping and Data packets, against other services (HTTP, silence), a closed port and an abort.
import http from 'node:http';
import net from 'node:net';
import { afterAll, describe, expect, it } from 'vitest';
import { closedPort } from '../test-support/peers/ports';
import { startMmsServer, type MmsServerOptions } from '../test-support/mms-server';
import {
  MID,
  buildCommand,
  buildDataPacket,
  buildPing,
  buildReportConnectedEx,
  buildReportConnectedFunnel,
  buildReportDisconnectedFunnel,
  buildReportOpenFile,
  parseConnectFunnel,
  parseOpenFile,
  readCommandFrame,
} from './mms-messages';
import { probeMms } from './mms';
import type { ProbeOptions, ProbeTarget } from './types';

const closers: (() => Promise<void>)[] = [];
afterAll(async () => {
  await Promise.all(closers.map((close) => close()));
});

function target(port: number, path = '/live'): ProbeTarget {
  return { host: '127.0.0.1', addresses: ['127.0.0.1'], port, path };
}

const OPTIONS: ProbeOptions = { timeoutMs: 2000 };

async function simulator(options: MmsServerOptions) {
  const server = await startMmsServer(options);
  closers.push(() => server.close());
  return server;
}

/** A loopback TCP server whose connection handler is the test's script. */
async function scripted(onConnection: (socket: net.Socket) => void): Promise<number> {
  const sockets = new Set<net.Socket>();
  const server = net.createServer((socket) => {
    sockets.add(socket);
    socket.on('error', () => undefined);
    socket.on('close', () => sockets.delete(socket));
    onConnection(socket);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  closers.push(
    () =>
      new Promise<void>((resolve) => {
        for (const socket of sockets) socket.destroy();
        server.close(() => resolve());
      }),
  );
  return (server.address() as net.AddressInfo).port;
}

/** Calls `onMessage` for each complete client message (MID, frame) on the socket. */
function onMessages(socket: net.Socket, onMessage: (mid: number, frame: Buffer) => void): void {
  let buffer = Buffer.alloc(0);
  socket.on('data', (chunk: Buffer) => {
    buffer = Buffer.concat([buffer, chunk]);
    for (let read = readCommandFrame(buffer); read.kind === 'command'; read = readCommandFrame(buffer)) {
      buffer = buffer.subarray(read.length);
      onMessage(read.mid, read.frame);
    }
  });
}

describe('probeMms against the MMS simulator', () => {
  it('an existing stream: speaks MMS, names the version, and the path exists', async () => {
    const server = await simulator({ streams: { '/live': 'ok' } });
    const result = await probeMms(target(server.port), OPTIONS);
    expect(result).toMatchObject({
      protocol: 'mms',
      reachability: 'open',
      speaks: true,
      server: 'Windows Media Services 9.01.01.3814',
      status: null,
      replyKind: 'mms',
      ending: 'complete',
      detail: 'The server speaks MMS (Windows Media Services 9.01.01.3814) and /live exists.',
    });
    expect(result.mms).toEqual({
      serverVersion: '9.01.01.3814',
      connectHr: 0,
      authPackage: null,
      pathOutcome: 'exists',
      pathHr: 0,
      redirectUrl: null,
      broadcast: false,
    });
    // Hello, ConnectFunnel, OpenFile: nothing else, in that order.
    expect(server.received()).toEqual([MID.connect, MID.connectFunnel, MID.openFile]);
    expect(result.evidence.sent.startsWith('0000  01 00 00 00 ce fa 0b b0')).toBe(true);
    expect(result.evidence.received.startsWith('0000  01 00 00 00 ce fa 0b b0')).toBe(true);
    expect(result.evidence.received).not.toContain('more bytes');
  });

  it('reports the version string the server announces', async () => {
    const server = await simulator({ version: '4.1.0.3927' });
    const result = await probeMms(target(server.port), OPTIONS);
    expect(result.server).toBe('Windows Media Services 4.1.0.3927');
    expect(result.mms?.serverVersion).toBe('4.1.0.3927');
  });

  it('an unknown path: speaks MMS, not-found with 0xC00D001A', async () => {
    const server = await simulator({ streams: { '/live': 'ok' } });
    const result = await probeMms(target(server.port, '/no/such/stream'), OPTIONS);
    expect(result.speaks).toBe(true);
    expect(result.mms?.pathOutcome).toBe('not-found');
    expect(result.mms?.pathHr).toBe(0xc00d001a);
    expect(result.detail).toContain('/no/such/stream does not exist: 0xC00D001A (NS_E_FILE_NOT_FOUND');
  });

  it('a stream behind a password: auth-required, with the announced scheme', async () => {
    const server = await simulator({ streams: { '/private': 'auth' } });
    const result = await probeMms(target(server.port, '/private'), OPTIONS);
    expect(result.speaks).toBe(true);
    expect(result.mms?.pathOutcome).toBe('auth-required');
    expect(result.mms?.authPackage).toBe('BASIC');
    expect(result.detail).toContain('asks for a user name and password (BASIC)');
  });

  it('a redirect: redirected, keeping the URL', async () => {
    const server = await simulator({ streams: { '/old': { redirect: 'mmst://new.example:1755/live' } } });
    const result = await probeMms(target(server.port, '/old'), OPTIONS);
    expect(result.mms?.pathOutcome).toBe('redirected');
    expect(result.mms?.redirectUrl).toBe('mmst://new.example:1755/live');
    expect(result.detail).toContain('redirects /old to mmst://new.example:1755/live');
  });

  it('a broadcast publishing point: exists, broadcast noted', async () => {
    const server = await simulator({ streams: { '/radio': 'broadcast' } });
    const result = await probeMms(target(server.port, '/radio'), OPTIONS);
    expect(result.mms?.pathOutcome).toBe('exists');
    expect(result.mms?.broadcast).toBe(true);
    expect(result.detail).toContain('broadcast');
  });

  it('a refused connect: still speaks MMS, the hr is reported and no path is tried', async () => {
    const server = await simulator({ connectHr: 0xc00d000f });
    const result = await probeMms(target(server.port), OPTIONS);
    expect(result.speaks).toBe(true);
    expect(result.mms?.connectHr).toBe(0xc00d000f);
    expect(result.mms?.pathOutcome).toBe('not-checked');
    expect(result.detail).toContain('refused the connection: 0xC00D000F (NS_E_TOO_MANY_SESS');
    expect(server.received()).toEqual([MID.connect]);
  });

  it('no path in the URL: only the hello, nothing checked', async () => {
    const server = await simulator({});
    const result = await probeMms(target(server.port, '/'), OPTIONS);
    expect(result.speaks).toBe(true);
    expect(result.mms?.pathOutcome).toBe('not-checked');
    expect(server.received()).toEqual([MID.connect]);
  });
});

describe('probeMms against scripted MMS servers', () => {
  it('answers a Ping with a Pong, skips Data packets, and names its own address in the funnel', async () => {
    const seen: number[] = [];
    let funnelName: string | null = null;
    let localPort = 0;
    const port = await scripted((socket) => {
      let sequence = 0;
      onMessages(socket, (mid, frame) => {
        seen.push(mid);
        if (mid === MID.connect) {
          socket.write(
            buildReportConnectedEx({ sequence: sequence++, hr: 0, serverVersion: '9.01.01.3814' }),
          );
        } else if (mid === MID.connectFunnel) {
          funnelName = parseConnectFunnel(frame)?.funnelName ?? null;
          localPort = socket.remotePort ?? 0;
          // A Ping and a stray Data packet first; the funnel answer only once the Pong is in.
          socket.write(buildPing({ sequence: sequence++ }));
          socket.write(
            buildDataPacket({ locationId: 0, playIncarnation: 9, afFlags: 0, payload: Buffer.alloc(100) }),
          );
        } else if (mid === MID.pong) {
          socket.write(buildReportConnectedFunnel({ sequence: sequence++ }));
        } else if (mid === MID.openFile) {
          const open = parseOpenFile(frame);
          socket.write(
            buildReportOpenFile({
              sequence: sequence++,
              hr: open?.fileName === 'live' ? 0 : 0xc00d001a,
              playIncarnation: open?.playIncarnation ?? 0,
              openFileId: 1,
              fileAttributes: 0,
              fileDuration: 1,
              filePacketSize: 100,
              filePacketCount: 1,
              fileBitRate: 800,
              fileHeaderSize: 50,
            }),
          );
        }
      });
    });
    const result = await probeMms(target(port), OPTIONS);
    expect(seen).toEqual([MID.connect, MID.connectFunnel, MID.pong, MID.openFile]);
    expect(result.mms?.pathOutcome).toBe('exists');
    expect(funnelName).toBe(`\\\\127.0.0.1\\TCP\\${localPort}`);
  });

  it.each([
    ['a refused funnel', 'funnel', 0x80070057, 'refused a TCP data channel for the stream (0x80070057'],
    ['an OpenFile error that is not "not found"', 'open', 0x80070005, 'refused to open /live: 0x80070005'],
  ] as const)('%s: denied, with the hr', async (_name, failAt, hr, words) => {
    const port = await scripted((socket) => {
      let sequence = 0;
      onMessages(socket, (mid) => {
        if (mid === MID.connect) {
          socket.write(
            buildReportConnectedEx({ sequence: sequence++, hr: 0, serverVersion: '9.01.01.3814' }),
          );
        } else if (mid === MID.connectFunnel) {
          socket.write(
            failAt === 'funnel'
              ? buildReportDisconnectedFunnel({ sequence: sequence++, hr })
              : buildReportConnectedFunnel({ sequence: sequence++ }),
          );
        } else if (mid === MID.openFile) {
          socket.write(
            buildCommand(MID.reportOpenFile, Buffer.from(Uint32Array.of(hr, 9).buffer), sequence++),
          );
        }
      });
    });
    const result = await probeMms(target(port), OPTIONS);
    expect(result.speaks).toBe(true);
    expect(result.mms).toMatchObject({ pathOutcome: 'denied', pathHr: hr });
    expect(result.detail).toContain(words);
  });

  it('a non-zero hr in the ConnectedEX: speaks, with the hr in the detail', async () => {
    const port = await scripted((socket) =>
      onMessages(socket, () =>
        socket.write(
          buildReportConnectedEx({ sequence: 0, hr: 0x80070005, serverVersion: null, authPackage: 'NTLM' }),
        ),
      ),
    );
    const result = await probeMms(target(port), OPTIONS);
    expect(result.speaks).toBe(true);
    expect(result.server).toBeNull();
    expect(result.mms).toMatchObject({
      connectHr: 0x80070005,
      authPackage: 'NTLM',
      pathOutcome: 'not-checked',
    });
    expect(result.detail).toBe(
      'The server speaks MMS (no version given) but refused the connection: 0x80070005 (E_ACCESSDENIED: access denied).',
    );
  });

  it('a server that hangs up after the hello reply: speaks, path not checked, ending closed', async () => {
    const port = await scripted((socket) =>
      onMessages(socket, () => {
        socket.end(buildReportConnectedEx({ sequence: 0, hr: 0, serverVersion: '9.01.01.3814' }));
      }),
    );
    const result = await probeMms(target(port), OPTIONS);
    expect(result.speaks).toBe(true);
    expect(result.ending).toBe('closed');
    expect(result.mms?.pathOutcome).toBe('not-checked');
    expect(result.detail).toContain('closed the connection');
  });
});

describe('probeMms against other services and no service', () => {
  it('an HTTP server on the port: replyKind http, does not speak MMS, says so', async () => {
    const server = http.createServer((_request, response) => response.end('hello'));
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    closers.push(() => new Promise<void>((resolve) => server.close(() => resolve())));
    const port = (server.address() as net.AddressInfo).port;
    const result = await probeMms(target(port), OPTIONS);
    expect(result.replyKind).toBe('http');
    expect(result.speaks).toBe(false);
    expect(result.detail).toBe(`port ${port} is open but answered HTTP, not MMS.`);
    expect(result.evidence.received).toContain('HTTP/1.1 400');
  });

  it('a port that accepts and stays silent: open, silent, within the time bound', async () => {
    const port = await scripted(() => undefined);
    const started = Date.now();
    const result = await probeMms(target(port), { timeoutMs: 600 });
    expect(Date.now() - started).toBeLessThan(600 + 300);
    expect(result.reachability).toBe('open');
    expect(result.replyKind).toBe('nothing');
    expect(result.ending).toBe('timeout');
    expect(result.detail).toMatch(
      /^port \d+ accepted the connection but said nothing to the MMS hello within \d+ ms \(open, silent\)\.$/,
    );
  });

  it('a closed port: refused', async () => {
    const port = await closedPort();
    const result = await probeMms(target(port), OPTIONS);
    expect(result.reachability).toBe('refused');
    expect(result.speaks).toBe(false);
    expect(result.ending).toBeNull();
  });

  it('honours an AbortSignal while waiting for the answer', async () => {
    const port = await scripted(() => undefined);
    const controller = new AbortController();
    const started = Date.now();
    setTimeout(() => controller.abort(), 100);
    const result = await probeMms(target(port), { timeoutMs: 5000, signal: controller.signal });
    expect(Date.now() - started).toBeLessThan(1000);
    expect(result.ending).toBe('cancelled');
    expect(result.speaks).toBe(false);
  });

  it('an already aborted signal: nothing is attempted', async () => {
    const server = await simulator({});
    const controller = new AbortController();
    controller.abort();
    const result = await probeMms(target(server.port), { timeoutMs: 2000, signal: controller.signal });
    expect(result.reachability).toBe('skipped');
    expect(server.received()).toEqual([]);
  });
});

// Route states from real sockets on loopback: a TLS handshake that gets no reply is open-silent, a reset right
// after accept is a reset — neither is "filtered" or "refused".
import net from 'node:net';
import { afterAll, describe, expect, it } from 'vitest';
import { probeHttp } from '../probes/http';
import { probeRtsp } from '../probes/rtsp';
import { judgeProbe } from './routes';

const servers: net.Server[] = [];
afterAll(async () => {
  await Promise.all(servers.map((server) => new Promise((resolve) => server.close(resolve))));
});

async function listen(onSocket: (socket: net.Socket) => void): Promise<number> {
  const sockets = new Set<net.Socket>();
  const server = net.createServer((socket) => {
    sockets.add(socket);
    socket.on('error', () => undefined);
    socket.on('close', () => sockets.delete(socket));
    onSocket(socket);
  });
  server.on('close', () => sockets.forEach((s) => s.destroy()));
  servers.push(server);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const closeAll = server.close.bind(server);
  server.close = ((callback?: (error?: Error) => void) => {
    sockets.forEach((s) => s.destroy());
    return closeAll(callback);
  }) as typeof server.close;
  return (server.address() as net.AddressInfo).port;
}

const target = (port: number, tls: boolean) => ({
  host: '127.0.0.1',
  addresses: ['127.0.0.1'],
  port,
  path: '/live',
  ...(tls ? { tls: true } : {}),
});

describe('route states from real sockets', () => {
  it('a TLS handshake that gets no reply is open-silent', async () => {
    const port = await listen(() => undefined);
    const result = await probeHttp(target(port, true), { timeoutMs: 400 });
    expect(result.reachability).toBe('open');
    expect(judgeProbe(result)).toBe('open-silent');
  });

  it('a reset right after accept is a reset, over TLS and over plain TCP', async () => {
    const port = await listen((socket) => socket.resetAndDestroy());
    const overTls = await probeHttp(target(port, true), { timeoutMs: 400 });
    expect(judgeProbe(overTls)).toBe('reset');
    const plain = await probeRtsp(target(port, false), { timeoutMs: 400 });
    expect(judgeProbe(plain)).toBe('reset');
  });
});

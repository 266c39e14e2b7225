// The raw facts the follow layer needs from each probe: where a 3xx points (HTTP, Windows Media HTTP, RTSP),
// and the stream entries of a playlist or page a web server returned.
import http from 'node:http';
import type net from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { startMmshServer } from '../test-support/mmsh-server';
import { startRtspServer } from '../test-support/rtsp-server';
import { probeHttp } from './http';
import { probeMmsh } from './mmsh';
import { probeRtsp } from './rtsp';
import type { ProbeTarget } from './types';

const closers: Array<() => Promise<void>> = [];
afterEach(async () => {
  await Promise.all(closers.splice(0).map((close) => close()));
});

function target(port: number, path: string): ProbeTarget {
  return { host: '127.0.0.1', addresses: ['127.0.0.1'], port, path };
}

/** A web server answering every request with one fixed raw reply (head and body as written). */
async function rawServer(reply: string): Promise<number> {
  const server = http.createServer();
  server.on('connection', (socket: net.Socket) => {
    socket.once('data', () => socket.end(reply, 'latin1'));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  closers.push(() => new Promise<void>((resolve) => server.close(() => resolve())));
  return (server.address() as net.AddressInfo).port;
}

describe('redirect facts', () => {
  it('HTTP: a 302 with a relative Location is resolved against the page that answered', async () => {
    const port = await rawServer(
      'HTTP/1.1 302 Found\r\nServer: Microsoft-IIS/10.0\r\nLocation: /media/radio.asx\r\nContent-Length: 0\r\n\r\n',
    );
    const result = await probeHttp(target(port, '/radio'), { timeoutMs: 2000 });
    expect(result.redirect).toEqual({ status: 302, location: `http://127.0.0.1:${port}/media/radio.asx` });
  });

  it('HTTP: control characters in a Location never reach the facts', async () => {
    const port = await rawServer(
      'HTTP/1.1 301 Moved\r\nLocation: mms://evil.example/\x1b[31mlive\x07\r\nContent-Length: 0\r\n\r\n',
    );
    const result = await probeHttp(target(port, '/'), { timeoutMs: 2000 });
    expect(result.redirect?.status).toBe(301);
    expect(result.redirect?.location).not.toMatch(/\p{Cc}/u);
  });

  it('HTTP: a 200 has no redirect, and a 302 without Location has none either', async () => {
    const port = await rawServer('HTTP/1.1 302 Found\r\nContent-Length: 0\r\n\r\n');
    expect((await probeHttp(target(port, '/'), { timeoutMs: 2000 })).redirect).toBeUndefined();
  });

  it('Windows Media HTTP: the Location of a Cougar 302 is kept', async () => {
    const server = await startMmshServer({ redirects: { '/old': 'http://127.0.0.1:8080/new' } });
    closers.push(() => server.close());
    const result = await probeMmsh(target(server.port, '/old'), { timeoutMs: 2000 });
    expect(result.status).toBe(302);
    expect(result.redirect).toEqual({ status: 302, location: 'http://127.0.0.1:8080/new' });
  });

  it('RTSP: a DESCRIBE answered 302 with a Location is kept with its status', async () => {
    const server = await startRtspServer({ redirects: { '/old': 'rtsp://127.0.0.1:9554/live' } });
    closers.push(() => server.close());
    const result = await probeRtsp(target(server.port, '/old'), { timeoutMs: 2000 });
    expect(result.redirect).toEqual({ status: 302, location: 'rtsp://127.0.0.1:9554/live' });
  });
});

describe('playlist facts', () => {
  it('HTTP: an ASX served by IIS with 200 yields its stream entries', async () => {
    const asx = '<ASX VERSION="3.0"><ENTRY><REF HREF="mms://streamhost.example.org/live"/></ENTRY></ASX>';
    const port = await rawServer(
      `HTTP/1.1 200 OK\r\nServer: Microsoft-IIS/10.0\r\nContent-Type: video/x-ms-asf\r\nContent-Length: ${asx.length}\r\n\r\n${asx}`,
    );
    const result = await probeHttp(target(port, '/radio.asx'), { timeoutMs: 2000 });
    expect(result.playlist).toEqual({
      format: 'asx',
      entries: ['mms://streamhost.example.org/live'],
      rejected: 0,
      truncated: false,
    });
  });

  it('HTTP: a page with a player object yields its source, relative to the page', async () => {
    const page = '<html><body><object><param name="FileName" value="radio.asx"></object></body></html>';
    const port = await rawServer(
      `HTTP/1.1 200 OK\r\nContent-Type: text/html\r\nContent-Length: ${page.length}\r\n\r\n${page}`,
    );
    const result = await probeHttp(target(port, '/listen/'), { timeoutMs: 2000 });
    expect(result.playlist?.format).toBe('html');
    expect(result.playlist?.entries).toEqual([`http://127.0.0.1:${port}/listen/radio.asx`]);
  });

  it('HTTP: a 404 page is not read as a playlist', async () => {
    const page = '<html><body><a href="mms://x.example/live">x</a></body></html>';
    const port = await rawServer(
      `HTTP/1.1 404 Not Found\r\nContent-Type: text/html\r\nContent-Length: ${page.length}\r\n\r\n${page}`,
    );
    expect((await probeHttp(target(port, '/'), { timeoutMs: 2000 })).playlist).toBeUndefined();
  });

  it('HTTP: a hostile page larger than the body limit, full of links, yields at most 10 entries', async () => {
    const links = Array.from({ length: 20_000 }, (_, i) => `<a href="mms://h${i}.example/live">${i}</a>`);
    const page = `<html><body>${links.join('')}</body></html>`;
    const port = await rawServer(
      `HTTP/1.1 200 OK\r\nContent-Type: text/html\r\nContent-Length: ${page.length}\r\n\r\n${page}`,
    );
    const result = await probeHttp(target(port, '/'), { timeoutMs: 3000 });
    expect(result.playlist?.entries).toHaveLength(10);
    expect(result.playlist?.truncated).toBe(true);
  });

  it('HTTP: binary bytes labelled as a playlist are not read as one', async () => {
    const noise = Buffer.from(Array.from({ length: 2048 }, (_, i) => (i * 37) % 256)).toString('latin1');
    const port = await rawServer(
      `HTTP/1.1 200 OK\r\nContent-Type: audio/x-mpegurl\r\nContent-Length: ${noise.length}\r\n\r\n${noise}`,
    );
    expect((await probeHttp(target(port, '/list.m3u'), { timeoutMs: 2000 })).playlist).toBeUndefined();
  });
});

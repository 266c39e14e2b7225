import fc from 'fast-check';
import http from 'node:http';
import net from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { startMmshServer } from '../test-support/mmsh-server';
import {
  buildMmshDescribe,
  isWindowsMediaServerHeader,
  judgeMmshReply,
  parseWmspFraming,
  probeMmsh,
  readWmspFrames,
  windowsMediaServerKind,
} from './mmsh';
import { parseResponseHead } from './response-head';
import type { ProbeTarget } from './types';

const closers: Array<() => Promise<void>> = [];
afterEach(async () => {
  await Promise.all(closers.splice(0).map((close) => close()));
});

function target(port: number, path = '/live'): ProbeTarget {
  return { host: '127.0.0.1', addresses: ['127.0.0.1'], port, path };
}

async function listen(server: net.Server): Promise<number> {
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  closers.push(
    () =>
      new Promise<void>((resolve) => {
        (server as http.Server).closeAllConnections?.();
        server.close(() => resolve());
      }),
  );
  return (server.address() as net.AddressInfo).port;
}

/** A raw TCP peer: `onConnection` decides what it sends; every socket is destroyed on close. */
async function rawServer(onConnection: (socket: net.Socket) => void): Promise<number> {
  const sockets = new Set<net.Socket>();
  const server = net.createServer((socket) => {
    sockets.add(socket);
    socket.on('error', () => undefined);
    socket.on('close', () => sockets.delete(socket));
    onConnection(socket);
  });
  const port = await listen(server);
  closers.unshift(async () => {
    for (const socket of sockets) socket.destroy();
  });
  return port;
}

async function webServer(handler: http.RequestListener): Promise<number> {
  return listen(http.createServer(handler));
}

describe('buildMmshDescribe', () => {
  it('writes the Describe exactly as planned: HTTP/1.0, NSPlayer 12, WMP pragma, GUID, Supported, Close', () => {
    expect(buildMmshDescribe('media.example.com', 80, '/live', '52CB2BDB-6925-4E19-8D1D-62D10E9E2705')).toBe(
      'GET /live HTTP/1.0\r\n' +
        'Accept: */*\r\n' +
        'User-Agent: NSPlayer/12.0.7680.0\r\n' +
        'Host: media.example.com\r\n' +
        'Pragma: no-cache,rate=1.000,stream-time=0,stream-offset=0:0,packet-num=4294967295,max-duration=0\r\n' +
        'Supported: com.microsoft.wm.srvppair, com.microsoft.wm.sswitch, com.microsoft.wm.predstrm, com.microsoft.wm.startupprofile\r\n' +
        'Pragma: xClientGUID={52CB2BDB-6925-4E19-8D1D-62D10E9E2705}\r\n' +
        'Connection: Close\r\n' +
        '\r\n',
    );
  });

  it('names a non-default port, brackets IPv6, accepts a braced GUID and never sends packet-pair', () => {
    const request = buildMmshDescribe('::1', 8080, '/a b?x=1', '{ABC-123}');
    expect(request).toContain('GET /a%20b?x=1 HTTP/1.0\r\n');
    expect(request).toContain('Host: [::1]:8080\r\n');
    expect(request).toContain('Pragma: xClientGUID={ABC-123}\r\n');
    expect(request).not.toMatch(/packet-pair|xPlayStrm/);
  });

  it('cannot be split into extra headers by a hostile path or host', () => {
    const request = buildMmshDescribe('evil\r\nX-Injected: 1', 80, '/x\r\nX-Injected: 2', 'g');
    expect(request.split('\r\n').filter((line) => line.startsWith('X-Injected'))).toEqual([]);
    expect(request.endsWith('Connection: Close\r\n\r\n')).toBe(true);
  });
});

describe('parseWmspFraming', () => {
  // A single-piece $H as docs/protocols.md sec. 3.2 draws it: 24 48 LL LL | LocationId 0 | Incarnation 0 |
  // AFFlags 0x0C | PacketSize LL LL | 30 26 B2 75 …
  const header = Buffer.from('2448' + '1000' + '00000000' + '00' + '0c' + '1000' + '3026b2758e66cf11', 'hex');

  it('reads a $H framing header and its MMS data header (little-endian)', () => {
    expect(parseWmspFraming(header)).toEqual({
      type: '$H',
      followsImmediately: false,
      packetLength: 0x10,
      dataHeader: { locationId: 0, incarnation: 0, afFlags: 0x0c, packetSize: 0x10 },
      reason: null,
      payloadOffset: 12,
      payloadAvailable: 8,
      asfHeaderStart: true,
    });
  });

  it('reads the B bit, a $D packet number and multi-byte values in little-endian order', () => {
    const data = Buffer.from('a444' + '0c01' + '07060504' + '02' + '09' + '0c01', 'hex');
    expect(parseWmspFraming(data)).toMatchObject({
      type: '$D',
      followsImmediately: true,
      packetLength: 0x010c,
      dataHeader: { locationId: 0x04050607, incarnation: 2, afFlags: 9, packetSize: 0x010c },
      payloadAvailable: 0,
    });
  });

  it('reads the Reason of $E and $C, and $T with no body', () => {
    expect(parseWmspFraming(Buffer.from('24450400092f0d00', 'hex'))).toMatchObject({
      type: '$E',
      reason: 0x000d2f09,
    });
    expect(parseWmspFraming(Buffer.from('2443040000000000', 'hex'))).toMatchObject({ type: '$C', reason: 0 });
    expect(parseWmspFraming(Buffer.from('24540000', 'hex'))).toMatchObject({
      type: '$T',
      packetLength: 0,
      reason: null,
    });
  });

  it('leaves fields it cannot see yet as null, and flags a $H whose payload is not an ASF header', () => {
    expect(parseWmspFraming(header.subarray(0, 6))).toMatchObject({
      type: '$H',
      dataHeader: null,
      asfHeaderStart: null,
    });
    const wrongPayload = Buffer.from(header);
    wrongPayload[12] = 0x00;
    expect(parseWmspFraming(wrongPayload)?.asfHeaderStart).toBe(false);
  });

  it('returns null for everything that is not WMSP framing', () => {
    expect(parseWmspFraming(Buffer.alloc(0))).toBeNull();
    expect(parseWmspFraming(Buffer.from('2448', 'hex'))).toBeNull(); // too short
    expect(parseWmspFraming(Buffer.from('HTTP/1.0 200 OK'))).toBeNull();
    expect(parseWmspFraming(Buffer.from('245a0000', 'hex'))).toBeNull(); // unknown PacketID
    expect(parseWmspFraming(Buffer.from('24480400000000', 'hex'))).toBeNull(); // $H shorter than its data header
    expect(parseWmspFraming(header, -1)).toBeNull();
  });

  it('walks consecutive frames and stops at a cut-off one', () => {
    const end = Buffer.from('2445040000000000', 'hex');
    expect(readWmspFrames(Buffer.concat([header, end])).map((f) => f.type)).toEqual(['$H', '$E']);
    expect(readWmspFrames(Buffer.concat([header, end.subarray(0, 5)])).map((f) => f.type)).toEqual(['$H']);
  });

  it('never throws on random or truncated bytes, and its offsets stay inside the input', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 64 }), fc.integer({ min: -2, max: 70 }), (bytes, offset) => {
        const frame = parseWmspFraming(bytes, offset);
        if (frame) {
          expect(frame.payloadAvailable).toBeLessThanOrEqual(bytes.length - offset);
          expect(frame.payloadAvailable).toBeGreaterThanOrEqual(0);
        }
        const frames = readWmspFrames(bytes);
        expect(frames.reduce((sum, f) => sum + 4 + f.packetLength, 0)).toBeLessThanOrEqual(bytes.length);
      }),
      { numRuns: 2000 },
    );
  });
});

describe('isWindowsMediaServerHeader', () => {
  it.each([
    ['Cougar/9.01.01.3814', true, 'cougar'],
    ['Cougar/9.5.6001.18281', true, 'cougar'],
    ['cougar/4.1.0.3925', true, 'cougar'],
    ['Rex/9.0.0.2837', true, 'rex'],
    ['Cougar 4.1.0.3921', true, 'vlc-cougar'],
    ['Cougar', false, null],
    ['nginx/1.22.1', false, null],
    ['Microsoft-IIS/10.0', false, null],
    ['WMServer/9.1.1.3814', false, null],
    ['Apache/2.4.57 (Debian) Cougar/9', false, null],
    ['', false, null],
    [null, false, null],
  ])('%s → %s', (server, expected, kind) => {
    expect(isWindowsMediaServerHeader(server)).toBe(expected);
    expect(windowsMediaServerKind(server)).toBe(kind);
  });
});

describe('judgeMmshReply', () => {
  const head = (text: string) => parseResponseHead(Buffer.from(text))!;

  it('does not take Pragma: no-cache as a sign of Windows Media (Icecast sends it too)', () => {
    const verdict = judgeMmshReply(
      head(
        'HTTP/1.0 200 OK\r\nServer: Icecast 2.4.4\r\nPragma: no-cache\r\nContent-Type: audio/mpeg\r\n\r\n',
      ),
      Buffer.from([0xff, 0xfb, 0x90, 0x64]),
    );
    expect(verdict.speaks).toBe(false);
    expect(verdict.detail).toContain('an ordinary web server (Icecast 2.4.4) answered 200 with audio/mpeg');
  });

  it('says where an ordinary web server redirects to', () => {
    const verdict = judgeMmshReply(
      head('HTTP/1.1 301 Moved Permanently\r\nServer: nginx\r\nLocation: https://cdn.example/live\r\n\r\n'),
      Buffer.alloc(0),
    );
    expect(verdict.speaks).toBe(false);
    expect(verdict.detail).toContain('answered 301 (a redirect to https://cdn.example/live)');
  });

  it('names the Windows release behind a Cougar version', () => {
    const verdict = judgeMmshReply(
      head('HTTP/1.1 404 Not Found\r\nServer: Cougar/9.6.7100.0\r\n\r\n'),
      Buffer.alloc(0),
    );
    expect(verdict).toMatchObject({ speaks: true, facts: { windowsMediaServer: true, framing: null } });
    expect(verdict.detail).toContain('Windows Media Services on Windows Server 2008 R2 (Cougar/9.6.7100.0)');
  });

  it('never throws on random heads and bodies, and keeps the detail plain and short', () => {
    const value = fc.oneof(fc.string({ maxLength: 40 }), fc.string({ minLength: 300, maxLength: 3000 }));
    const headerName = fc.constantFrom(
      'Server',
      'Content-Type',
      'Location',
      'WWW-Authenticate',
      'Pragma',
      'X-Other',
    );
    const status = fc.constantFrom(200, 302, 401, 404, 500, 999);
    fc.assert(
      fc.property(
        status,
        fc.array(fc.tuple(headerName, value), { maxLength: 6 }),
        fc.uint8Array({ maxLength: 32 }),
        (code, headers, body) => {
          const lines = headers.map(([name, text]) => `${name}: ${text.replace(/[\r\n]/g, '')}`);
          const parsed = parseResponseHead(
            Buffer.from(`HTTP/1.0 ${code} \x01Odd\r\n${lines.join('\r\n')}\r\n\r\n`, 'latin1'),
          );
          if (!parsed) return;
          const { detail } = judgeMmshReply(parsed, body);
          expect(detail).not.toMatch(/\p{Cc}/u);
          expect(detail.length).toBeLessThanOrEqual(1000);
        },
      ),
      { numRuns: 500 },
    );
    // A Cougar whose other headers are hostile still gets a plain sentence.
    const hostile = parseResponseHead(
      Buffer.from(
        `HTTP/1.0 302 \x07Moved\r\nServer: Cougar/9.0\x1b[31m\r\nLocation: ${'x'.repeat(5000)}\r\n\r\n`,
        'latin1',
      ),
    )!;
    const { detail } = judgeMmshReply(hostile, Buffer.alloc(0));
    expect(detail).not.toMatch(/\p{Cc}/u);
    expect(detail.length).toBeLessThanOrEqual(1000);
  });
});

describe('probeMmsh', () => {
  const options = { timeoutMs: 3000 };

  it('recognises the WMS simulator: Cougar, 200, $M then $H, features, the whole Describe sent', async () => {
    const server = await startMmshServer();
    closers.push(() => server.close());
    const result = await probeMmsh(target(server.port), options);
    expect(result).toMatchObject({
      protocol: 'mmsh',
      reachability: 'open',
      speaks: true,
      server: 'Cougar/9.01.01.3814',
      status: 200,
      replyKind: 'http',
      ending: 'complete',
      mmsh: {
        windowsMediaServer: true,
        contentType: 'application/vnd.ms.wms-hdr.asfv1',
        framing: '$M',
        features: 'seekable,stridable',
      },
    });
    expect(result.detail).toContain(
      'Windows Media Services on Windows Server 2003 SP1 (Cougar/9.01.01.3814) answered 200',
    );
    // The simulator saw our Describe, not a Play.
    expect(server.requests.map((r) => r.kind)).toEqual(['describe']);
    expect(server.requests[0]!.headers).toContainEqual(['User-Agent', 'NSPlayer/12.0.7680.0']);
    expect(result.evidence.sent).toMatch(/^GET \/live HTTP\/1\.0\r\n/);
    expect(result.evidence.received).toContain('Server: Cougar/9.01.01.3814');
  });

  it('sees $H first from a WMS 4.1, which sends no $M and the old octet-stream type', async () => {
    const server = await startMmshServer({ server: 'Cougar/4.1.0.3925' });
    closers.push(() => server.close());
    const result = await probeMmsh(target(server.port), options);
    expect(result.mmsh).toEqual({
      windowsMediaServer: true,
      contentType: 'application/octet-stream',
      framing: '$H',
      features: 'seekable,stridable',
    });
    expect(result.detail).toContain('Windows 2000 Server');
  });

  it('reports a missing publishing point (404) and a password (401) from a WMS as a WMS speaking', async () => {
    const server = await startMmshServer({ streams: { '/live': 'ok', '/private': 'auth' } });
    closers.push(() => server.close());
    const [missing, locked] = await Promise.all([
      probeMmsh(target(server.port, '/gone'), options),
      probeMmsh(target(server.port, '/private'), options),
    ]);
    expect(missing).toMatchObject({
      speaks: true,
      status: 404,
      mmsh: { windowsMediaServer: true, framing: null },
    });
    expect(missing.detail).toContain('no publishing point or file at this path');
    expect(locked).toMatchObject({ speaks: true, status: 401 });
    expect(locked.detail).toMatch(/asks for credentials \(401; Negotiate, NTLM\)/);
  });

  it('speaks, with a warning, when a server frames like WMS but does not call itself Cougar/Rex', async () => {
    const server = await startMmshServer({ server: 'CustomStreamer/2.0' });
    closers.push(() => server.close());
    const result = await probeMmsh(target(server.port), options);
    expect(result).toMatchObject({
      speaks: true,
      server: 'CustomStreamer/2.0',
      mmsh: { windowsMediaServer: false, framing: '$H' },
    });
    expect(result.detail).toContain('0xC00D2EE8');
  });

  it('calls a plain web server what it is, naming its Server header: the 0xC00D2EE8 case', async () => {
    const port = await webServer((_request, response) => {
      response.writeHead(404, {
        Server: 'Apache/2.4.57 (Debian)',
        'Content-Type': 'text/html',
        Pragma: 'no-cache',
      });
      response.end('<html><body>Not Found</body></html>');
    });
    const result = await probeMmsh(target(port), options);
    expect(result).toMatchObject({
      speaks: false,
      server: 'Apache/2.4.57 (Debian)',
      status: 404,
      replyKind: 'http',
      mmsh: { windowsMediaServer: false, framing: null, contentType: 'text/html' },
    });
    expect(result.detail).toBe(
      'an ordinary web server (Apache/2.4.57 (Debian)) answered 404 with text/html; it is not a Windows Media ' +
        'streaming server — this is what Windows Media Player reports as 0xC00D2EE8',
    );
  });

  it('says so when a web server sends no Server header at all, and points at IIS when IIS answers', async () => {
    const anonymous = await webServer((_request, response) => {
      response.writeHead(200, { 'Content-Type': 'text/html' });
      response.end('<p>hello</p>');
    });
    const iis = await webServer((_request, response) => {
      response.writeHead(200, { 'Content-Type': 'text/html', Server: 'Microsoft-IIS/10.0' });
      response.end('<p>IIS Windows Server</p>');
    });
    const [plain, fromIis] = await Promise.all([
      probeMmsh(target(anonymous), options),
      probeMmsh(target(iis), options),
    ]);
    expect(plain).toMatchObject({ speaks: false, server: null, status: 200 });
    expect(plain.detail).toContain(
      'an ordinary web server (it sends no Server header) answered 200 with text/html',
    );
    expect(fromIis.detail).toContain('IIS / HTTP.sys holds this port');
  });

  it('reports an RTSP server on the port as RTSP, not as HTTP', async () => {
    const port = await rawServer((socket) =>
      socket.once('data', () =>
        socket.end('RTSP/1.0 505 RTSP Version Not Supported\r\nServer: WMServer/9.1.1.3814\r\n\r\n'),
      ),
    );
    const result = await probeMmsh(target(port), options);
    expect(result).toMatchObject({
      speaks: false,
      replyKind: 'rtsp',
      status: null,
      server: 'WMServer/9.1.1.3814',
    });
    expect(result.detail).toContain('an RTSP server answered');
  });

  it('gives up on headers that never end at 16 KiB (byte-limit), well before the time bound', async () => {
    const port = await rawServer((socket) => {
      socket.write('HTTP/1.0 200 OK\r\nServer: Cougar/9.01.01.3814\r\n');
      const timer = setInterval(() => {
        if (!socket.destroyed) socket.write('X-Padding: ' + 'a'.repeat(500) + '\r\n');
      }, 1);
      socket.on('close', () => clearInterval(timer));
    });
    const started = performance.now();
    const result = await probeMmsh(target(port), { timeoutMs: 5000 });
    expect(performance.now() - started).toBeLessThan(4000);
    expect(result).toMatchObject({ speaks: false, ending: 'byte-limit', replyKind: 'http', status: null });
    expect(result.detail).toContain('did not end within 16 KiB');
    expect(result.evidence.received.length).toBeLessThanOrEqual(8192);
  });

  it('waits no longer than its bound for a silent peer', async () => {
    const port = await rawServer(() => undefined);
    const started = performance.now();
    const result = await probeMmsh(target(port), { timeoutMs: 400 });
    expect(performance.now() - started).toBeLessThan(1200);
    expect(result).toMatchObject({
      reachability: 'open',
      speaks: false,
      replyKind: 'nothing',
      ending: 'timeout',
    });
    expect(result.detail).toContain('sent nothing back within 400 ms');
  });

  it('stops at once when aborted', async () => {
    const port = await rawServer(() => undefined);
    const controller = new AbortController();
    setTimeout(() => controller.abort(), 100);
    const started = performance.now();
    const result = await probeMmsh(target(port), { timeoutMs: 5000, signal: controller.signal });
    expect(performance.now() - started).toBeLessThan(1000);
    expect(result).toMatchObject({ speaks: false, ending: 'cancelled' });
  });

  it('reports a closed port as refused', async () => {
    const probe = net.createServer();
    await new Promise<void>((resolve) => probe.listen(0, '127.0.0.1', resolve));
    const port = (probe.address() as net.AddressInfo).port;
    await new Promise<void>((resolve) => probe.close(() => resolve()));
    const result = await probeMmsh(target(port), options);
    expect(result).toMatchObject({ reachability: 'refused', speaks: false, replyKind: 'nothing' });
  });
});

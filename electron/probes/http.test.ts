import fc from 'fast-check';
import http from 'node:http';
import net from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { startMmshServer } from '../test-support/mmsh-server';
import {
  BROWSER_USER_AGENT,
  bodyProgress,
  buildHttpGet,
  classifyPage,
  decodeBodyText,
  dechunk,
  HTTP_BODY_LIMIT,
  probeHttp,
  summarizePage,
} from './http';
import { parseResponseHead } from './response-head';
import type { ProbeTarget } from './types';

const closers: Array<() => Promise<void>> = [];
afterEach(async () => {
  await Promise.all(closers.splice(0).map((close) => close()));
});

function target(port: number, path = '/', tls = false): ProbeTarget {
  return { host: '127.0.0.1', addresses: ['127.0.0.1'], port, path, tls };
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

function webServer(handler: http.RequestListener): Promise<number> {
  return listen(http.createServer(handler));
}

const options = { timeoutMs: 3000 };

describe('buildHttpGet', () => {
  it('asks like a browser: HTTP/1.1, Host, browser User-Agent, no compression, Connection: close', () => {
    expect(buildHttpGet('radio.example.org', 80, '/listen.html', false)).toBe(
      'GET /listen.html HTTP/1.1\r\n' +
        'Host: radio.example.org\r\n' +
        `User-Agent: ${BROWSER_USER_AGENT}\r\n` +
        'Accept: text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8\r\n' +
        'Accept-Language: en-US,en;q=0.9\r\n' +
        'Accept-Encoding: identity\r\n' +
        'Connection: close\r\n' +
        '\r\n',
    );
    expect(buildHttpGet('radio.example.org', 443, '/', true)).toContain('Host: radio.example.org\r\n');
    expect(buildHttpGet('radio.example.org', 80, '/', true)).toContain('Host: radio.example.org:80\r\n');
  });
});

describe('dechunk', () => {
  const raw = (text: string) => Buffer.from(text, 'latin1');

  it('joins chunks, ignores extensions and trailers, tolerates bare LF', () => {
    expect(dechunk(raw('5\r\nhello\r\n1;ext=1\r\n \r\n6\nworld!\n0\r\nX-Trailer: 1\r\n\r\n'))).toEqual({
      body: raw('hello world!'),
      complete: true,
      malformed: false,
    });
  });

  it('returns what arrived of an unfinished body, and says when the framing is garbage', () => {
    expect(dechunk(raw('a\r\n01234'))).toEqual({ body: raw('01234'), complete: false, malformed: false });
    expect(dechunk(raw('5\r\nhello\r\nzz\r\n'))).toEqual({
      body: raw('hello'),
      complete: false,
      malformed: true,
    });
    expect(dechunk(raw('5\r\nhelloXX'))).toMatchObject({ body: raw('hello'), malformed: true });
    expect(dechunk(raw('1'.repeat(2000)))).toMatchObject({ complete: false, malformed: true });
  });

  it('never trusts a chunk size: a 4 GiB chunk with 3 bytes yields 3 bytes', () => {
    expect(dechunk(raw('ffffffff\r\nabc'))).toEqual({ body: raw('abc'), complete: false, malformed: false });
  });

  it('stops at the limit', () => {
    expect(dechunk(raw('5\r\nhello\r\n5\r\nworld\r\n0\r\n\r\n'), 7).body).toEqual(raw('hellowo'));
  });

  it('never throws and never exceeds the limit or the input on random bytes', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 200 }), fc.integer({ min: 0, max: 100 }), (bytes, limit) => {
        const result = dechunk(bytes, limit);
        expect(result.body.length).toBeLessThanOrEqual(Math.min(limit, bytes.length));
      }),
      { numRuns: 2000 },
    );
  });
});

describe('bodyProgress', () => {
  const head = (text: string) => parseResponseHead(Buffer.from(`${text}\r\n\r\n`))!;

  it.each([
    ['HTTP/1.1 204 No Content', 'ignored', 4, { body: '', ended: true, truncated: false }],
    ['HTTP/1.1 200 OK\r\nContent-Length: 5', 'hel', 5, { body: 'hel', ended: false, truncated: false }],
    ['HTTP/1.1 200 OK\r\nContent-Length: 5', 'hello', 5, { body: 'hello', ended: true, truncated: false }],
    [
      'HTTP/1.1 200 OK\r\nContent-Length: 2147483648',
      'abcdefghij',
      4,
      { body: 'abcd', ended: false, truncated: true },
    ],
    [
      'HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked',
      '3\r\nabc\r\n0\r\n\r\n',
      4,
      { body: 'abc', ended: true, truncated: false },
    ],
    ['HTTP/1.0 200 OK', 'abc', 4, { body: 'abc', ended: false, truncated: false }],
    ['HTTP/1.0 200 OK', 'abcdef', 4, { body: 'abcd', ended: false, truncated: true }],
  ])('%j with %j (limit %d)', (status, body, limit, expected) => {
    const progress = bodyProgress(head(status), Buffer.from(body), limit);
    expect({ body: progress.body.toString(), ended: progress.ended, truncated: progress.truncated }).toEqual(
      expected,
    );
  });
});

describe('classifyPage', () => {
  const asfGuid = Buffer.from('3026b2758e66cf11a6d900aa0062ce6c0000', 'hex');
  it.each([
    ['text/html; charset=utf-8', '<p>hi</p>', 'html'],
    [null, '<!DOCTYPE html><html>', 'html'],
    ['video/x-ms-asf', '<ASX version="3.0"><Entry><Ref href="mms://x/y"/></Entry></ASX>', 'asx'],
    ['text/plain', '  \r\n<asx version="3.0"></asx>', 'asx'],
    ['video/x-ms-asf', '[Reference]\r\nRef1=http://x/y\r\n', 'asx'],
    ['video/x-ms-asf', '<?xml version="1.0"?><asx version="3.0"></asx>', 'asx'],
    ['application/vnd.apple.mpegurl', '#EXTM3U\n#EXT-X-VERSION:3\n', 'hls'],
    [
      'application/dash+xml',
      '<?xml version="1.0"?>\n<!-- made by x -->\n<MPD xmlns="urn:mpeg:dash:schema:mpd:2011">',
      'dash',
    ],
    ['application/octet-stream', asfGuid, 'media'],
    ['audio/mpeg', Buffer.from([0xff, 0xfb, 0x90, 0x64]), 'media'],
    ['application/ogg', 'OggS\0\u0002', 'media'],
    ['application/octet-stream', Buffer.from('2448170300000000000c17033026b2758e66', 'hex'), 'media'],
    ['text/plain', '$Hello there, this is just text', 'other'],
    ['application/json', '{"stream":"x"}', 'other'],
    ['text/html', '', 'empty'],
  ])('%s %j → %s', (contentType, body, kind) => {
    expect(classifyPage(contentType, typeof body === 'string' ? Buffer.from(body, 'latin1') : body)).toBe(
      kind,
    );
  });

  it('reads a UTF-16 ASX (as Windows tools save them) by its byte order mark', () => {
    const utf16 = Buffer.concat([
      Buffer.from([0xff, 0xfe]),
      Buffer.from('<asx version="3.0"><ref href="mms://u/x"/></asx>', 'utf16le'),
    ]);
    expect(classifyPage('video/x-ms-asf', utf16)).toBe('asx');
    expect(decodeBodyText(utf16, null)).toContain('mms://u/x');
  });

  it('never throws on random bodies and content types', () => {
    fc.assert(
      fc.property(
        fc.option(fc.string({ maxLength: 40 })),
        fc.uint8Array({ maxLength: 100 }),
        (type, body) => {
          expect(['html', 'asx', 'hls', 'dash', 'media', 'other', 'empty']).toContain(
            classifyPage(type, body, '/x.asx'),
          );
        },
      ),
      { numRuns: 1000 },
    );
  });
});

describe('summarizePage', () => {
  it('keeps the detail plain and bounded whatever the headers and body hold', () => {
    const value = fc.oneof(fc.string({ maxLength: 40 }), fc.string({ minLength: 300, maxLength: 3000 }));
    const headerName = fc.constantFrom(
      'Content-Type',
      'Location',
      'Content-Length',
      'Transfer-Encoding',
      'X-Other',
    );
    const body = fc.oneof(
      fc.uint8Array({ maxLength: 200 }),
      fc
        .string({ maxLength: 300 })
        .map((text) => Buffer.from(`<asx><ref href="mms://\x01${text}"/></asx>`, 'latin1')),
    );
    fc.assert(
      fc.property(
        fc.constantFrom(200, 301, 302, 404, 500),
        fc.array(fc.tuple(headerName, value), { maxLength: 5 }),
        body,
        (code, headers, content) => {
          const lines = headers.map(([name, text]) => `${name}: ${text.replace(/[\r\n]/g, '')}`);
          const head = parseResponseHead(
            Buffer.from(`HTTP/1.1 ${code} R\x02\r\n${lines.join('\r\n')}\r\n\r\n`, 'latin1'),
          );
          if (!head) return;
          const { detail, facts } = summarizePage(
            head,
            Buffer.from(content),
            false,
            'http://127.0.0.1:8080/page',
          );
          expect(detail).not.toMatch(/\p{Cc}/u);
          expect(detail.length).toBeLessThanOrEqual(1000);
          for (const link of facts.mmsLinks) expect(link).not.toMatch(/\p{Cc}/u);
        },
      ),
      { numRuns: 500 },
    );
  });
});

describe('probeHttp', () => {
  it('de-chunks an HTML page and finds its hard-coded mms:// links, even split across chunks', async () => {
    const port = await webServer((_request, response) => {
      response.writeHead(200, { 'Content-Type': 'text/html; charset=utf-8', Server: 'nginx/1.22.1' });
      // No Content-Length on HTTP/1.1: Node sends chunked; the first link is cut in the middle of a chunk.
      response.write('<html><body><a href="mms://media.exa');
      response.write('mple.com/live">Live</a>\n');
      response.write('<param name="FileName" value="mms://media.example.com/archive.wmv?a=1&amp;b=2">');
      response.end('</body></html>');
    });
    const result = await probeHttp(target(port, '/radio.html'), options);
    expect(result).toMatchObject({
      protocol: 'http',
      reachability: 'open',
      speaks: true,
      server: 'nginx/1.22.1',
      status: 200,
      replyKind: 'http',
      ending: 'complete',
      http: {
        contentType: 'text/html; charset=utf-8',
        kind: 'html',
        mmsLinks: ['mms://media.example.com/live', 'mms://media.example.com/archive.wmv?a=1&b=2'],
        redirectUrl: null,
        contentLength: null,
      },
    });
    expect(result.detail).toBe('an HTML page (text/html; charset=utf-8, 200) with 2 hard-coded mms:// links');
    expect(result.evidence.received).toContain('Transfer-Encoding: chunked');
  });

  it('reads an ASX playlist and says where it points', async () => {
    const asx =
      '<ASX version="3.0">\r\n<Entry><Ref href="mms://wm.example.com/live"/><Ref href="http://wm.example.com/live"/></Entry>\r\n</ASX>\r\n';
    const port = await webServer((_request, response) => {
      response.writeHead(200, { 'Content-Type': 'video/x-ms-asf', 'Content-Length': Buffer.byteLength(asx) });
      response.end(asx);
    });
    const result = await probeHttp(target(port, '/live.asx'), options);
    expect(result.http).toEqual({
      contentType: 'video/x-ms-asf',
      kind: 'asx',
      mmsLinks: ['mms://wm.example.com/live'],
      redirectUrl: null,
      contentLength: Buffer.byteLength(asx),
    });
    expect(result.detail).toBe(
      'an ASX playlist (video/x-ms-asf, 200) pointing at mms://wm.example.com/live and 1 more URL',
    );
  });

  it('gets the ASX a Windows Media server hands to web browsers (simulator)', async () => {
    const server = await startMmshServer();
    closers.push(() => server.close());
    const result = await probeHttp(target(server.port, '/live'), options);
    expect(result).toMatchObject({
      speaks: true,
      server: 'Cougar/9.01.01.3814',
      status: 200,
      http: { kind: 'asx' },
    });
    expect(result.detail).toContain(`pointing at http://127.0.0.1:${server.port}/live`);
    expect(server.requests[0]?.kind).toBe('browser');
  });

  it('resolves a relative redirect against the URL it asked for', async () => {
    const port = await webServer((_request, response) => {
      response.writeHead(302, { Location: '/new/place.asx', 'Content-Length': '0' });
      response.end();
    });
    const result = await probeHttp(target(port, '/old'), options);
    expect(result.http?.redirectUrl).toBe(`http://127.0.0.1:${port}/new/place.asx`);
    expect(result.detail).toBe(`a redirect (302) to http://127.0.0.1:${port}/new/place.asx`);
  });

  it('reads at most 256 KiB of a big body and says so', async () => {
    const big = Buffer.alloc(2 * 1024 * 1024, 'a');
    const port = await webServer((_request, response) => {
      response.writeHead(200, { 'Content-Type': 'text/plain', 'Content-Length': big.length });
      response.end(big);
    });
    const result = await probeHttp(target(port, '/big.txt'), options);
    expect(result).toMatchObject({
      speaks: true,
      status: 200,
      ending: 'byte-limit',
      http: { kind: 'other', contentLength: big.length },
    });
    expect(result.detail).toContain(`only the first ${HTTP_BODY_LIMIT / 1024} KiB read`);
    expect(result.evidence.received.length).toBeLessThanOrEqual(8192);
  });

  it('reports a 404 page with its status and reason', async () => {
    const port = await webServer((_request, response) => {
      response.writeHead(404, { 'Content-Type': 'text/html' });
      response.end('<html><body>no such stream</body></html>');
    });
    const result = await probeHttp(target(port, '/missing'), options);
    expect(result).toMatchObject({ speaks: true, status: 404, http: { kind: 'html', mmsLinks: [] } });
    expect(result.detail).toBe('an HTML page (text/html, 404 Not Found) with no mms:// links');
  });

  it('reports a failed TLS handshake (https:// to a plain HTTP port) in the detail', async () => {
    const port = await webServer((_request, response) => response.end('plain'));
    const result = await probeHttp(target(port, '/', true), options);
    expect(result).toMatchObject({ reachability: 'open', speaks: false, status: null });
    expect(result.detail).toMatch(/TLS handshake failed/);
  });

  it('does not take a blank line inside binary noise for the end of a head: it reads to the byte limit', async () => {
    const noise = net.createServer((socket) => {
      socket.on('error', () => undefined);
      socket.end(Buffer.concat([Buffer.from([0x00, 0x01, 0x0a, 0x0a]), Buffer.alloc(64 * 1024, 0x07)]));
    });
    const result = await probeHttp(target(await listen(noise)), options);
    expect(result).toMatchObject({ speaks: false, replyKind: 'binary', ending: 'byte-limit', status: null });
    expect(result.detail).toContain('answered with binary data');
  });

  it('reads endless one-byte chunks in linear time: stops at the byte cap, not at the time bound', async () => {
    const piece = Buffer.from('1\r\na\r\n'.repeat(170), 'latin1'); // ~1 KiB per write
    const chunked = net.createServer((socket) => {
      socket.on('error', () => undefined);
      socket.write('HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\nTransfer-Encoding: chunked\r\n\r\n');
      // One piece per turn of the event loop, as segments off a real network arrive.
      const pump = (): void => {
        if (socket.destroyed) return;
        if (socket.write(piece)) setImmediate(pump);
        else socket.once('drain', pump);
      };
      pump();
    });
    const started = performance.now();
    const result = await probeHttp(target(await listen(chunked)), { timeoutMs: 5000 });
    expect(performance.now() - started).toBeLessThan(2000);
    expect(result).toMatchObject({
      speaks: true,
      status: 200,
      ending: 'byte-limit',
      http: { kind: 'other' },
    });
  });

  it('reports an RTSP server, a closed port, and an abort plainly', async () => {
    const rtsp = net.createServer((socket) => {
      socket.on('error', () => undefined);
      socket.once('data', () => socket.end('RTSP/1.0 400 Bad Request\r\nAllow: OPTIONS, DESCRIBE\r\n\r\n'));
    });
    const rtspPort = await listen(rtsp);
    const silentSockets: net.Socket[] = [];
    const silent = net.createServer((socket) => void silentSockets.push(socket));
    const silentPort = await listen(silent);
    closers.unshift(async () => silentSockets.forEach((socket) => socket.destroy()));
    const closed = net.createServer();
    const closedPort = await listen(closed);
    await new Promise<void>((resolve) => closed.close(() => resolve()));

    const controller = new AbortController();
    setTimeout(() => controller.abort(), 100);
    const started = performance.now();
    const [fromRtsp, fromClosed, aborted] = await Promise.all([
      probeHttp(target(rtspPort), options),
      probeHttp(target(closedPort), options),
      probeHttp(target(silentPort), { timeoutMs: 5000, signal: controller.signal }),
    ]);
    expect(performance.now() - started).toBeLessThan(1500);
    expect(fromRtsp).toMatchObject({ speaks: false, replyKind: 'rtsp', status: null });
    expect(fromRtsp.detail).toContain('an RTSP server answered');
    expect(fromClosed).toMatchObject({ reachability: 'refused', speaks: false });
    expect(aborted).toMatchObject({ speaks: false, ending: 'cancelled' });
  });
});

import net from 'node:net';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { asfSample } from '../test-support/asf-sample';
import {
  pgmpuHeader,
  startRtspServer,
  WMS_SERVER_HEADER,
  type RtspServerHandle,
} from '../test-support/rtsp-server';
import {
  buildRtspRequest,
  identifyRtspProduct,
  measureRtspReply,
  parsePublic,
  probeRtsp,
  rtspUrl,
  sdpAsfHeader,
  sdpHasWmsAsfHeader,
  WMS_ASF_HEADER_LINE,
} from './rtsp';
import type { ProbeTarget } from './types';

const GUID = '3300AD50-2C39-46C0-AE0A-FF4DD9402916';

function local(port: number, path = '/live'): ProbeTarget {
  return { host: '127.0.0.1', addresses: ['127.0.0.1'], port, path };
}

/** A throwaway TCP server on 127.0.0.1 whose behaviour the test writes; counts connections. */
async function tinyServer(onConnection: (socket: net.Socket) => void): Promise<{
  port: number;
  connections: () => number;
  close: () => Promise<void>;
}> {
  const sockets = new Set<net.Socket>();
  let connections = 0;
  const server = net.createServer((socket) => {
    connections++;
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
    socket.on('error', () => undefined);
    onConnection(socket);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve()));
  const address = server.address() as net.AddressInfo;
  return {
    port: address.port,
    connections: () => connections,
    close: () =>
      new Promise<void>((resolve) => {
        for (const socket of sockets) socket.destroy();
        server.close(() => resolve());
      }),
  };
}

describe('buildRtspRequest', () => {
  it('writes OPTIONS exactly as WMP 12 would', () => {
    expect(buildRtspRequest('OPTIONS', 'rtsp://wms.example/live', 1, GUID)).toBe(
      'OPTIONS rtsp://wms.example/live RTSP/1.0\r\n' +
        `User-Agent: WMPlayer/12.0.7601.17514 guid/${GUID}\r\n` +
        'Accept-Charset: UTF-8, *;q=0.1\r\n' +
        'X-Accept-Authentication: Negotiate, NTLM, Digest\r\n' +
        'Accept-Language: en-US, *;q=0.1\r\n' +
        'CSeq: 1\r\n' +
        'Supported: com.microsoft.wm.srvppair, com.microsoft.wm.sswitch, com.microsoft.wm.eosmsg, ' +
        'com.microsoft.wm.predstrm, com.microsoft.wm.startupprofile\r\n' +
        '\r\n',
    );
  });

  it('adds Accept: application/sdp to DESCRIBE', () => {
    const request = buildRtspRequest('DESCRIBE', 'rtsp://wms.example:8554/a/b.wmv', 2, GUID.toLowerCase());
    expect(request.split('\r\n').slice(0, 3)).toEqual([
      'DESCRIBE rtsp://wms.example:8554/a/b.wmv RTSP/1.0',
      `User-Agent: WMPlayer/12.0.7601.17514 guid/${GUID}`,
      'Accept: application/sdp',
    ]);
    expect(request).toContain('\r\nCSeq: 2\r\n');
    expect(request.endsWith('\r\n\r\n')).toBe(true);
  });

  it('cannot be made to inject lines: spaces, CR/LF and non-ASCII are percent-encoded', () => {
    const request = buildRtspRequest('OPTIONS', 'rtsp://h/a b\r\nX-Evil: 1/é', 3, 'not-a-guid\r\n');
    const [requestLine] = request.split('\r\n');
    expect(requestLine).toBe('OPTIONS rtsp://h/a%20b%0D%0AX-Evil:%201/%C3%A9 RTSP/1.0');
    expect(request).not.toContain('X-Evil: 1');
    expect(request).toContain('guid/-A-D\r\n');
  });

  it('names the presentation URL like WMP: default port left out, IPv6 in brackets', () => {
    expect(rtspUrl(local(554))).toBe('rtsp://127.0.0.1/live');
    expect(rtspUrl({ ...local(8554), path: '/x?y=1' })).toBe('rtsp://127.0.0.1:8554/x?y=1');
    expect(rtspUrl({ host: '::1', addresses: ['::1'], port: 554, path: '/live' })).toBe('rtsp://[::1]/live');
  });
});

describe('identifyRtspProduct', () => {
  // Server values from the reference (sec. 4, its table of other RTSP servers, and nmap's match lines).
  const table: Array<[string | null, string]> = [
    ['WMServer/9.5.5732.6324', 'WMServer'],
    ['WMServer/9.0.0.3239', 'WMServer'],
    ['WMServer/ 9.0.0.197', 'WMServer'],
    ['wmserver/9.6.7600.16385', 'WMServer'],
    ['VLC/3.0.21', 'VLC'],
    ['vlc 0.8.6', 'VLC'],
    ['GStreamer RTSP server', 'GStreamer'],
    ['Wowza Media Server 3.6.2 build8178', 'Wowza'],
    ['Wowza Streaming Engine 4.8.5 build 20200616', 'Wowza'],
    ['Helix Mobile Server Version 14.3.0.123 (win-2003-x86)', 'Helix'],
    ['RealServer Version 9.0.2.794 (sunos-5.8-sparc)', 'Helix'],
    ['DSS/5.5.5 (Build/489.16; Platform/Linux; Release/Darwin; state/beta; )', 'Darwin'],
    ['QTSS/4.1.3 (Build/412.42; Platform/MacOSX)', 'Darwin'],
    ['gortsplib', 'other'],
    ['Dahua Rtsp Server', 'other'],
    ['Cougar/9.01.01.3814', 'other'],
    ['  ', 'none'],
    [null, 'none'],
  ];
  it.each(table)('Server %j is %s', (server, product) => {
    expect(identifyRtspProduct(server, [], null)).toBe(product);
  });

  it('knows LIVE555 by its SDP tool line when there is no Server header', () => {
    const sdp = 'v=0\r\no=- 1 1 IN IP4 10.0.0.1\r\ns=cam\r\na=tool:LIVE555 Streaming Media v2024.11.28\r\n';
    expect(identifyRtspProduct(null, [], sdp)).toBe('LIVE555');
    // A named server wins over the SDP (many products embed the library).
    expect(identifyRtspProduct('Acme Camera', [], sdp)).toBe('other');
  });

  it('knows a Real server by RealChallenge1 even without a Server header', () => {
    expect(identifyRtspProduct(null, [['RealChallenge1', 'abc']], null)).toBe('Helix');
  });
});

describe('SDP checks', () => {
  const withHeader = async (): Promise<string> => {
    const sample = await asfSample();
    return `v=0\r\ns=x\r\n${WMS_ASF_HEADER_LINE}${pgmpuHeader(sample).toString('base64')}\r\nm=audio 0 RTP/AVP 96\r\n`;
  };

  it('finds the Windows Media ASF header line and decodes it to an ASF Header Object', async () => {
    const sdp = await withHeader();
    expect(sdpHasWmsAsfHeader(sdp)).toBe(true);
    const header = sdpAsfHeader(sdp);
    const sample = await asfSample();
    expect(header?.subarray(0, sample.header.length).equals(sample.header)).toBe(true);
  });

  it('does not accept near misses', () => {
    expect(sdpHasWmsAsfHeader(null)).toBe(false);
    expect(sdpHasWmsAsfHeader('v=0\r\nm=video 0 RTP/AVP 96\r\na=rtpmap:96 H264/90000\r\n')).toBe(false);
    expect(sdpHasWmsAsfHeader(`${WMS_ASF_HEADER_LINE}\r\n`)).toBe(false);
    expect(sdpHasWmsAsfHeader(`A=PGMPU:data:application/vnd.ms.wms-hdr.asfv1;base64,MCay\r\n`)).toBe(false);
    expect(sdpHasWmsAsfHeader('a=pgmpu:data:application/x-wms-contentdesc,8,title,31,0,,\r\n')).toBe(false);
    // Present but not an ASF header: the line is there, the bytes are not.
    expect(sdpHasWmsAsfHeader(`${WMS_ASF_HEADER_LINE}aGVsbG8=`)).toBe(true);
    expect(sdpAsfHeader(`${WMS_ASF_HEADER_LINE}aGVsbG8=`)).toBeNull();
  });

  it('reads Public lists', () => {
    expect(parsePublic('DESCRIBE, SETUP, TEARDOWN, PLAY, PAUSE, OPTIONS, GET_PARAMETER')).toEqual([
      'DESCRIBE',
      'SETUP',
      'TEARDOWN',
      'PLAY',
      'PAUSE',
      'OPTIONS',
      'GET_PARAMETER',
    ]);
    expect(parsePublic('DESCRIBE,SETUP,,PLAY  PLAY')).toEqual(['DESCRIBE', 'SETUP', 'PLAY']);
    expect(parsePublic(null)).toEqual([]);
    expect(parsePublic('<script>, \u0000, OK')).toEqual(['OK']);
  });
});

describe('measureRtspReply', () => {
  const reply = Buffer.from('RTSP/1.0 200 OK\r\nCSeq: 2\r\nContent-Length: 5\r\n\r\nv=0\r\n');

  it('waits for the head, then for the body, then says how long the reply is', () => {
    expect(measureRtspReply(reply.subarray(0, 20), 100).state).toBe('waiting');
    expect(measureRtspReply(reply.subarray(0, reply.length - 1), 100).state).toBe('waiting');
    const done = measureRtspReply(Buffer.concat([reply, Buffer.from('RTSP/1.0')]), 100);
    expect(done).toMatchObject({ state: 'complete', length: reply.length, bodyComplete: true });
  });

  it('does not wait for a body larger than the cap', () => {
    const huge = Buffer.from('RTSP/1.0 200 OK\r\nContent-Length: 2147483648\r\n\r\n');
    expect(measureRtspReply(huge, 8192)).toMatchObject({ state: 'complete', bodyComplete: false });
  });

  it('gives up on a line of another protocol, keeps waiting on binary noise', () => {
    expect(measureRtspReply(Buffer.from('SSH-2.0-OpenSSH_9.6\r\n'), 100).state).toBe('foreign');
    expect(measureRtspReply(Buffer.from([0x16, 0x03, 0x01, 0x00]), 100).state).toBe('waiting');
    expect(measureRtspReply(Buffer.from('RT'), 100).state).toBe('waiting');
    expect(measureRtspReply(Buffer.from('RTSP/1.0 abc\r\n\r\n'), 100).state).toBe('foreign');
  });
});

describe('parsers never throw (property tests)', () => {
  it('on random bytes', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 4096 }), fc.nat({ max: 1 << 20 }), (bytes, cap) => {
        const text = Buffer.from(bytes).toString('latin1');
        const measure = measureRtspReply(bytes, cap);
        expect(['waiting', 'foreign', 'complete']).toContain(measure.state);
        if (measure.state === 'complete') expect(measure.length).toBeLessThanOrEqual(bytes.length);
        expect(Array.isArray(parsePublic(text))).toBe(true);
        expect(typeof identifyRtspProduct(text, [[text, text]], text)).toBe('string');
        expect(typeof sdpHasWmsAsfHeader(text)).toBe('boolean');
        const header = sdpAsfHeader(`${WMS_ASF_HEADER_LINE}${Buffer.from(bytes).toString('base64')}`);
        expect(header === null || header.length >= 30).toBe(true);
      }),
      { numRuns: 300 },
    );
  });

  it('on every truncation of a real WMS DESCRIBE reply: waiting until the last byte, then complete', async () => {
    const server = await startRtspServer();
    try {
      const raw = await new Promise<Buffer>((resolve, reject) => {
        const socket = net.connect({ host: '127.0.0.1', port: server.port });
        const chunks: Buffer[] = [];
        socket.on('data', (chunk: Buffer) => {
          chunks.push(chunk);
          const all = Buffer.concat(chunks);
          if (measureRtspReply(all, Number.POSITIVE_INFINITY).state === 'complete') {
            socket.destroy();
            resolve(all);
          }
        });
        socket.on('error', reject);
        socket.write(`DESCRIBE rtsp://127.0.0.1:${server.port}/live RTSP/1.0\r\nCSeq: 2\r\n\r\n`);
      });
      expect(raw.length).toBeGreaterThan(1000);
      fc.assert(
        fc.property(fc.nat({ max: raw.length - 1 }), (cut) => {
          expect(measureRtspReply(raw.subarray(0, cut), Number.POSITIVE_INFINITY).state).toBe('waiting');
        }),
        { numRuns: 300 },
      );
      expect(measureRtspReply(raw, Number.POSITIVE_INFINITY)).toMatchObject({
        state: 'complete',
        length: raw.length,
      });
    } finally {
      await server.close();
    }
  });
});

describe('probeRtsp against the simulator', () => {
  let wms: RtspServerHandle;
  beforeAll(async () => {
    wms = await startRtspServer({ streams: { '/live': 'ok', '/secret': 'auth' } });
  });
  afterAll(async () => {
    await wms.close();
  });

  it('finds Windows Media Services, the path, and the ASF header WMP needs', async () => {
    const result = await probeRtsp(local(wms.port), { timeoutMs: 3000 });
    expect(result).toMatchObject({
      protocol: 'rtsp',
      reachability: 'open',
      speaks: true,
      server: WMS_SERVER_HEADER,
      status: 200,
      replyKind: 'rtsp',
      ending: 'complete',
    });
    expect(result.rtsp).toEqual({
      product: 'WMServer',
      optionsStatus: 200,
      methods: [
        'OPTIONS',
        'DESCRIBE',
        'SETUP',
        'PLAY',
        'PAUSE',
        'TEARDOWN',
        'GET_PARAMETER',
        'SET_PARAMETER',
      ],
      describeStatus: 200,
      sdpHasAsfHeader: true,
      redirectUrl: null,
    });
    expect(result.detail).toBe(
      `Windows Media Services (${WMS_SERVER_HEADER}) answers RTSP and /live exists, with the Windows Media (ASF) header the player needs.`,
    );
    expect(result.evidence.sent).toMatch(
      new RegExp(`^OPTIONS rtsp://127\\.0\\.0\\.1:${wms.port}/live RTSP/1\\.0\\r\\n`),
    );
    expect(result.evidence.sent).toContain(`DESCRIBE rtsp://127.0.0.1:${wms.port}/live RTSP/1.0\r\n`);
    expect(result.evidence.received).toMatch(/^RTSP\/1\.0 200 OK\r\n/);
    expect(result.evidence.received.length).toBeLessThanOrEqual(2048 + 40);
  });

  it('reports an unknown path as the 404 it is', async () => {
    const result = await probeRtsp(local(wms.port, '/nothing'), { timeoutMs: 3000 });
    expect(result.speaks).toBe(true);
    expect(result.status).toBe(404);
    expect(result.rtsp).toMatchObject({
      product: 'WMServer',
      optionsStatus: 200,
      describeStatus: 404,
      sdpHasAsfHeader: false,
    });
    expect(result.detail).toBe(
      `DESCRIBE /nothing: 404 Not Found from Windows Media Services (${WMS_SERVER_HEADER}): no such publishing point or file.`,
    );
  });

  it('reports a stream behind a login as 401 with the schemes offered', async () => {
    const result = await probeRtsp(local(wms.port, '/secret'), { timeoutMs: 3000 });
    expect(result.status).toBe(401);
    expect(result.rtsp?.describeStatus).toBe(401);
    expect(result.detail).toContain('DESCRIBE /secret: 401 Unauthorized');
    expect(result.detail).toContain('needs a login (Negotiate, NTLM, Digest)');
  });

  it('says a VLC server cannot serve WMP: no ASF header in its SDP', async () => {
    const vlc = await startRtspServer({ server: 'VLC/3.0.21', asfHeader: false });
    try {
      const result = await probeRtsp(local(vlc.port), { timeoutMs: 3000 });
      expect(result).toMatchObject({ speaks: true, server: 'VLC/3.0.21', status: 200 });
      expect(result.rtsp).toMatchObject({ product: 'VLC', describeStatus: 200, sdpHasAsfHeader: false });
      expect(result.rtsp?.methods).not.toContain('OPTIONS');
      expect(result.detail).toBe(
        'A VLC RTSP server (VLC/3.0.21) answers; its SDP lacks the Windows Media ASF header, so Windows Media Player cannot play it.',
      );
    } finally {
      await vlc.close();
    }
  });

  it('recognises a nameless LIVE555 server from its SDP', async () => {
    const live555 = await startRtspServer({
      server: null,
      asfHeader: false,
      sdpTool: 'LIVE555 Streaming Media v2024.11.28',
    });
    try {
      const result = await probeRtsp(local(live555.port), { timeoutMs: 3000 });
      expect(result.server).toBeNull();
      expect(result.rtsp?.product).toBe('LIVE555');
      expect(result.detail).toMatch(
        /^A LIVE555 RTSP server answers; its SDP lacks the Windows Media ASF header/,
      );
    } finally {
      await live555.close();
    }
  });

  it('reconnects once for DESCRIBE when the server closes after OPTIONS', async () => {
    const sample = await asfSample();
    const sdp = `v=0\r\ns=live\r\n${WMS_ASF_HEADER_LINE}${pgmpuHeader(sample).toString('base64')}\r\n`;
    const closer = await tinyServer((socket) => {
      socket.once('data', (request: Buffer) => {
        const describe = request.toString('latin1').startsWith('DESCRIBE');
        const head = describe
          ? `RTSP/1.0 200 OK\r\nCSeq: 2\r\nServer: WMServer/9.0.0.3372\r\nContent-Type: application/sdp\r\nContent-Length: ${sdp.length}\r\n\r\n`
          : 'RTSP/1.0 200 OK\r\nCSeq: 1\r\nServer: WMServer/9.0.0.3372\r\nPublic: OPTIONS, DESCRIBE\r\n\r\n';
        socket.end(describe ? head + sdp : head);
      });
    });
    try {
      const result = await probeRtsp(local(closer.port), { timeoutMs: 3000 });
      expect(closer.connections()).toBe(2);
      expect(result.rtsp).toMatchObject({
        product: 'WMServer',
        optionsStatus: 200,
        describeStatus: 200,
        sdpHasAsfHeader: true,
      });
      expect(result.server).toBe('WMServer/9.0.0.3372');
    } finally {
      await closer.close();
    }
  });

  it('does not blame the SDP when the description never arrives in full', async () => {
    const stalls = await tinyServer((socket) => {
      socket.on('data', (request: Buffer) => {
        const describe = request.toString('latin1').startsWith('DESCRIBE');
        socket.write(
          describe
            ? 'RTSP/1.0 200 OK\r\nCSeq: 2\r\nServer: WMServer/9.0.0.3372\r\nContent-Type: application/sdp\r\nContent-Length: 4000\r\n\r\nv=0\r\n'
            : 'RTSP/1.0 200 OK\r\nCSeq: 1\r\nServer: WMServer/9.0.0.3372\r\n\r\n',
        );
      });
    });
    try {
      const result = await probeRtsp(local(stalls.port), { timeoutMs: 400 });
      expect(result).toMatchObject({ speaks: true, status: 200, ending: 'timeout' });
      expect(result.detail).toBe(
        'Windows Media Services (WMServer/9.0.0.3372) answers RTSP and /live exists, but its description did not arrive in full (no reply in time).',
      );
    } finally {
      await stalls.close();
    }
  });

  it('says so when the port answers HTTP', async () => {
    const web = await tinyServer((socket) =>
      socket.once('data', () =>
        socket.end(
          'HTTP/1.1 400 Bad Request\r\nServer: nginx/1.22.1\r\nContent-Length: 0\r\nConnection: close\r\n\r\n',
        ),
      ),
    );
    try {
      const result = await probeRtsp(local(web.port), { timeoutMs: 3000 });
      expect(result).toMatchObject({
        speaks: false,
        replyKind: 'http',
        status: null,
        server: 'nginx/1.22.1',
      });
      expect(result.detail).toBe(
        `Port ${web.port} is open but answered HTTP, not RTSP (HTTP/1.1 400 Bad Request, nginx/1.22.1).`,
      );
    } finally {
      await web.close();
    }
  });

  it('reports a silent port as open and silent when its time bound runs out', async () => {
    const silent = await tinyServer(() => undefined);
    try {
      const started = Date.now();
      const result = await probeRtsp(local(silent.port), { timeoutMs: 300 });
      expect(Date.now() - started).toBeLessThan(1500);
      expect(result).toMatchObject({
        reachability: 'open',
        speaks: false,
        replyKind: 'nothing',
        ending: 'timeout',
      });
      expect(result.detail).toContain('is open, silent');
    } finally {
      await silent.close();
    }
  });

  it('reports a closed port as refused', async () => {
    const gone = await tinyServer(() => undefined);
    const port = gone.port;
    await gone.close();
    const result = await probeRtsp(local(port), { timeoutMs: 2000 });
    expect(result).toMatchObject({
      reachability: 'refused',
      speaks: false,
      replyKind: 'nothing',
      server: null,
    });
    expect(result.rtsp).toBeUndefined();
  });

  it('stops promptly when aborted, and says it was cancelled', async () => {
    const silent = await tinyServer(() => undefined);
    try {
      const controller = new AbortController();
      setTimeout(() => controller.abort(), 100);
      const started = Date.now();
      const result = await probeRtsp(local(silent.port), { timeoutMs: 10_000, signal: controller.signal });
      expect(Date.now() - started).toBeLessThan(1000);
      expect(result).toMatchObject({ speaks: false, ending: 'cancelled' });
      expect(result.detail).toMatch(/^Cancelled/);
      expect(silent.connections()).toBe(1);
    } finally {
      await silent.close();
    }
  });
});

// Proof that the MMSH simulator is faithful: Debian's ffprobe, a real MS-WMSP client, reads the stream from it,
// and the bytes of its Describe answer follow the layout of docs/protocols.md sec. 3.2.
import { execFile } from 'node:child_process';
import net from 'node:net';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readWmspFrames } from '../probes/mmsh';
import { parseResponseHead } from '../probes/response-head';
import { asfSample, SAMPLE_CODECS, type AsfSample } from './asf-sample';
import { startMmshServer, type MmshServer } from './mmsh-server';

const run = promisify(execFile);

interface ProbedStream {
  codec_name?: string;
  nb_read_packets?: string;
}

async function ffprobeStreams(input: string): Promise<ProbedStream[]> {
  const { stdout } = await run(
    'ffprobe',
    [
      '-v',
      'error',
      '-count_packets',
      '-show_entries',
      'stream=codec_name,nb_read_packets',
      '-of',
      'json',
      input,
    ],
    { timeout: 15_000 },
  );
  return (JSON.parse(stdout) as { streams: ProbedStream[] }).streams;
}

/** Sends raw request text and collects everything until the server closes (bounded: 1 MB, 5 s). */
function exchange(port: number, request: string): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const socket = net.connect({ host: '127.0.0.1', port });
    const parts: Buffer[] = [];
    let size = 0;
    const timer = setTimeout(() => {
      socket.destroy();
      reject(new Error('no close within 5 s'));
    }, 5000);
    socket.on('data', (chunk: Buffer) => {
      parts.push(chunk);
      size += chunk.length;
      if (size > 1_000_000) socket.destroy();
    });
    socket.on('close', () => {
      clearTimeout(timer);
      resolve(Buffer.concat(parts));
    });
    socket.on('error', reject);
    socket.write(request);
  });
}

function get(path: string, headers: string[]): string {
  return [`GET ${path} HTTP/1.0`, ...headers, '', ''].join('\r\n');
}

describe('startMmshServer', () => {
  let server: MmshServer;
  let sample: AsfSample;

  beforeAll(async () => {
    sample = await asfSample();
    server = await startMmshServer();
  });
  afterAll(async () => {
    await server.close();
  });

  it('is read by the real ffprobe over mmsh://: the codecs and every packet of the sample arrive', async () => {
    const [fromServer, fromFile] = await Promise.all([
      ffprobeStreams(`mmsh://127.0.0.1:${server.port}/live`),
      ffprobeStreams(sample.filePath),
    ]);
    expect(fromServer.map((s) => s.codec_name).sort()).toEqual(
      [SAMPLE_CODECS.audio, SAMPLE_CODECS.video].sort(),
    );
    // Same packet counts as reading the file itself: the $D packets carried all of the data.
    expect(fromServer).toEqual(fromFile);
    expect(Number(fromServer[0]?.nb_read_packets)).toBeGreaterThan(0);
    // FFmpeg's MMSH client: a Describe, then a Play with its stream selection.
    const kinds = server.requests.map((r) => r.kind);
    expect(kinds).toContain('describe');
    expect(kinds).toContain('play');
  });

  it('answers a Describe from an old client with one $H carrying the Header Object and the Data Object head', async () => {
    const reply = await exchange(
      server.port,
      get('/live', [
        'Accept: */*',
        'User-Agent: NSPlayer/4.1.0.3856',
        'Pragma: no-cache',
        'Connection: Close',
      ]),
    );
    const head = parseResponseHead(reply)!;
    expect(head.status).toBe(200);
    expect(head.headers).toContainEqual(['Server', 'Cougar/9.01.01.3814']);
    expect(head.headers).toContainEqual(['Content-Type', 'application/vnd.ms.wms-hdr.asfv1']);
    const body = reply.subarray(head.length);
    const frames = readWmspFrames(body);
    expect(frames.map((f) => f.type)).toEqual(['$H']);
    const expectedPayload = sample.file.subarray(0, sample.header.length + 50);
    expect(frames[0]!.packetLength).toBe(8 + expectedPayload.length);
    expect(frames[0]!.dataHeader).toEqual({
      locationId: 0,
      incarnation: 0,
      afFlags: 0x0c,
      packetSize: 8 + expectedPayload.length,
    });
    expect(body.subarray(12)).toEqual(expectedPayload);
  });

  it('sends $M before $H to a client of version 9 or later, as a Cougar 9 must', async () => {
    const reply = await exchange(
      server.port,
      get('/live', ['User-Agent: NSPlayer/12.0.7680.0', 'Pragma: no-cache']),
    );
    const head = parseResponseHead(reply)!;
    const frames = readWmspFrames(reply.subarray(head.length));
    expect(frames.map((f) => f.type)).toEqual(['$M', '$H']);
    const metadata = reply
      .subarray(head.length + 12, head.length + 4 + frames[0]!.packetLength)
      .toString('latin1');
    expect(metadata).toMatch(/^playlist-gen-id=\d+, broadcast-id=0, features="seekable,stridable"\0$/);
  });

  it('plays: $H, one $D per ASF packet with its packet number, then $E with reason 0', async () => {
    const reply = await exchange(
      server.port,
      get('/live', [
        'User-Agent: NSPlayer/4.1.0.3856',
        'Pragma: no-cache,rate=1.000000,request-context=2',
        'Pragma: xPlayStrm=1',
        'Pragma: stream-switch-count=2',
        'Pragma: stream-switch-entry=ffff:1:0 ffff:2:0',
      ]),
    );
    const head = parseResponseHead(reply)!;
    expect(head.headers).toContainEqual(['Content-Type', 'application/x-mms-framed']);
    const frames = readWmspFrames(reply.subarray(head.length));
    const data = frames.filter((f) => f.type === '$D');
    expect(frames[0]!.type).toBe('$H');
    expect(data).toHaveLength(sample.packets.length);
    expect(data.map((f) => f.dataHeader?.locationId)).toEqual(sample.packets.map((_, i) => i));
    expect(data.every((f) => f.packetLength === 8 + sample.packetSize)).toBe(true);
    expect(frames.at(-1)).toMatchObject({ type: '$E', packetLength: 4, reason: 0 });
  });

  it('answers a web browser with an ASX naming the URL it asked for, and unknown paths with 404', async () => {
    const asx = await exchange(
      server.port,
      get('/live', ['User-Agent: Mozilla/5.0', `Host: 127.0.0.1:${server.port}`]),
    );
    const asxHead = parseResponseHead(asx)!;
    expect(asxHead.status).toBe(200);
    expect(asxHead.headers).toContainEqual(['Content-Type', 'video/x-ms-asf']);
    expect(asx.subarray(asxHead.length).toString('latin1')).toContain(
      `HREF="http://127.0.0.1:${server.port}/live"`,
    );

    const missing = await exchange(server.port, get('/nothing-here', ['User-Agent: NSPlayer/12.0.7680.0']));
    expect(parseResponseHead(missing)).toMatchObject({ status: 404 });
    expect(parseResponseHead(missing)!.headers).toContainEqual(['Server', 'Cougar/9.01.01.3814']);
  });

  it('challenges for credentials on a stream marked auth', async () => {
    const locked = await startMmshServer({ server: 'Cougar/9.6.7100.0', streams: { secret: 'auth' } });
    try {
      const reply = await exchange(locked.port, get('/secret', ['User-Agent: NSPlayer/12.0.7680.0']));
      const head = parseResponseHead(reply)!;
      expect(head.status).toBe(401);
      expect(head.headers).toContainEqual(['WWW-Authenticate', 'NTLM']);
      expect(head.headers).toContainEqual(['Server', 'Cougar/9.6.7100.0']);
    } finally {
      await locked.close();
    }
  });
});

// Proves each integration peer is the real thing, with real clients: ffprobe decodes what the VLC servers
// stream, nginx answers as nginx, and the kernel gives the closed / filtered / rejecting hosts their errors.
//
// What VLC 3.0.24 sends (recorded by hand for the benchmark comparison):
// - MMSH port, plain GET: `HTTP/1.0 200 OK`, `Content-type: application/octet-stream`,
//   `Server: Cougar 4.1.0.3921`, `Pragma: no-cache`, `Pragma: client-id=<n>`, `Pragma: features="broadcast"`,
//   `Cache-Control: no-cache`, `Connection: close`, then `$H` framing. `nmap -sV -p <port> 127.0.0.1` (7.93)
//   calls it `http  VideoLAN Server streaming media (Cougar 4.1.0.3921)`.
// - RTSP port, OPTIONS: `RTSP/1.0 200 OK`, `Server: VLC/3.0.24`, `Public: DESCRIBE,SETUP,TEARDOWN,PLAY,PAUSE,
//   GET_PARAMETER` (no OPTIONS in the list); the SDP has `a=tool:vlc 3.0.24`, no `a=pgmpu` ASF header line;
//   an HTTP GET on the RTSP port gets `HTTP/1.0 404 Not found` with no Server header.
import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import http from 'node:http';
import net from 'node:net';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createFilteredHost, createRejectingHost, netnsUnavailable, routeDevice } from './netns';
import { nginxUnavailable, startNginx, type NginxPeer } from './nginx';
import { askLocal, closedPort, type Peer } from './ports';
import { startVlcMmsh, startVlcRtsp, vlcUnavailable } from './vlc';

const run = promisify(execFile);

const FFPROBE = '/usr/bin/ffprobe';
const ffprobeSkip = existsSync(FFPROBE) ? null : `${FFPROBE} is missing (Debian package ffmpeg)`;
const vlcSkip = vlcUnavailable() ?? ffprobeSkip;
const nginxSkip = nginxUnavailable();
const netnsSkip = netnsUnavailable();

for (const [peer, reason] of [
  ['VLC', vlcSkip],
  ['nginx', nginxSkip],
  ['network namespace hosts', netnsSkip],
] as const) {
  if (reason) console.warn(`skipping ${peer} peer tests: ${reason}`);
}

interface ProbedStream {
  codec_type?: string;
  codec_name?: string;
}

/** ffprobe's view of a URL: the streams it found, as JSON. */
async function probeStreams(url: string, extraArgs: string[] = []): Promise<ProbedStream[]> {
  const { stdout } = await run(FFPROBE, ['-v', 'error', ...extraArgs, '-show_streams', '-of', 'json', url], {
    timeout: 20_000,
    encoding: 'utf8',
  });
  return (JSON.parse(stdout) as { streams?: ProbedStream[] }).streams ?? [];
}

type ConnectOutcome = 'connected' | 'no answer' | string;

/** One TCP connect with a deadline: 'connected', 'no answer' (timeout), or the errno code. */
function tryConnect(host: string, port: number, timeoutMs: number): Promise<ConnectOutcome> {
  return new Promise((resolve) => {
    const socket = net.connect({ host, port });
    const finish = (outcome: ConnectOutcome): void => {
      clearTimeout(timer);
      socket.destroy();
      resolve(outcome);
    };
    const timer = setTimeout(() => finish('no answer'), timeoutMs);
    socket.once('connect', () => finish('connected'));
    socket.once('error', (error: NodeJS.ErrnoException) => finish(error.code ?? error.message));
  });
}

function httpGet(url: string): Promise<{ status: number; server: string | undefined; body: string }> {
  return new Promise((resolve, reject) => {
    const request = http.get(url, { timeout: 5000 }, (response) => {
      const chunks: Buffer[] = [];
      response.on('data', (chunk: Buffer) => chunks.push(chunk));
      response.on('end', () =>
        resolve({
          status: response.statusCode ?? 0,
          server: [response.headers.server ?? []].flat().join(', ') || undefined,
          body: Buffer.concat(chunks).toString('utf8'),
        }),
      );
    });
    request.on('timeout', () => request.destroy(new Error('HTTP GET timed out')));
    request.on('error', reject);
  });
}

describe.skipIf(vlcSkip !== null)('VLC RTSP peer', () => {
  let peer: Peer;
  beforeAll(async () => {
    peer = await startVlcRtsp();
  });
  afterAll(async () => {
    await peer?.close();
  });

  it('serves a stream ffprobe decodes as video and audio (RTP over UDP)', { timeout: 30_000 }, async () => {
    expect(peer.url).toMatch(/^rtsp:\/\/127\.0\.0\.1:\d+\/live$/);
    const streams = await probeStreams(peer.url, ['-rtsp_transport', 'udp']);
    expect(streams.find((stream) => stream.codec_type === 'video')?.codec_name).toBe('mpeg4');
    expect(streams.some((stream) => stream.codec_type === 'audio')).toBe(true);
  });

  it('refuses RTP interleaved over TCP with 461, as VLC 3.0 does', { timeout: 30_000 }, async () => {
    const failure = await probeStreams(peer.url, ['-rtsp_transport', 'tcp']).then(
      () => null,
      (error: { stderr?: string }) => error.stderr ?? '',
    );
    expect(failure).toContain('461');
  });

  it('answers OPTIONS as VLC', async () => {
    const reply = await askLocal(
      peer.port,
      `OPTIONS ${peer.url} RTSP/1.0\r\nCSeq: 1\r\n\r\n`,
      (bytes) => bytes.includes('\r\n\r\n'),
      3000,
    );
    const text = reply.toString('latin1');
    expect(text.startsWith('RTSP/1.0 200')).toBe(true);
    expect(text).toMatch(/\r\nServer: VLC\/\d+\.\d+\.\d+\r\n/);
  });
});

describe.skipIf(vlcSkip !== null)('VLC MMSH peer', () => {
  let peer: Peer;
  beforeAll(async () => {
    peer = await startVlcMmsh();
  });
  afterAll(async () => {
    await peer?.close();
  });

  it(
    'serves the ASF sample over mmsh://, decoded by ffprobe as wmv2 video',
    { timeout: 30_000 },
    async () => {
      expect(peer.url).toMatch(/^mmsh:\/\/127\.0\.0\.1:\d+\/$/);
      const streams = await probeStreams(peer.url);
      expect(streams.find((stream) => stream.codec_type === 'video')?.codec_name).toBe('wmv2');
      expect(streams.find((stream) => stream.codec_type === 'audio')?.codec_name).toBe('wmav2');
    },
  );

  it('answers an NSPlayer GET as "Cougar" with a $H header chunk', async () => {
    const reply = await askLocal(
      peer.port,
      `GET / HTTP/1.0\r\nHost: 127.0.0.1:${peer.port}\r\nUser-Agent: NSPlayer/7.10.0.3059\r\n\r\n`,
      (bytes) => {
        const end = bytes.indexOf('\r\n\r\n');
        return end >= 0 && bytes.length >= end + 6;
      },
      3000,
    );
    const headEnd = reply.indexOf('\r\n\r\n') + 4;
    const head = reply.subarray(0, headEnd).toString('latin1');
    expect(head.startsWith('HTTP/1.0 200')).toBe(true);
    expect(head).toMatch(/\r\nServer: Cougar \d+\.\d+\.\d+\.\d+\r\n/);
    expect(head).toContain('Pragma: features="broadcast"');
    expect(reply.subarray(headEnd, headEnd + 2).toString('latin1')).toBe('$H');
  });
});

describe.skipIf(nginxSkip !== null)('nginx peer', () => {
  let peer: NginxPeer;
  beforeAll(async () => {
    peer = await startNginx({
      files: {
        'index.html': '<a href="mms://127.0.0.1/live">live</a>\n',
        'media/live.asx': '<asx version="3.0"/>',
      },
    });
  });
  afterAll(async () => {
    await peer?.close();
  });

  it('answers GET / with its page and Server: nginx/<version>', async () => {
    const reply = await httpGet(peer.url);
    expect(reply.status).toBe(200);
    expect(reply.server).toMatch(/^nginx\/\d+\.\d+\.\d+$/);
    expect(reply.server).toBe(peer.serverHeader);
    expect(reply.body).toContain('mms://127.0.0.1/live');
  });

  it('serves nested files and 404s everything else, such as /live', async () => {
    expect((await httpGet(`${peer.url}media/live.asx`)).body).toBe('<asx version="3.0"/>');
    expect((await httpGet(`${peer.url}live`)).status).toBe(404);
  });
});

describe('closed port', () => {
  it('refuses connections (ECONNREFUSED)', async () => {
    const port = await closedPort();
    expect(port).toBeGreaterThan(0);
    expect(await tryConnect('127.0.0.1', port, 2000)).toBe('ECONNREFUSED');
  });
});

describe('namespace hosts', () => {
  it('reads the device out of `ip route get` output', () => {
    expect(routeDevice('10.231.7.2 dev sdt-7-h src 10.231.7.1 uid 0 \n    cache \n')).toBe('sdt-7-h');
    expect(routeDevice('RTNETLINK answers: Network is unreachable')).toBeNull();
  });

  it.skipIf(netnsSkip !== null)(
    'filtered host: a connect to 554 gets no answer within 1 s',
    async (context) => {
      const host = await createFilteredHost();
      if ('skipped' in host) {
        console.warn(`skipping filtered host test: ${host.skipped}`);
        context.skip();
        return;
      }
      try {
        expect(host.address).toMatch(/^10\.231\.\d+\.2$/);
        const started = Date.now();
        expect(await tryConnect(host.address, 554, 1000)).toBe('no answer');
        expect(Date.now() - started).toBeGreaterThanOrEqual(990);
      } finally {
        await host.close();
      }
      // Once closed, the address is gone from this machine's routes: nothing left behind.
      const { stdout } = await run('ip', ['-o', 'addr'], { timeout: 5000, encoding: 'utf8' });
      expect(stdout).not.toContain(host.address.replace(/\.2$/, '.1/30'));
    },
  );

  it.skipIf(netnsSkip !== null)('rejecting host: a connect to 554 fails EHOSTUNREACH', async (context) => {
    const host = await createRejectingHost();
    if ('skipped' in host) {
      console.warn(`skipping rejecting host test: ${host.skipped}`);
      context.skip();
      return;
    }
    try {
      expect(await tryConnect(host.address, 554, 3000)).toBe('EHOSTUNREACH');
    } finally {
      await host.close();
    }
  });
});

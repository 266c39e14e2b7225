// The simulator is only worth something if a real client reads it: Debian's ffprobe and ffmpeg talk to it over
// RTSP (TCP interleaved) and must find, and decode, exactly what the ASF sample holds.
import { execFile } from 'node:child_process';
import net from 'node:net';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { asfSample, SAMPLE_CODECS, type AsfSample } from './asf-sample';
import {
  asfRtpPacket,
  buildWmsSdp,
  describeAsfHeader,
  interleave,
  parseRtspRequest,
  pgmpuHeader,
  readAsfPacket,
  rtcpBye,
  startRtspServer,
  stripAsfPadding,
  WMS_SERVER_HEADER,
  type RtspServerHandle,
} from './rtsp-server';

const run = promisify(execFile);
const CLIENT_TIMEOUT_MS = 15_000;

function ffprobeCodecs(url: string): Promise<{ stdout: string; stderr: string }> {
  return run(
    'ffprobe',
    ['-v', 'error', '-rtsp_transport', 'tcp', '-show_entries', 'stream=codec_name', '-of', 'json', url],
    { timeout: CLIENT_TIMEOUT_MS },
  );
}

function codecNames(json: string): string[] {
  const parsed = JSON.parse(json) as { streams?: Array<{ codec_name?: string }> };
  return (parsed.streams ?? []).map((stream) => stream.codec_name ?? '(none)');
}

/** Per decoded frame: stream index and the CRC of its decoded data, in order (ffmpeg's framecrc muxer). */
async function frameCrcs(input: string[]): Promise<string[]> {
  const { stdout } = await run('ffmpeg', ['-v', 'error', ...input, '-f', 'framecrc', '-'], {
    timeout: CLIENT_TIMEOUT_MS,
    maxBuffer: 8 * 1024 * 1024,
  });
  return stdout
    .split('\n')
    .filter((line) => /^\d+,/.test(line))
    .map((line) => {
      const fields = line.split(',').map((field) => field.trim());
      return `${fields[0]} ${fields[5]}`;
    });
}

/** Sends raw bytes, returns everything the server answers until it goes quiet for `quietMs`. */
function converse(port: number, request: string, quietMs = 150): Promise<string> {
  return new Promise((resolve, reject) => {
    const socket = net.connect({ host: '127.0.0.1', port });
    const chunks: Buffer[] = [];
    let timer: NodeJS.Timeout | null = null;
    const finish = (): void => {
      socket.destroy();
      resolve(Buffer.concat(chunks).toString('latin1'));
    };
    socket.on('data', (chunk: Buffer) => {
      chunks.push(chunk);
      if (timer) clearTimeout(timer);
      timer = setTimeout(finish, quietMs);
    });
    socket.on('error', reject);
    socket.on('close', () => {
      if (timer) clearTimeout(timer);
      resolve(Buffer.concat(chunks).toString('latin1'));
    });
    socket.once('connect', () => socket.write(request));
  });
}

describe('the WMS RTSP simulator, read by real clients', () => {
  let server: RtspServerHandle;
  let sample: AsfSample;

  beforeAll(async () => {
    sample = await asfSample();
    server = await startRtspServer();
  });
  afterAll(async () => {
    await server.close();
  });

  it('ffprobe finds the sample codecs (wmv2, wmav2) at /live', async () => {
    const { stdout } = await ffprobeCodecs(`rtsp://127.0.0.1:${server.port}/live`);
    expect(codecNames(stdout)).toEqual([SAMPLE_CODECS.video, SAMPLE_CODECS.audio]);
  });

  it('ffmpeg decodes every frame of the RTP-carried ASF packets exactly as from the file', async () => {
    const streamed = await frameCrcs([
      '-rtsp_transport',
      'tcp',
      '-i',
      `rtsp://127.0.0.1:${server.port}/live`,
    ]);
    const fromFile = await frameCrcs(['-i', sample.filePath]);
    expect(fromFile.length).toBeGreaterThan(50);
    expect([...streamed].sort()).toEqual([...fromFile].sort());
  });

  it('ffprobe fails on an unknown path with the 404 the server sent', async () => {
    const failure = await ffprobeCodecs(`rtsp://127.0.0.1:${server.port}/nothing`).then(
      () => null,
      (error: { stderr?: string }) => error,
    );
    expect(failure).not.toBeNull();
    expect(failure?.stderr ?? '').toMatch(/404/);
  });

  it('answers OPTIONS and DESCRIBE as WMS does', async () => {
    const text = await converse(
      server.port,
      `OPTIONS rtsp://127.0.0.1:${server.port}/live RTSP/1.0\r\nCSeq: 7\r\n\r\n` +
        `DESCRIBE rtsp://127.0.0.1:${server.port}/live RTSP/1.0\r\nCSeq: 8\r\nAccept: application/sdp\r\n\r\n`,
    );
    expect(text).toMatch(/^RTSP\/1\.0 200 OK\r\n/);
    expect(text).toContain('CSeq: 7\r\n');
    expect(text).toContain(`Server: ${WMS_SERVER_HEADER}\r\n`);
    expect(text).toContain(
      'Supported: com.microsoft.wm.srvppair, com.microsoft.wm.sswitch, com.microsoft.wm.eosmsg',
    );
    expect(text).toMatch(/Public: [^\r]*DESCRIBE/);
    expect(text).toContain('CSeq: 8\r\n');
    expect(text).toContain('Content-Type: application/sdp\r\n');
    expect(text).toContain(
      `a=pgmpu:data:application/vnd.ms.wms-hdr.asfv1;base64,${pgmpuHeader(sample).toString('base64')}\r\n`,
    );
    expect(text).toMatch(
      /m=video 0 RTP\/AVP 96\r\n(?:b=[^\r]*\r\n)*a=rtpmap:96 x-asf-pf\/1000\r\na=control:video1\r\na=stream:1\r\n/,
    );
    expect(text).toMatch(
      /m=audio 0 RTP\/AVP 96\r\n(?:b=[^\r]*\r\n)*a=rtpmap:96 x-asf-pf\/1000\r\na=control:audio2\r\na=stream:2\r\n/,
    );
    expect(text).toContain('a=rtpmap:97 x-wms-rtx/1000\r\na=control:rtx\r\na=stream:65536\r\n');
  });

  it('answers an HTTP request on its RTSP port with 505, as WMS does', async () => {
    const text = await converse(server.port, 'GET / HTTP/1.0\r\n\r\n');
    expect(text).toMatch(/^RTSP\/1\.0 505 Protocol Version Not Supported\r\n/);
    expect(text).toContain(`Server: ${WMS_SERVER_HEADER}\r\n`);
  });

  it('asks for a login on an "auth" stream and keeps the connection open', async () => {
    const guarded = await startRtspServer({ streams: { secret: 'auth' } });
    try {
      const url = `rtsp://127.0.0.1:${guarded.port}/secret`;
      const text = await converse(
        guarded.port,
        `DESCRIBE ${url} RTSP/1.0\r\nCSeq: 1\r\n\r\nDESCRIBE ${url} RTSP/1.0\r\nCSeq: 2\r\nAuthorization: Digest x\r\n\r\n`,
      );
      expect(text).toMatch(/^RTSP\/1\.0 401 Unauthorized\r\n/);
      expect(text).toContain('WWW-Authenticate: NTLM\r\n');
      expect(text).toMatch(/CSeq: 2\r\n[\s\S]*a=pgmpu:data:application\/vnd\.ms\.wms-hdr\.asfv1;base64,/);
    } finally {
      await guarded.close();
    }
  });

  it('plays another product when told: its own Server header, no WMS Supported, no ASF header', async () => {
    const vlc = await startRtspServer({ server: 'VLC/3.0.21', asfHeader: false });
    try {
      const text = await converse(
        vlc.port,
        `OPTIONS rtsp://127.0.0.1:${vlc.port}/live RTSP/1.0\r\nCSeq: 1\r\n\r\n` +
          `DESCRIBE rtsp://127.0.0.1:${vlc.port}/live RTSP/1.0\r\nCSeq: 2\r\n\r\n`,
      );
      expect(text).toContain('Server: VLC/3.0.21\r\n');
      expect(text).not.toContain('Supported:');
      expect(text).toContain('Public: DESCRIBE,SETUP,TEARDOWN,PLAY,PAUSE,GET_PARAMETER\r\n');
      expect(text).toContain('application/sdp');
      expect(text).not.toContain('pgmpu');
    } finally {
      await vlc.close();
    }
  });

  it('without a WMServer name, ffprobe no longer reads the ASF header it is sent (FFmpeg keys on the prefix)', async () => {
    const impostor = await startRtspServer({ server: 'VLC/3.0.21' });
    try {
      const { stdout } = await ffprobeCodecs(`rtsp://127.0.0.1:${impostor.port}/live`).catch(
        (error: { stdout?: string }) => ({ stdout: error.stdout || '{}' }),
      );
      expect(codecNames(stdout)).not.toContain(SAMPLE_CODECS.video);
    } finally {
      await impostor.close();
    }
  });
});

describe('simulator building blocks', () => {
  let sample: AsfSample;
  beforeAll(async () => {
    sample = await asfSample();
  });

  it('reads the ASF header: two streams (video 1, audio 2), packet size and duration', () => {
    const asf = describeAsfHeader(sample.header);
    expect(asf.streams.map((s) => [s.number, s.kind])).toEqual([
      [1, 'video'],
      [2, 'audio'],
    ]);
    expect(asf.maxPacketSize).toBe(sample.packetSize);
    expect(asf.durationMs).toBeGreaterThan(3500);
    expect(asf.durationMs).toBeLessThan(4500);
    expect(asf.streams[1]?.bitrate).toBe(32_000);
  });

  it('reads Send Time and key frames from data packets, and send times never go back', () => {
    const infos = sample.packets.map(readAsfPacket);
    expect(infos[0]?.sendTime).toBe(0);
    expect(infos.some((info) => info.keyFrame)).toBe(true);
    for (let index = 1; index < infos.length; index++) {
      expect(infos[index]!.sendTime).toBeGreaterThanOrEqual(infos[index - 1]!.sendTime);
    }
    expect(new Set(infos.map((info) => info.firstStream))).toEqual(new Set([1, 2]));
  });

  it('strips padding into an explicit packet length ([MS-RTSP] 2.2.1.4)', () => {
    const padded = sample.packets.find((packet) => ((packet[3] ?? 0) >> 3) & 3);
    expect(padded).toBeDefined();
    const padding = padded![5]!; // EC (3 bytes), flags, property flags, then the BYTE padding length
    const stripped = stripAsfPadding(padded!);
    expect(stripped.length).toBe(padded!.length - padding + 2 - 1);
    expect(((stripped[3]! >> 3) & 3) === 0).toBe(true); // no padding length field any more
    expect((stripped[3]! >> 5) & 3).toBe(2); // a WORD packet length
    expect(stripped.readUInt16LE(5)).toBe(stripped.length);
    expect(readAsfPacket(stripped)).toEqual(readAsfPacket(padded!));
    const unpadded = sample.packets[0]!;
    expect(stripAsfPadding(unpadded)).toBe(unpadded);
  });

  it('frames RTP, RTCP BYE and the interleaved $ header', () => {
    const packet = sample.packets[0]!;
    const rtp = asfRtpPacket({ seq: 0x1234, ssrc: 0xdeadbeef }, packet);
    expect(rtp[0]).toBe(0x80);
    expect(rtp[1]).toBe(0x80 | 96);
    expect(rtp.readUInt16BE(2)).toBe(0x1234);
    expect(rtp.readUInt32BE(4)).toBe(readAsfPacket(packet).sendTime);
    expect(rtp.readUInt32BE(8)).toBe(0xdeadbeef);
    expect(rtp[12]! & 0x40).toBe(0x40);
    expect(rtp.readUIntBE(13, 3)).toBe(packet.length + 4);
    expect(rtp.subarray(16).equals(packet)).toBe(true);
    expect([...rtcpBye(1)]).toEqual([0x81, 203, 0, 1, 0, 0, 0, 1]);
    expect([...interleave(3, Buffer.from([9, 9]))]).toEqual([0x24, 3, 0, 2, 9, 9]);
  });

  it('splits requests, skips interleaved frames and client answers, and never throws', () => {
    const request = Buffer.from(
      'SETUP rtsp://h/live/audio2 RTSP/1.0\r\nCSeq: 3\r\nTransport: RTP/AVP/TCP;interleaved=2-3\r\n\r\n',
    );
    const parsed = parseRtspRequest(Buffer.concat([request, Buffer.from('$\x01\x00')]));
    expect(parsed.kind).toBe('request');
    if (parsed.kind === 'request') {
      expect(parsed.request.method).toBe('SETUP');
      expect(parsed.request.headers.get('transport')).toBe('RTP/AVP/TCP;interleaved=2-3');
      expect(parsed.length).toBe(request.length);
    }
    expect(parseRtspRequest(Buffer.from([0x24, 1, 0, 2, 7, 7]))).toEqual({ kind: 'skip', length: 6 });
    expect(parseRtspRequest(Buffer.from('RTSP/1.0 501 Not Implemented\r\nCSeq: 1\r\n\r\n')).kind).toBe(
      'skip',
    );
    expect(
      parseRtspRequest(Buffer.from('DESCRIBE rtsp://h/ RTSP/1.0\r\nContent-Length: 5\r\n\r\nab')).kind,
    ).toBe('incomplete');
    expect(parseRtspRequest(Buffer.from('\x01\x02\r\n\r\n')).kind).toBe('bad');
  });

  it('builds an SDP whose pgmpu header is the file start up to the Data Object packets', () => {
    const sdp = buildWmsSdp({ baseUrl: 'rtsp://127.0.0.1:1/live', sample, sessionId: '1' });
    const header = pgmpuHeader(sample);
    expect(header.length).toBe(sample.header.length + 50);
    expect(header.subarray(sample.header.length, sample.header.length + 16).toString('hex')).toBe(
      '3626b2758e66cf11a6d900aa0062ce6c',
    );
    expect(sdp).toContain('a=control:rtsp://127.0.0.1:1/live/\r\n');
    expect(sdp).toContain(`a=maxps:${sample.packetSize}\r\n`);
    expect(sdp.indexOf('a=pgmpu:')).toBeLessThan(sdp.indexOf('m='));
  });
});

// The MMS simulator is only worth something if a real client reads it: Debian's ffprobe (FFmpeg's mmst.c) must find
// the sample's codecs through it. Then a session driven by hand checks what ffprobe does not look at closely.
import { execFile } from 'node:child_process';
import net from 'node:net';
import { afterAll, describe, expect, it } from 'vitest';
import {
  HEADER_FLAGS,
  MID,
  buildCloseFile,
  buildConnectFunnel,
  buildFunnelInfo,
  buildLinkViewerToMacConnect,
  buildOpenFile,
  buildReadBlock,
  buildStartPlaying,
  buildStopPlaying,
  parseReportConnectedEx,
  parseReportEndOfStream,
  parseReportFunnelInfo,
  parseReportOpenFile,
  parseReportStartedPlaying,
  readCommandFrame,
  subscriberNameFor,
  type FrameRead,
} from '../probes/mms-messages';
import { SAMPLE_CODECS, asfSample } from './asf-sample';
import { startMmsServer, type MmsServer, type MmsServerOptions } from './mms-server';

const servers: MmsServer[] = [];
afterAll(async () => {
  await Promise.all(servers.map((server) => server.close()));
});

async function serve(options: MmsServerOptions): Promise<MmsServer> {
  const server = await startMmsServer(options);
  servers.push(server);
  return server;
}

interface FfprobeRun {
  exitCode: number;
  stdout: string;
  stderr: string;
}

function ffprobe(url: string): Promise<FfprobeRun> {
  return new Promise((resolve) => {
    execFile(
      'ffprobe',
      ['-v', 'error', '-show_entries', 'stream=codec_name', '-of', 'json', url],
      { timeout: 15_000, maxBuffer: 1024 * 1024 },
      (error, stdout, stderr) => {
        const code = error ? (typeof error.code === 'number' ? error.code : -1) : 0;
        resolve({ exitCode: code, stdout, stderr });
      },
    );
  });
}

function codecNames(run: FfprobeRun): string[] {
  const parsed = JSON.parse(run.stdout) as { streams?: { codec_name?: string }[] };
  return (parsed.streams ?? []).map((stream) => stream.codec_name ?? '?').sort();
}

const EXPECTED_CODECS = [SAMPLE_CODECS.audio, SAMPLE_CODECS.video].sort();

describe('ffprobe reads the simulator (mmst://)', () => {
  it('finds the sample codecs, after the whole handshake a player does', async () => {
    const server = await serve({ streams: { '/live': 'ok' } });
    const run = await ffprobe(`mmst://127.0.0.1:${server.port}/live`);
    expect(run.stderr).toBe('');
    expect(run.exitCode).toBe(0);
    expect(codecNames(run)).toEqual(EXPECTED_CODECS);
    expect(server.received().slice(0, 7)).toEqual([
      MID.connect,
      MID.funnelInfo,
      MID.connectFunnel,
      MID.openFile,
      MID.readBlock,
      MID.streamSwitch,
      MID.startPlaying,
    ]);
  });

  it('also when the ASF header comes split over several Data packets (AFFlags 0x04 … 0x08)', async () => {
    const server = await serve({ streams: { '/live': 'ok' }, headerPacketBytes: 200 });
    const run = await ffprobe(`mmst://127.0.0.1:${server.port}/live`);
    expect(run.exitCode).toBe(0);
    expect(codecNames(run)).toEqual(EXPECTED_CODECS);
  });

  it('and from a broadcast publishing point', async () => {
    const server = await serve({ streams: { '/radio': 'broadcast' } });
    const run = await ffprobe(`mmst://127.0.0.1:${server.port}/radio`);
    expect(run.exitCode).toBe(0);
    expect(codecNames(run)).toEqual(EXPECTED_CODECS);
  });

  it('fails on a missing path with the server hr 0xC00D001A', async () => {
    const server = await serve({ streams: { '/live': 'ok' } });
    const run = await ffprobe(`mmst://127.0.0.1:${server.port}/missing`);
    expect(run.exitCode).not.toBe(0);
    expect(run.stderr.toLowerCase()).toContain('0xc00d001a');
  });
});

/** A hand-driven client: sends messages, collects frames in arrival order. */
class TestClient {
  private buffer = Buffer.alloc(0);
  private readonly frames: Exclude<FrameRead, { kind: 'incomplete' | 'invalid' }>[] = [];
  private waiters: (() => void)[] = [];
  private sequence = 0;
  closed = false;

  private constructor(readonly socket: net.Socket) {
    socket.on('data', (chunk: Buffer) => {
      this.buffer = Buffer.concat([this.buffer, chunk]);
      for (let read = readCommandFrame(this.buffer); read.kind === 'command' || read.kind === 'data';) {
        this.frames.push(read);
        this.buffer = this.buffer.subarray(read.length);
        read = readCommandFrame(this.buffer);
      }
      this.wake();
    });
    socket.on('close', () => {
      this.closed = true;
      this.wake();
    });
    socket.on('error', () => undefined);
  }

  static connect(port: number): Promise<TestClient> {
    return new Promise((resolve, reject) => {
      const socket = net.connect({ host: '127.0.0.1', port });
      socket.once('connect', () => resolve(new TestClient(socket)));
      socket.once('error', reject);
    });
  }

  private wake(): void {
    const waiters = this.waiters;
    this.waiters = [];
    for (const waiter of waiters) waiter();
  }

  send(build: (sequence: number) => Buffer): void {
    this.socket.write(build(this.sequence++));
  }

  /** Waits (at most 3 s) until `count` frames have arrived in total, then returns them all. */
  async framesUntil(count: number): Promise<typeof this.frames> {
    const deadline = Date.now() + 3000;
    while (this.frames.length < count && !this.closed && Date.now() < deadline) {
      await new Promise<void>((resolve) => {
        this.waiters.push(resolve);
        setTimeout(resolve, 50);
      });
    }
    return this.frames;
  }

  /** Waits until the frame list contains a command with `mid`; returns its index, or -1. */
  async commandIndex(mid: number): Promise<number> {
    const deadline = Date.now() + 3000;
    for (;;) {
      const index = this.frames.findIndex((frame) => frame.kind === 'command' && frame.mid === mid);
      if (index >= 0 || this.closed || Date.now() > deadline) return index;
      await this.framesUntil(this.frames.length + 1);
    }
  }

  end(): void {
    this.socket.destroy();
  }
}

function commandFrame(frame: FrameRead | undefined): Buffer {
  if (frame?.kind !== 'command') throw new Error(`expected a command frame, got ${frame?.kind ?? 'nothing'}`);
  return frame.frame;
}

describe('a session driven by hand', () => {
  it('connect → funnel → open → header packets → play → data packets → end of stream', async () => {
    const sample = await asfSample();
    const server = await serve({ version: '9.01.01.3814', headerPacketBytes: 300 });
    const client = await TestClient.connect(server.port);
    client.send((sequence) =>
      buildLinkViewerToMacConnect({
        sequence,
        playIncarnation: 0xf0f0f0ef,
        subscriberName: subscriberNameFor('127.0.0.1', '01234567-89AB-CDEF-0123-456789ABCDEF'),
      }),
    );
    client.send((sequence) => buildFunnelInfo({ sequence }));
    client.send((sequence) => buildConnectFunnel({ sequence, funnelName: '\\\\127.0.0.1\\TCP\\1' }));
    client.send((sequence) => buildOpenFile({ sequence, path: 'live', playIncarnation: 1 }));
    client.send((sequence) => buildReadBlock({ sequence, openFileId: 1, playIncarnation: 2 }));

    const fileHeaderSize = sample.header.length + 50;
    const headerCount = Math.ceil(fileHeaderSize / 300);
    const frames = await client.framesUntil(5 + headerCount);
    expect(parseReportConnectedEx(commandFrame(frames[0]))).toMatchObject({
      hr: 0,
      serverVersion: '9.01.01.3814',
    });
    expect(parseReportFunnelInfo(commandFrame(frames[1]))?.hr).toBe(0);
    expect(commandFrame(frames[2]).readUInt32LE(36)).toBe(MID.reportConnectedFunnel);
    const opened = parseReportOpenFile(commandFrame(frames[3]));
    expect(opened).toMatchObject({ hr: 0, playIncarnation: 1, openFileId: 1 });
    expect(opened?.file).toMatchObject({
      broadcast: false,
      packetSize: sample.packetSize,
      packetCount: sample.packets.length,
      headerSize: fileHeaderSize,
    });
    expect(opened?.file?.durationSeconds).toBeGreaterThan(3);
    expect(opened?.file?.durationSeconds).toBeLessThan(5);
    expect(commandFrame(frames[4]).readUInt32LE(36)).toBe(MID.reportReadBlock);

    const headerPackets = frames.slice(5, 5 + headerCount);
    expect(headerPackets.map((packet) => (packet.kind === 'data' ? packet.afFlags : -1))).toEqual([
      ...Array<number>(headerCount - 1).fill(HEADER_FLAGS.firstOfMany),
      HEADER_FLAGS.lastOfMany,
    ]);
    expect(headerPackets.map((packet) => (packet.kind === 'data' ? packet.locationId : -1))).toEqual(
      Array.from({ length: headerCount }, (_, index) => index),
    );
    expect(headerPackets.every((packet) => packet.kind === 'data' && packet.playIncarnation === 2)).toBe(
      true,
    );
    const header = Buffer.concat(
      headerPackets.map((packet) => (packet.kind === 'data' ? packet.payload : Buffer.alloc(0))),
    );
    // The MMS "file header" is the ASF Header Object plus the Data Object's first 50 bytes [MMSP 2.2.2].
    expect(header.equals(sample.file.subarray(0, fileHeaderSize))).toBe(true);

    client.send((sequence) => buildStartPlaying({ sequence, openFileId: 1, playIncarnation: 4 }));
    const endIndex = await client.commandIndex(MID.reportEndOfStream);
    const all = await client.framesUntil(0);
    const afterHeader = all.slice(5 + headerCount, endIndex + 1);
    expect(parseReportStartedPlaying(commandFrame(afterHeader[0]))).toEqual({ hr: 0, playIncarnation: 4 });
    const media = afterHeader.slice(1, -1);
    expect(media.length).toBe(sample.packets.length);
    media.forEach((packet, index) => {
      expect(packet.kind).toBe('data');
      if (packet.kind !== 'data') return;
      expect(packet.locationId).toBe(index);
      expect(packet.playIncarnation).toBe(4);
      expect(packet.afFlags).toBe(index & 0xff);
      expect(packet.payload.equals(sample.packets[index]!)).toBe(true);
    });
    expect(parseReportEndOfStream(commandFrame(afterHeader.at(-1)))).toEqual({ hr: 0, playIncarnation: 4 });

    client.send((sequence) => buildCloseFile({ sequence, openFileId: 1 }));
    await client.framesUntil(Number.MAX_SAFE_INTEGER);
    expect(client.closed).toBe(true);
  });

  it('StopPlaying ends the run with ReportEndOfStream carrying its playIncarnation', async () => {
    const server = await serve({});
    const client = await TestClient.connect(server.port);
    client.send((sequence) =>
      buildLinkViewerToMacConnect({ sequence, playIncarnation: 0xf0f0f0ef, subscriberName: 'x' }),
    );
    client.send((sequence) => buildConnectFunnel({ sequence, funnelName: '\\\\127.0.0.1\\TCP\\1' }));
    client.send((sequence) => buildOpenFile({ sequence, path: 'live' }));
    client.send((sequence) => buildStopPlaying({ sequence, openFileId: 1, playIncarnation: 7 }));
    const index = await client.commandIndex(MID.reportEndOfStream);
    const frames = await client.framesUntil(0);
    expect(parseReportEndOfStream(commandFrame(frames[index]))).toEqual({ hr: 0, playIncarnation: 7 });
    client.end();
  });

  it('pings an idle client after keepAliveMs', async () => {
    const server = await serve({ keepAliveMs: 50 });
    const client = await TestClient.connect(server.port);
    client.send((sequence) =>
      buildLinkViewerToMacConnect({ sequence, playIncarnation: 0xf0f0f0ef, subscriberName: 'x' }),
    );
    expect(await client.commandIndex(MID.ping)).toBe(1);
    client.end();
  });

  it('refuses a UDP funnel with ReportDisconnectedFunnel', async () => {
    const server = await serve({});
    const client = await TestClient.connect(server.port);
    client.send((sequence) =>
      buildLinkViewerToMacConnect({ sequence, playIncarnation: 0xf0f0f0ef, subscriberName: 'x' }),
    );
    client.send((sequence) => buildConnectFunnel({ sequence, funnelName: '\\\\127.0.0.1\\UDP\\7000' }));
    expect(await client.commandIndex(MID.reportDisconnectedFunnel)).toBe(1);
    client.end();
  });

  it('hangs up on bytes that are not an MMS client message', async () => {
    const server = await serve({});
    const client = await TestClient.connect(server.port);
    client.socket.write('GET /live HTTP/1.1\r\nHost: x\r\n\r\n');
    await client.framesUntil(Number.MAX_SAFE_INTEGER);
    expect(client.closed).toBe(true);
  });

  it('close() ends open connections', async () => {
    const server = await startMmsServer({});
    const client = await TestClient.connect(server.port);
    client.send((sequence) =>
      buildLinkViewerToMacConnect({ sequence, playIncarnation: 0xf0f0f0ef, subscriberName: 'x' }),
    );
    await client.framesUntil(1);
    await server.close();
    await client.framesUntil(Number.MAX_SAFE_INTEGER);
    expect(client.closed).toBe(true);
  });
});

// An MMS-over-TCP server (Windows Media Services' port-1755 protocol) for tests and benchmarks, on 127.0.0.1 and a
// random port. It follows the server side of [MS-MMSP] 3.2.5 closely enough that Debian's ffprobe plays the
// sample from it (see mms-server.test.ts): connect, funnel, open, header by ReadBlock, stream selection, playing.
// Message layouts come from electron/probes/mms-messages.ts (docs/protocols.md sec. 1).
//
// Simplifications, none of which a client can tell on loopback: TCP data only (a UDP funnel is refused), no
// packet-pair, no pacing at the content bit rate, every stream's payloads sent whatever the client selected,
// padding left in the ASF packets, credentials never accepted.
import net from 'node:net';
import { asfSample, type AsfSample } from './asf-sample';
import {
  FILE_ATTRIBUTE,
  HEADER_FLAGS,
  MID,
  MMS_SESSION_ID,
  buildDataPacket,
  buildPing,
  buildReportConnectedEx,
  buildReportConnectedFunnel,
  buildReportDisconnectedFunnel,
  buildReportEndOfStream,
  buildReportFunnelInfo,
  buildReportOpenFile,
  buildReportReadBlock,
  buildReportRedirect,
  buildReportStartStriding,
  buildReportStartedPlaying,
  buildReportStreamSwitch,
  buildSecurityChallenge,
  parseConnectFunnel,
  parseOpenFile,
  parseReadBlock,
  parseStartPlaying,
  parseStopPlaying,
  readCommandFrame,
} from '../probes/mms-messages';

export type MmsStreamBehaviour = 'ok' | 'broadcast' | 'auth' | { redirect: string };

export interface MmsServerOptions {
  /** ServerVersionInfo of ReportConnectedEX; default the WMS 9 build "9.01.01.3814" [docs/protocols.md 1.4]. */
  version?: string;
  /** URL path ("/live") → what OpenFile gets. Unknown paths get hr 0xC00D001A. Default `{ '/live': 'ok' }`. */
  streams?: Record<string, MmsStreamBehaviour>;
  /** hr of ReportConnectedEX; non-zero refuses the connection (then the server hangs up). */
  connectHr?: number;
  /** Largest ASF-header payload per Data packet (default: the ASF packet size), to force a split header. */
  headerPacketBytes?: number;
  /** Idle time after the server's last message before it pings; the spec's 30 s by default [MMSP 3.2.2]. */
  keepAliveMs?: number;
}

export interface MmsServer {
  port: number;
  close(): Promise<void>;
  /** MIDs of every message clients sent, in arrival order (all connections). */
  received(): number[];
}

export const DEFAULT_MMS_VERSION = '9.01.01.3814';
const NS_E_FILE_NOT_FOUND = 0xc00d001a;
const E_ACCESSDENIED = 0x80070005;
const E_INVALIDARG = 0x80070057;
const E_NOTIMPL = 0x80004001;
/** One file per session (nMaxOpenFiles 1); FFmpeg sends openFileId 1 whatever the server says [FF-mmst]. */
const OPEN_FILE_ID = 1;
/** The 50-byte fixed start of the ASF Data Object belongs to the MMS "ASF file header" [MMSP 2.2.2]. */
const DATA_OBJECT_HEADER_BYTES = 50;
const FILE_PROPERTIES_GUID = Buffer.from('a1dcab8c47a9cf118ee400c00c205365', 'hex');
const MAX_RECEIVED_LOG = 10_000;

export async function startMmsServer(options: MmsServerOptions = {}): Promise<MmsServer> {
  const sample = await asfSample();
  const settings: ServerSettings = {
    version: options.version ?? DEFAULT_MMS_VERSION,
    streams: options.streams ?? { '/live': 'ok' },
    connectHr: options.connectHr ?? 0,
    headerPacketBytes: Math.max(
      1,
      Math.min(options.headerPacketBytes ?? sample.packetSize, sample.packetSize),
    ),
    keepAliveMs: options.keepAliveMs ?? 30_000,
    media: describeMedia(sample),
  };
  const sessions = new Set<ServerSession>();
  const received: number[] = [];
  let nextClientId = 1;

  const server = net.createServer((socket) => {
    const session = new ServerSession(socket, settings, nextClientId++, (mid) => {
      if (received.length < MAX_RECEIVED_LOG) received.push(mid);
    });
    sessions.add(session);
    socket.on('close', () => sessions.delete(session));
  });
  server.on('error', () => undefined);

  const port = await new Promise<number>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      if (address === null || typeof address === 'string')
        reject(new Error('the MMS simulator has no TCP port'));
      else resolve(address.port);
    });
  });

  return {
    port,
    received: () => [...received],
    close: () =>
      new Promise<void>((done) => {
        for (const session of sessions) session.destroy();
        sessions.clear();
        server.close(() => done());
      }),
  };
}

interface MediaFacts {
  /** ASF Header Object + the Data Object's 50-byte start. */
  fileHeader: Buffer;
  packets: Buffer[];
  packetSize: number;
  durationSeconds: number;
  bitRate: number;
}

interface ServerSettings {
  version: string;
  streams: Record<string, MmsStreamBehaviour>;
  connectHr: number;
  headerPacketBytes: number;
  keepAliveMs: number;
  media: MediaFacts;
}

/** Duration and bit rate from the ASF File Properties Object (play duration in 100 ns, preroll in ms). */
function describeMedia(sample: AsfSample): MediaFacts {
  const fileHeader = sample.file.subarray(0, sample.header.length + DATA_OBJECT_HEADER_BYTES);
  const props = sample.header.indexOf(FILE_PROPERTIES_GUID);
  const playDuration = props >= 0 ? Number(sample.header.readBigUInt64LE(props + 64)) / 1e7 : 0;
  const preroll = props >= 0 ? Number(sample.header.readBigUInt64LE(props + 80)) / 1000 : 0;
  return {
    fileHeader,
    packets: sample.packets,
    packetSize: sample.packetSize,
    durationSeconds: Math.max(0, playDuration - preroll),
    bitRate: props >= 0 ? sample.header.readUInt32LE(props + 100) : 0,
  };
}

/** The Data packets that carry the file header: 0x04 on all but the last, 0x08 on the last, 0x0C alone. */
export function headerPackets(fileHeader: Buffer, chunkBytes: number, playIncarnation: number): Buffer[] {
  const count = Math.max(1, Math.ceil(fileHeader.length / chunkBytes));
  return Array.from({ length: count }, (_, index) => {
    // FFmpeg keeps collecting while the flag is 0x04 and needs 0x08/0x0C on the last one [FF-mmst], so a middle
    // packet carries 0x04 too (Wireshark's "middle" 0x00 would end the header early there).
    const afFlags =
      count === 1
        ? HEADER_FLAGS.only
        : index === count - 1
          ? HEADER_FLAGS.lastOfMany
          : HEADER_FLAGS.firstOfMany;
    return buildDataPacket({
      locationId: index,
      playIncarnation,
      afFlags,
      payload: fileHeader.subarray(index * chunkBytes, (index + 1) * chunkBytes),
    });
  });
}

class ServerSession {
  private sequence = 0;
  private buffer: Buffer = Buffer.alloc(0);
  private openStream: MmsStreamBehaviour | null = null;
  /** The current StartPlaying run; StopPlaying or a new StartPlaying ends it. */
  private playing: { playIncarnation: number; stopped: boolean } | null = null;
  /** AFFlags of ASF data packets: a running sequence number [MMSP 2.2.2]. */
  private dataSequence = 0;
  private keepAlive: NodeJS.Timeout | null = null;

  constructor(
    private readonly socket: net.Socket,
    private readonly settings: ServerSettings,
    private readonly clientId: number,
    private readonly log: (mid: number) => void,
  ) {
    socket.setNoDelay(true);
    socket.on('error', () => undefined);
    socket.on('close', () => this.stopTimers());
    socket.on('data', (chunk: Buffer) => this.onData(chunk));
  }

  destroy(): void {
    this.stopTimers();
    this.socket.destroy();
  }

  private stopTimers(): void {
    if (this.keepAlive) clearTimeout(this.keepAlive);
    this.keepAlive = null;
    if (this.playing) this.playing.stopped = true;
  }

  private get alive(): boolean {
    return !this.socket.destroyed && this.socket.writable;
  }

  private send(message: (sequence: number) => Buffer): void {
    if (!this.alive) return;
    this.socket.write(message(this.sequence++));
    // The KeepAlive timer starts with every message sent and stops with every packet received [MMSP 3.2.5.2].
    if (this.keepAlive) clearTimeout(this.keepAlive);
    this.keepAlive = setTimeout(() => {
      this.keepAlive = null;
      if (!this.playing) this.send((sequence) => buildPing({ sequence }));
    }, this.settings.keepAliveMs);
    this.keepAlive.unref();
  }

  private onData(chunk: Buffer): void {
    if (this.keepAlive) clearTimeout(this.keepAlive);
    this.keepAlive = null;
    this.buffer = this.buffer.length === 0 ? chunk : Buffer.concat([this.buffer, chunk]);
    for (;;) {
      // A client sends only TcpMessageHeader packets; anything else is not an MMS client [MMSP 3.2.5.1]. Checked
      // on the first 8 bytes, before the receive rule would read them as a Data packet and wait for its size.
      if (this.buffer.length >= 8 && this.buffer.readUInt32LE(4) !== MMS_SESSION_ID) {
        this.destroy();
        return;
      }
      const frame = readCommandFrame(this.buffer);
      if (frame.kind === 'incomplete') return;
      if (frame.kind !== 'command') {
        this.destroy();
        return;
      }
      this.buffer = this.buffer.subarray(frame.length);
      this.log(frame.mid);
      this.handle(frame.mid, frame.frame);
      if (!this.alive) return;
    }
  }

  private handle(mid: number, frame: Buffer): void {
    switch (mid) {
      case MID.connect:
        return this.onConnect();
      case MID.funnelInfo:
        return this.send((sequence) => buildReportFunnelInfo({ sequence, clientId: this.clientId }));
      case MID.connectFunnel:
        return this.onConnectFunnel(frame);
      case MID.openFile:
        return this.onOpenFile(frame);
      case MID.securityResponse:
        // Credentials are never good enough here.
        return this.send((sequence) =>
          buildReportOpenFile({ sequence, ...emptyOpenFileReport(E_ACCESSDENIED, frame.readUInt32LE(40)) }),
        );
      case MID.readBlock:
        return this.onReadBlock(frame);
      case MID.streamSwitch:
        return this.send((sequence) =>
          buildReportStreamSwitch({ sequence, hr: this.openStream ? 0 : E_INVALIDARG }),
        );
      case MID.startPlaying:
        return this.onStartPlaying(frame);
      case MID.startStriding:
        return this.send((sequence) =>
          buildReportStartStriding({ sequence, hr: E_NOTIMPL, playIncarnation: frame.readUInt32LE(68) }),
        );
      case MID.stopPlaying:
        return this.onStopPlaying(frame);
      case MID.closeFile:
        // The server deletes the session and closes the connection [MMSP 3.2.5.17].
        this.openStream = null;
        this.socket.end();
        return;
      case MID.pong:
      case MID.logging:
      case MID.cancelReadBlock:
        return;
      default:
        this.destroy();
    }
  }

  private onConnect(): void {
    const needsAuth = Object.values(this.settings.streams).includes('auth');
    this.send((sequence) =>
      buildReportConnectedEx({
        sequence,
        hr: this.settings.connectHr,
        serverVersion: this.settings.version,
        authPackage: needsAuth ? 'BASIC' : null,
      }),
    );
    if (this.settings.connectHr !== 0) this.socket.end();
  }

  private onConnectFunnel(frame: Buffer): void {
    const request = parseConnectFunnel(frame);
    if (request?.transport !== 'TCP') {
      // A UDP funnel (or a name we cannot read) is refused; the client may retry with TCP [MMSP 3.1.5.5].
      this.send((sequence) => buildReportDisconnectedFunnel({ sequence, hr: E_INVALIDARG }));
      return;
    }
    this.send((sequence) => buildReportConnectedFunnel({ sequence }));
  }

  private onOpenFile(frame: Buffer): void {
    const request = parseOpenFile(frame);
    const playIncarnation = request?.playIncarnation ?? 0;
    const behaviour = request ? lookUpStream(this.settings.streams, request.fileName) : undefined;
    if (behaviour === undefined) {
      // An invalid path still gets a ReportOpenFile, with an error hr [MMSP 3.2.5.6].
      this.send((sequence) =>
        buildReportOpenFile({ sequence, ...emptyOpenFileReport(NS_E_FILE_NOT_FOUND, playIncarnation) }),
      );
      return;
    }
    if (behaviour === 'auth') {
      this.send((sequence) =>
        buildSecurityChallenge({ sequence, playIncarnation, cookie: this.clientId, realm: 'Stream Doctor' }),
      );
      return;
    }
    if (typeof behaviour === 'object') {
      // After a redirect the server drops the session and closes the connection [MMSP 3.2.5.6].
      this.send((sequence) => buildReportRedirect({ sequence, location: behaviour.redirect }));
      this.socket.end();
      return;
    }
    this.openStream = behaviour;
    const media = this.settings.media;
    const broadcast = behaviour === 'broadcast';
    this.send((sequence) =>
      buildReportOpenFile({
        sequence,
        hr: 0,
        playIncarnation,
        openFileId: OPEN_FILE_ID,
        fileAttributes: broadcast
          ? FILE_ATTRIBUTE.broadcast | FILE_ATTRIBUTE.live
          : FILE_ATTRIBUTE.canSeek | FILE_ATTRIBUTE.canStride,
        fileDuration: broadcast ? 0 : media.durationSeconds,
        filePacketSize: media.packetSize,
        filePacketCount: broadcast ? 0 : media.packets.length,
        fileBitRate: media.bitRate,
        fileHeaderSize: media.fileHeader.length,
      }),
    );
  }

  private onReadBlock(frame: Buffer): void {
    const request = parseReadBlock(frame);
    if (!request || !this.openStream || request.openFileId !== OPEN_FILE_ID) {
      this.send((sequence) =>
        buildReportReadBlock({ sequence, hr: E_INVALIDARG, playIncarnation: request?.playIncarnation ?? 0 }),
      );
      return;
    }
    this.send((sequence) => buildReportReadBlock({ sequence, playIncarnation: request.playIncarnation }));
    for (const packet of headerPackets(
      this.settings.media.fileHeader,
      this.settings.headerPacketBytes,
      request.playIncarnation,
    )) {
      this.socket.write(packet);
    }
  }

  private onStartPlaying(frame: Buffer): void {
    const request = parseStartPlaying(frame);
    if (!request || !this.openStream || request.openFileId !== OPEN_FILE_ID) {
      this.send((sequence) =>
        buildReportStartedPlaying({
          sequence,
          hr: E_INVALIDARG,
          playIncarnation: request?.playIncarnation ?? 0,
          openFileId: OPEN_FILE_ID,
        }),
      );
      return;
    }
    if (this.playing) this.playing.stopped = true;
    const run = { playIncarnation: request.playIncarnation, stopped: false };
    this.playing = run;
    this.send((sequence) =>
      buildReportStartedPlaying({ sequence, playIncarnation: run.playIncarnation, openFileId: OPEN_FILE_ID }),
    );
    void this.stream(run);
  }

  /** The ASF data packets in order, as fast as the socket drains, then ReportEndOfStream [MMSP 3.2.4.1]. */
  private async stream(run: { playIncarnation: number; stopped: boolean }): Promise<void> {
    const packets = this.settings.media.packets;
    for (let locationId = 0; locationId < packets.length; locationId++) {
      if (run.stopped || !this.alive) return;
      const packet = buildDataPacket({
        locationId,
        playIncarnation: run.playIncarnation,
        afFlags: this.dataSequence++ & 0xff,
        payload: packets[locationId]!,
      });
      if (!this.socket.write(packet)) await this.drained();
    }
    if (run.stopped || !this.alive) return;
    this.playing = null;
    this.send((sequence) => buildReportEndOfStream({ sequence, playIncarnation: run.playIncarnation }));
  }

  private drained(): Promise<void> {
    return new Promise((resolve) => {
      const done = (): void => {
        this.socket.off('drain', done);
        this.socket.off('close', done);
        resolve();
      };
      this.socket.once('drain', done);
      this.socket.once('close', done);
    });
  }

  private onStopPlaying(frame: Buffer): void {
    const request = parseStopPlaying(frame);
    if (this.playing) this.playing.stopped = true;
    this.playing = null;
    this.send((sequence) =>
      buildReportEndOfStream({ sequence, playIncarnation: request?.playIncarnation ?? 0 }),
    );
  }
}

/** "/live", "live" and "live/" name the same stream. */
function lookUpStream(
  streams: Record<string, MmsStreamBehaviour>,
  fileName: string,
): MmsStreamBehaviour | undefined {
  const wanted = fileName.replace(/^\/+|\/+$/g, '');
  for (const [path, behaviour] of Object.entries(streams)) {
    if (path.replace(/^\/+|\/+$/g, '') === wanted) return behaviour;
  }
  return undefined;
}

function emptyOpenFileReport(hr: number, playIncarnation: number) {
  return {
    hr,
    playIncarnation,
    openFileId: 0,
    fileAttributes: 0,
    fileDuration: 0,
    filePacketSize: 0,
    filePacketCount: 0,
    fileBitRate: 0,
    fileHeaderSize: 0,
  };
}

// Misbehaving TCP servers for proving that every probe survives a hostile peer: bounded in time and bytes, never
// throwing, never growing memory with what the peer sends. Each behaviour is one named case below.
//
// Ground rules the servers keep (tests rely on them): listen on 127.0.0.1 only, random port; never log; write only
// to the accepted socket; stop writing the moment the client is gone; close() ends every socket and timer.
import net from 'node:net';

export const HOSTILE_BEHAVIOURS = [
  'garbage',
  'one-byte-per-second',
  'endless-headers',
  'flood-50mb',
  'immediate-close',
  'reset-mid-reply',
  'tls-on-plain-port',
  'http-on-1755',
  'huge-content-length',
  'silence',
  'nul-flood',
  'mms-header-lies',
  'rtsp-no-blank-line',
  'echo',
  'redirect-to-itself',
  'huge-header-line',
  'banner-then-silence',
  'cougar-chunk-lies',
  'mms-counts-lie',
  'mms-ping-storm',
  'endless-chunked',
  'steering-text',
] as const;

export type HostileBehaviour = (typeof HOSTILE_BEHAVIOURS)[number];

const GARBAGE_SIZE = 2048;

/** One sentence per behaviour: what the server does, in the words a failing test should show. */
export const HOSTILE_BEHAVIOUR_SUMMARY: Record<HostileBehaviour, string> = {
  garbage: `answers the request with ${GARBAGE_SIZE} seeded pseudo-random bytes, then closes`,
  'one-byte-per-second': 'answers with a plausible MMS/RTSP/HTTP reply, dribbled one byte per second',
  'endless-headers': 'sends a status line, then header lines forever, as fast as the socket takes them',
  'flood-50mb': 'sends 50 MB of binary filler from the moment of accept, as fast as the socket takes it',
  'immediate-close': 'accepts, then closes (FIN) without sending anything',
  'reset-mid-reply': 'sends the first half of a plausible reply, then resets the connection (RST)',
  'tls-on-plain-port': 'answers the request with a TLS fatal alert record, as a TLS-only service does',
  'http-on-1755': 'answers any bytes with an IIS-style "400 Bad Request (Invalid Verb)" and closes',
  'huge-content-length': 'answers with Content-Length: 2147483648, then trickles the body',
  silence: 'accepts and reads, but never sends anything and never closes',
  'nul-flood': 'sends 32 MB of NUL bytes from the moment of accept',
  'mms-header-lies':
    'answers with an MMS TcpMessageHeader claiming 0xFFFFFFF0 bytes and a ReportConnectedEX whose string counts point past the frame, then goes quiet',
  'rtsp-no-blank-line': 'sends an RTSP status line and headers that never end (one more every 50 ms)',
  echo: 'sends back every byte it receives',
  'redirect-to-itself': 'answers every request with a redirect (302) to the very URL that was asked for',
  'huge-header-line': 'answers with a status line, one 1 MiB header line and then a proper end of head',
  'banner-then-silence':
    'greets with an SSH banner on accept (another service on the port), then says nothing',
  'cougar-chunk-lies':
    'answers as Windows Media Services (Server: Cougar/…) but the $H chunk claims 65535 bytes and stops after 12',
  'mms-counts-lie':
    'answers with a well-framed ReportConnectedEX whose four string counts point far past the frame, then goes quiet',
  'mms-ping-storm':
    'greets like a Windows Media server, then answers the next message with MMS Pings (each demands a Pong) forever',
  'endless-chunked':
    'answers 200 with Transfer-Encoding: chunked, then one-byte chunks forever, as fast as they go',
  'steering-text':
    'answers like a Windows Media server whose every text (status line, Server, Location, SDP, page, MMS version) carries ESC sequences, NUL, a lone CR, right-to-left overrides and a 3 000-character tail',
};

export interface HostileServer {
  port: number;
  close(): Promise<void>;
  stats(): { connections: number; bytesSent: number };
}

/** What the first bytes of a request say the client wants; hostile replies imitate that protocol. */
export type RequestKind = 'mms' | 'rtsp' | 'http';

const MMS_SESSION_ID = 0xb00bface;
const MMS_SEAL = 0x20534d4d; // "MMS " [docs/protocols.md 1.1]
/** How much the two floods send at most (each stops earlier when the client goes). */
export const HOSTILE_FLOOD_BYTES = { 'flood-50mb': 50 * 1024 * 1024, 'nul-flood': 32 * 1024 * 1024 } as const;
const FLOOD_BYTES = HOSTILE_FLOOD_BYTES['flood-50mb'];
const NUL_FLOOD_BYTES = HOSTILE_FLOOD_BYTES['nul-flood'];
const ENDLESS_HEADERS_CAP = 50 * 1024 * 1024;
const CHUNK = 64 * 1024;

export function startHostileServer(behaviour: HostileBehaviour): Promise<HostileServer> {
  const sockets = new Set<net.Socket>();
  const timers = new Set<NodeJS.Timeout>();
  const immediates = new Set<NodeJS.Immediate>();
  let connections = 0;
  let bytesSent = 0;
  const bound = { port: 0 };

  const server = net.createServer((socket) => {
    connections++;
    sockets.add(socket);
    const socketTimers = new Set<NodeJS.Timeout>();
    // A hostile server must not crash the test on EPIPE/ECONNRESET, and must never log them either.
    socket.on('error', () => undefined);
    socket.on('close', () => {
      sockets.delete(socket);
      for (const timer of socketTimers) {
        clearTimeout(timer);
        timers.delete(timer);
      }
      socketTimers.clear();
    });
    const peer: Peer = {
      socket,
      send(bytes) {
        if (!peer.alive()) return false;
        bytesSent += bytes.length;
        return socket.write(bytes);
      },
      alive: () => !socket.destroyed && socket.writable,
      later(ms, action) {
        const timer = setTimeout(() => {
          timers.delete(timer);
          socketTimers.delete(timer);
          if (peer.alive()) action();
        }, ms);
        timers.add(timer);
        socketTimers.add(timer);
      },
      nextTurn(action) {
        const immediate = setImmediate(() => {
          immediates.delete(immediate);
          if (peer.alive()) action();
        });
        immediates.add(immediate);
      },
      onFirstRequest(action) {
        socket.once('data', (chunk: Buffer) => action(sniffRequest(chunk), chunk));
      },
    };
    // Always drain what the client sends, so it never sits unread in the kernel (an unread close turns into RST).
    socket.on('data', () => undefined);
    BEHAVIOURS[behaviour](peer, bound);
  });
  server.on('error', () => undefined);

  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const listening = server.address();
      if (listening === null || typeof listening === 'string') {
        reject(new Error('hostile server did not bind a TCP port'));
        return;
      }
      bound.port = listening.port;
      resolve({
        port: listening.port,
        stats: () => ({ connections, bytesSent }),
        close: () =>
          new Promise<void>((done) => {
            for (const timer of timers) clearTimeout(timer);
            timers.clear();
            for (const immediate of immediates) clearImmediate(immediate);
            immediates.clear();
            for (const socket of sockets) socket.destroy();
            sockets.clear();
            server.close(() => done());
          }),
      });
    });
  });
}

interface Peer {
  socket: net.Socket;
  /** Writes if the client is still there; returns false when the socket wants us to wait for 'drain'. */
  send(bytes: Buffer): boolean;
  alive(): boolean;
  /** Runs `action` after `ms` unless the client has gone by then; the timer dies with the socket. */
  later(ms: number, action: () => void): void;
  /** Runs `action` on the next turn of the event loop unless the client has gone by then. */
  nextTurn(action: () => void): void;
  onFirstRequest(action: (kind: RequestKind, request: Buffer) => void): void;
}

type Behaviour = (peer: Peer, server: { port: number }) => void;

const BEHAVIOURS: Record<HostileBehaviour, Behaviour> = {
  garbage(peer) {
    peer.onFirstRequest(() => {
      peer.send(garbageBytes());
      peer.socket.end();
    });
  },

  'one-byte-per-second'(peer) {
    peer.onFirstRequest((kind, request) => {
      const reply = plausibleReply(kind, request);
      let offset = 0;
      const next = (): void => {
        peer.send(reply.subarray(offset, offset + 1));
        offset++;
        if (offset < reply.length) peer.later(1000, next);
      };
      next();
    });
  },

  'endless-headers'(peer) {
    peer.onFirstRequest((kind) => {
      let sent = 0;
      let line = 0;
      pump(peer, () => {
        if (sent >= ENDLESS_HEADERS_CAP) return null;
        const parts: string[] = sent === 0 ? [`${statusLinePrefix(kind)} 200 OK\r\n`] : [];
        let length = 0;
        while (length < CHUNK) {
          const header = `X-Endless-${line++}: ${'h'.repeat(48)}\r\n`;
          parts.push(header);
          length += header.length;
        }
        const chunk = Buffer.from(parts.join(''), 'latin1');
        sent += chunk.length;
        return chunk;
      });
    });
  },

  'flood-50mb'(peer) {
    const block = seededBytes(CHUNK, 0x5eed_f100);
    let sent = 0;
    pump(peer, () => {
      if (sent >= FLOOD_BYTES) return null;
      sent += block.length;
      return block;
    });
  },

  'immediate-close'(peer) {
    peer.socket.end();
  },

  'reset-mid-reply'(peer) {
    peer.onFirstRequest((kind, request) => {
      const reply = plausibleReply(kind, request);
      peer.send(reply.subarray(0, Math.floor(reply.length / 2)));
      // Give the half reply time to reach the client's buffer: an RST can make the kernel drop unread data.
      peer.later(100, () => peer.socket.resetAndDestroy());
    });
  },

  'tls-on-plain-port'(peer) {
    peer.onFirstRequest(() => {
      peer.send(TLS_FATAL_ALERT);
      peer.socket.end();
    });
  },

  'http-on-1755'(peer) {
    peer.onFirstRequest(() => {
      peer.send(iisInvalidVerb());
      peer.socket.end();
    });
  },

  'huge-content-length'(peer) {
    peer.onFirstRequest((kind, request) => {
      const head = [
        `${statusLinePrefix(kind)} 200 OK`,
        ...(kind === 'rtsp' ? [`CSeq: ${requestCseq(request)}`] : []),
        'Server: Cougar/9.01.01.3814',
        'Content-Type: application/octet-stream',
        'Content-Length: 2147483648',
        '',
        '',
      ].join('\r\n');
      peer.send(Buffer.from(head, 'latin1'));
      const trickle = (): void => {
        peer.send(Buffer.alloc(16, 0x2e));
        peer.later(100, trickle);
      };
      peer.later(100, trickle);
    });
  },

  silence() {
    // Accepts, reads (see the drain in startHostileServer) and holds the socket until the client or close() ends it.
  },

  'nul-flood'(peer) {
    const block = Buffer.alloc(CHUNK);
    let sent = 0;
    pump(peer, () => {
      if (sent >= NUL_FLOOD_BYTES) return null;
      sent += block.length;
      return block;
    });
  },

  'mms-header-lies'(peer) {
    peer.onFirstRequest(() => peer.send(lyingMmsReply()));
  },

  'rtsp-no-blank-line'(peer) {
    peer.onFirstRequest((_kind, request) => {
      peer.send(
        Buffer.from(
          `RTSP/1.0 200 OK\r\nCSeq: ${requestCseq(request)}\r\nServer: WMServer/9.6.7600.16385\r\n`,
          'latin1',
        ),
      );
      let line = 0;
      const more = (): void => {
        peer.send(Buffer.from(`X-Still-Going-${line++}: yes\r\n`, 'latin1'));
        peer.later(50, more);
      };
      peer.later(50, more);
    });
  },

  echo(peer) {
    peer.socket.on('data', (chunk: Buffer) => peer.send(chunk));
  },

  'redirect-to-itself'(peer, server) {
    peer.onFirstRequest((kind, request) => {
      const target = requestTarget(request);
      const location =
        kind === 'rtsp' ? absoluteUrl('rtsp', server.port, target) : absoluteUrl('http', server.port, target);
      const head = [
        `${statusLinePrefix(kind)} 302 Found`,
        ...(kind === 'rtsp' ? [`CSeq: ${requestCseq(request)}`] : []),
        `Location: ${location}`,
        'Content-Length: 0',
        'Connection: close',
        '',
        '',
      ].join('\r\n');
      peer.send(Buffer.from(head, 'latin1'));
      peer.socket.end();
    });
  },

  'huge-header-line'(peer) {
    peer.onFirstRequest((kind, request) => {
      const start = [
        `${statusLinePrefix(kind)} 200 OK`,
        ...(kind === 'rtsp' ? [`CSeq: ${requestCseq(request)}`] : []),
        'X-Huge: ',
      ].join('\r\n');
      const parts = [Buffer.from(start, 'latin1')];
      const filler = Buffer.alloc(CHUNK, 0x78);
      for (let i = 0; i < (1024 * 1024) / CHUNK; i++) parts.push(filler);
      parts.push(Buffer.from('\r\nContent-Length: 0\r\n\r\n', 'latin1'));
      let index = 0;
      pump(
        peer,
        () => parts[index++] ?? null,
        () => peer.socket.end(),
      );
    });
  },

  'banner-then-silence'(peer) {
    peer.send(Buffer.from('SSH-2.0-OpenSSH_9.6p1 Debian-4\r\n', 'latin1'));
  },

  'cougar-chunk-lies'(peer) {
    peer.onFirstRequest(() => {
      const head = [
        'HTTP/1.0 200 OK',
        'Server: Cougar/9.01.01.3814',
        'Content-Type: application/vnd.ms.wms-hdr.asfv1',
        'Pragma: no-cache,client-id=3320437311,features="seekable,stridable"',
        'Cache-Control: no-cache',
        '',
        '',
      ].join('\r\n');
      // $H whose PacketLength (u16 LE at 2) claims 0xFFFF bytes follow; only the 8-byte data header does
      // [docs/protocols.md 3.2 body framing].
      const chunk = Buffer.from([0x24, 0x48, 0xff, 0xff, 0, 0, 0, 0, 0, 0x0c, 0xff, 0xff]);
      peer.send(Buffer.concat([Buffer.from(head, 'latin1'), chunk]));
    });
  },

  'mms-counts-lie'(peer) {
    peer.onFirstRequest(() => peer.send(countsLieMmsReply()));
  },

  'mms-ping-storm'(peer) {
    peer.onFirstRequest(() => {
      peer.send(reportConnectedEx());
      // Only a client that goes on (ConnectFunnel) gets the storm; its every Pong is a write we provoke.
      peer.socket.once('data', () => {
        let sequence = 1;
        pump(peer, () => {
          const pings: Buffer[] = [];
          for (let i = 0; i < 512; i++) pings.push(mmsPing(sequence++));
          return Buffer.concat(pings);
        });
      });
    });
  },

  'steering-text'(peer, server) {
    // Every request on the connection gets its answer (RTSP asks OPTIONS, then DESCRIBE); MMS and HTTP then close.
    peer.socket.on('data', (chunk: Buffer) => {
      const kind = sniffRequest(chunk);
      peer.send(steeringReply(kind, chunk, server.port));
      if (kind !== 'rtsp') peer.socket.end();
    });
  },

  'endless-chunked'(peer) {
    peer.onFirstRequest((kind, request) => {
      const head = [
        `${statusLinePrefix(kind)} 200 OK`,
        ...(kind === 'rtsp' ? [`CSeq: ${requestCseq(request)}`] : []),
        'Server: Cougar/9.01.01.3814',
        'Content-Type: application/x-mms-framed',
        'Transfer-Encoding: chunked',
        '',
        '',
      ].join('\r\n');
      peer.send(Buffer.from(head, 'latin1'));
      // Tiny chunks arriving in network-sized pieces, one piece per turn of the event loop (as segments off a
      // real network do): a reader that re-decodes the whole body on every arrival goes quadratic.
      const piece = Buffer.from('1\r\nx\r\n'.repeat(Math.floor(1024 / 6)), 'latin1');
      let sent = 0;
      pump(
        peer,
        () => {
          if (sent >= ENDLESS_HEADERS_CAP) return null;
          sent += piece.length;
          return piece;
        },
        undefined,
        'one-per-turn',
      );
    });
  },
};

/**
 * Text that would steer whatever shows it, for 'steering-text': an ESC sequence that clears the screen and one
 * that retitles the terminal, NUL, a lone CR, and a right-to-left override that makes "gnp.exe" read "exe.png".
 * `STEERING_TEXT_VISIBLE` is what must still be readable once the steering characters are out.
 */
export const STEERING_TEXT = '\x1b[2J\x1b]0;pwned\x07 evil\x00 gnp.\u202eexe';
/** The same with a lone CR, which would overwrite a terminal line (in header values and the SDP only: a status
 * line with a CR in it is not a status line at all). */
const STEERING_LINE = `${STEERING_TEXT}\rCR`;
export const STEERING_TEXT_VISIBLE = 'pwned';
const LONG_TAIL = 'x'.repeat(3000);

/** One reply per request, in the protocol asked, every text field carrying STEERING_TEXT. */
function steeringReply(kind: RequestKind, request: Buffer, port: number): Buffer {
  const utf8 = (lines: string[], body = ''): Buffer =>
    Buffer.concat([Buffer.from(lines.join('\r\n'), 'utf8'), Buffer.from(body, 'utf8')]);
  switch (kind) {
    case 'mms':
      return reportConnectedExWith(`9.01${STEERING_TEXT}`, `NTLM${STEERING_TEXT}`);
    case 'rtsp': {
      const cseq = `CSeq: ${requestCseq(request)}`;
      const server = `Server: WMServer/9.6${STEERING_LINE} ${LONG_TAIL}`;
      if (/^DESCRIBE /.test(request.toString('latin1'))) {
        const sdp = [
          'v=0',
          'o=- 1 1 IN IP4 127.0.0.1',
          `s=Live${STEERING_LINE}`,
          `i=${STEERING_TEXT}`,
          't=0 0',
          'm=audio 0 RTP/AVP 96',
          '',
        ].join('\r\n');
        return utf8(
          [
            `RTSP/1.0 200 OK${STEERING_TEXT}`,
            cseq,
            server,
            'Content-Type: application/sdp',
            `Content-Length: ${Buffer.byteLength(sdp, 'utf8')}`,
            '',
            '',
          ],
          sdp,
        );
      }
      return utf8([`RTSP/1.0 200 OK${STEERING_TEXT}`, cseq, server, 'Public: OPTIONS, DESCRIBE', '', '']);
    }
    case 'http': {
      const page = `<html><title>${STEERING_TEXT}</title><a href="mms://127.0.0.1/live${STEERING_TEXT}">${STEERING_TEXT}</a></html>`;
      return utf8(
        [
          `HTTP/1.1 302 Found${STEERING_TEXT}`,
          `Server: Cougar/9.01${STEERING_LINE} ${LONG_TAIL}`,
          `Location: http://127.0.0.1:${port}/next${STEERING_LINE}`,
          'Content-Type: text/html',
          `Content-Length: ${Buffer.byteLength(page, 'utf8')}`,
          'Connection: close',
          '',
          '',
        ],
        page,
      );
    }
  }
}

/**
 * Writes what `next()` yields as fast as the socket drains, until it yields null or the client goes. Backpressure
 * is respected so the server never buffers more than a chunk or two of its own flood. `one-per-turn` writes a
 * single piece per event-loop turn, so the client receives them as separate arrivals.
 */
function pump(
  peer: Peer,
  next: () => Buffer | null,
  finished?: () => void,
  pace: 'burst' | 'one-per-turn' = 'burst',
): void {
  const step = (): void => {
    while (peer.alive()) {
      const chunk = next();
      if (chunk === null) {
        finished?.();
        return;
      }
      if (!peer.send(chunk)) {
        peer.socket.once('drain', step);
        return;
      }
      if (pace === 'one-per-turn') {
        peer.nextTurn(step);
        return;
      }
    }
  };
  step();
}

/** Which protocol the client's first bytes speak: an MMS TcpMessageHeader, an RTSP request line, or else HTTP. */
export function sniffRequest(bytes: Buffer): RequestKind {
  if (bytes.length >= 8 && bytes.readUInt32LE(4) === MMS_SESSION_ID) return 'mms';
  const firstLine = bytes.subarray(0, 512).toString('latin1').split('\r\n', 1)[0] ?? '';
  return /\sRTSP\/\d/i.test(firstLine) ? 'rtsp' : 'http';
}

function statusLinePrefix(kind: RequestKind): string {
  return kind === 'rtsp' ? 'RTSP/1.0' : 'HTTP/1.1';
}

/** The request's CSeq, so RTSP replies look like answers to it; "1" when there is none. */
function requestCseq(request: Buffer): string {
  const match = /^CSeq:[ \t]*(\d{1,9})/im.exec(request.subarray(0, 4096).toString('latin1'));
  return match?.[1] ?? '1';
}

/** The request-target of the first line ("/path" or "rtsp://host/path"); "/" when unreadable. */
function requestTarget(request: Buffer): string {
  const firstLine = request.subarray(0, 4096).toString('latin1').split('\r\n', 1)[0] ?? '';
  const target = firstLine.split(' ')[1] ?? '/';
  return /^[\x21-\x7e]+$/.test(target) ? target : '/';
}

function absoluteUrl(scheme: 'http' | 'rtsp', port: number, target: string): string {
  if (/^[a-z]+:\/\//i.test(target)) return target;
  return `${scheme}://127.0.0.1:${port}${target.startsWith('/') ? target : `/${target}`}`;
}

/** A reply a real server of that protocol could send, so dribbling or cutting it tests the probe's patience. */
export function plausibleReply(kind: RequestKind, request: Buffer): Buffer {
  switch (kind) {
    case 'mms':
      return reportConnectedEx();
    case 'rtsp':
      return Buffer.from(
        [
          'RTSP/1.0 200 OK',
          `CSeq: ${requestCseq(request)}`,
          'Server: WMServer/9.6.7600.16385',
          'Public: DESCRIBE, SETUP, TEARDOWN, PLAY, PAUSE, OPTIONS, ANNOUNCE, RECORD, GET_PARAMETER',
          'Supported: com.microsoft.wm.srvppair, com.microsoft.wm.sswitch, com.microsoft.wm.eosmsg',
          '',
          '',
        ].join('\r\n'),
        'latin1',
      );
    case 'http':
      return Buffer.from(
        [
          'HTTP/1.0 200 OK',
          'Server: Cougar/9.01.01.3814',
          'Content-Type: application/vnd.ms.wms-hdr.asfv1',
          'Pragma: no-cache,client-id=3320437311,features="seekable,stridable"',
          'Cache-Control: no-cache',
          'Content-Length: 0',
          '',
          '',
        ].join('\r\n'),
        'latin1',
      );
  }
}

/** A 32-byte TcpMessageHeader [docs/protocols.md 1.1] with an arbitrary (possibly lying) messageLength. */
function tcpMessageHeader(messageLength: number, chunkCount: number): Buffer {
  const head = Buffer.alloc(32);
  head[0] = 0x01; // rep
  head.writeUInt32LE(MMS_SESSION_ID, 4);
  head.writeUInt32LE(messageLength >>> 0, 8);
  head.writeUInt32LE(MMS_SEAL, 12);
  head.writeUInt32LE(chunkCount >>> 0, 16);
  return head;
}

/** The fixed part of LinkMacToViewerReportConnectedEX, packet offsets 32..95 [docs/protocols.md 1.4]. */
function reportConnectedExFixed(counts: [number, number, number, number]): Buffer {
  const body = Buffer.alloc(64);
  body.writeUInt32LE(13, 0); // chunkLen of the honest 104-byte message
  body.writeUInt32LE(0x00040001, 4); // MID ReportConnectedEX
  body.writeUInt32LE(0, 8); // hr
  body.writeUInt32LE(0xf0f0f0ef, 12); // playIncarnation: no packet-pair
  body.writeUInt32LE(0x0004000b, 16);
  body.writeUInt32LE(0x0003001c, 20);
  body.writeDoubleLE(1.0, 24); // blockGroupPlayTime
  body.writeUInt32LE(1, 32);
  body.writeUInt32LE(1, 36);
  body.writeUInt32LE(0x8000, 40);
  body.writeUInt32LE(0x00989680, 44);
  counts.forEach((count, index) => body.writeUInt32LE(count >>> 0, 48 + index * 4));
  return body;
}

/** The honest 136-byte reply of sec. 1.4: version "9.01.01.3814", AuthenPackage "NTLM". */
function reportConnectedEx(): Buffer {
  const strings = Buffer.from('9.01.01.3814\0NTLM\0', 'utf16le');
  const message = Buffer.concat([reportConnectedExFixed([13, 0, 0, 5]), strings]);
  const padded = Buffer.concat([message, Buffer.alloc((8 - (message.length % 8)) % 8)]);
  return Buffer.concat([tcpMessageHeader(padded.length + 16, (padded.length + 16) / 8), padded]);
}

/**
 * ReportConnectedEX that lies twice: messageLength 0xFFFFFFF0 (a reader that trusts it waits for 4 GiB or
 * allocates it) and string counts in the billions while the frame holds 26 bytes of strings.
 */
export function lyingMmsReply(): Buffer {
  const strings = Buffer.from('9.01.01.3814\0', 'utf16le');
  const fixed = reportConnectedExFixed([0x7fffffff, 0xffffffff, 0x40000000, 0xfffffff0]);
  return Buffer.concat([tcpMessageHeader(0xfffffff0, 0x1ffffffe), fixed, strings]);
}

/** An honest ReportConnectedEX (sec. 1.4) announcing the given server version and AuthenPackage. */
function reportConnectedExWith(version: string, authPackage: string): Buffer {
  const strings = Buffer.from(`${version}\0${authPackage}\0`, 'utf16le');
  const message = Buffer.concat([
    reportConnectedExFixed([version.length + 1, 0, 0, authPackage.length + 1]),
    strings,
  ]);
  const padded = Buffer.concat([message, Buffer.alloc((8 - (message.length % 8)) % 8)]);
  return Buffer.concat([tcpMessageHeader(padded.length + 16, (padded.length + 16) / 8), padded]);
}

/** A ReportConnectedEX framed honestly (messageLength matches) but with string counts in the billions. */
export function countsLieMmsReply(): Buffer {
  const strings = Buffer.from('9.01.01.3814\0NTLM\0', 'utf16le');
  const message = Buffer.concat([
    reportConnectedExFixed([0x7fffffff, 0xffffffff, 0x40000000, 0xfffffff0]),
    strings,
  ]);
  const padded = Buffer.concat([message, Buffer.alloc((8 - (message.length % 8)) % 8)]);
  return Buffer.concat([tcpMessageHeader(padded.length + 16, (padded.length + 16) / 8), padded]);
}

/** Ping 0x0004001B with its two ignored u32 parameters: 16-byte message, 48 bytes framed [docs/protocols.md 1.5]. */
function mmsPing(sequence: number): Buffer {
  const message = Buffer.alloc(16);
  message.writeUInt32LE(2, 0); // chunkLen
  message.writeUInt32LE(0x0004001b, 4);
  const head = tcpMessageHeader(message.length + 16, (message.length + 16) / 8);
  head.writeUInt16LE(sequence & 0xffff, 20);
  return Buffer.concat([head, message]);
}

/** TLS record: Alert (0x15), TLS 1.2 (03 03), length 2, fatal (2), decode_error (50). */
const TLS_FATAL_ALERT = Buffer.from([0x15, 0x03, 0x03, 0x00, 0x02, 0x02, 0x32]);

/** What IIS/HTTP.sys answers to a request it cannot parse as HTTP [docs/protocols.md 5, NMAP L1519]. */
function iisInvalidVerb(): Buffer {
  const body = '<h1>Bad Request (Invalid Verb)</h1>';
  return Buffer.from(
    [
      'HTTP/1.1 400 Bad Request',
      'Content-Type: text/html; charset=us-ascii',
      'Server: Microsoft-IIS/10.0',
      'Date: Mon, 01 Jan 2024 00:00:00 GMT',
      'Connection: close',
      `Content-Length: ${body.length}`,
      '',
      body,
    ].join('\r\n'),
    'latin1',
  );
}

/** The garbage case's bytes: the same on every run, so a failure can be replayed. */
export function garbageBytes(): Buffer {
  return seededBytes(GARBAGE_SIZE, 0x0badf00d);
}

/** Deterministic pseudo-random bytes (xorshift32); enough to look like noise, never the same as a real reply. */
export function seededBytes(length: number, seed: number): Buffer {
  const bytes = Buffer.alloc(length);
  let state = seed >>> 0 || 1;
  for (let i = 0; i < length; i++) {
    state ^= state << 13;
    state >>>= 0;
    state ^= state >>> 17;
    state ^= state << 5;
    state >>>= 0;
    bytes[i] = state & 0xff;
  }
  return bytes;
}

// Does the server speak MMS over TCP (port 1755), and does it have the stream? The conversation a player has:
// LinkViewerToMacConnect → ReportConnectedEX (version) → ConnectFunnel → ReportConnectedFunnel → OpenFile →
// ReportOpenFile / SecurityChallenge / ReportRedirect [docs/protocols.md 1.3–1.5]. Data packets are skipped, a server
// Ping gets its Pong, and every wait is bounded by the connection's deadline and byte cap.
import { randomUUID } from 'node:crypto';
import type { Connection } from './connection';
import { classifyReply, describeReplyKind, hexDump } from './evidence';
import {
  MID,
  NO_PACKET_PAIR,
  buildConnectFunnel,
  buildLinkViewerToMacConnect,
  buildOpenFile,
  buildPong,
  describeHr,
  describeMid,
  isNotFoundHr,
  openFileName,
  parseReportConnectedEx,
  parseReportConnectedFunnel,
  parseReportDisconnectedFunnel,
  parseReportOpenFile,
  parseReportRedirect,
  parseSecurityChallenge,
  readCommandFrame,
  subscriberNameFor,
  MMS_SESSION_ID,
} from './mms-messages';
import { hostHeader, runProbe, type ConversationContext, type ConversationOutcome } from './probe-base';
import type { MmsFacts, ProbeOptions, ProbeResult, ProbeTarget, ReadEnding } from './types';

export const MMS_PORT = 1755;
/** Everything an MMS server says before the stream starts fits in a few hundred bytes; the rest is a flood. */
export const MMS_MAX_BYTES = 64 * 1024;
const EVIDENCE_BYTES = 256;
/** A text reply is judged by its first line; a "line" longer than this is judged without its end. */
const TEXT_REPLY_BYTES = 4096;

export function probeMms(target: ProbeTarget, options: ProbeOptions): Promise<ProbeResult> {
  return runProbe('mms', target, { ...options, maxBytes: MMS_MAX_BYTES }, (context) => converse(context));
}

/** When the first reply holds enough to judge it. */
export function firstReplyComplete(buffer: Buffer): boolean {
  if (buffer.length >= 8 && buffer.readUInt32LE(4) === MMS_SESSION_ID) {
    return readCommandFrame(buffer).kind !== 'incomplete';
  }
  // HTTP, RTSP or another text protocol: its first line says what answered (the rest usually comes with it).
  const kind = classifyReply(buffer);
  if (kind === 'http' || kind === 'rtsp' || kind === 'text') {
    return buffer.includes(0x0a) || buffer.length >= TEXT_REPLY_BYTES;
  }
  // Binary that is not MMS has no point at which it is complete (and without the session id the receive rule
  // would call it Data packets, docs/protocols.md 1.1): read until the peer stops, the byte cap or the deadline.
  return false;
}

type Step =
  | { kind: 'command'; mid: number; frame: Buffer }
  | { kind: 'stopped'; ending: ReadEnding }
  | { kind: 'invalid'; reason: string };

const EVIDENCE_MESSAGES = 4;

/** One MMS conversation: what we sent, the first bytes we got, and reading frame by frame. */
class MmsSession {
  private sequence = 0;
  // The evidence keeps the first few messages (hello, funnel, OpenFile); a Ping storm answered Pong by Pong
  // must not grow it.
  private readonly sent: Buffer[] = [];
  private sentBeyondEvidence = 0;
  private consumed = Buffer.alloc(0);

  constructor(private readonly connection: Connection) {}

  send(message: (sequence: number) => Buffer): void {
    const bytes = message(this.sequence++);
    if (this.sent.length < EVIDENCE_MESSAGES) this.sent.push(bytes);
    else this.sentBeyondEvidence++;
    this.connection.write(bytes);
  }

  /** Drops a parsed frame, keeping the start of the stream for the evidence. */
  consume(length: number): void {
    if (this.consumed.length < EVIDENCE_BYTES) {
      const taken = this.connection.pending.subarray(
        0,
        Math.min(length, EVIDENCE_BYTES - this.consumed.length),
      );
      this.consumed = Buffer.concat([this.consumed, taken]);
    }
    this.connection.consume(length);
  }

  /** The first bytes the peer sent: what was consumed, then what still waits. */
  received(): Buffer {
    return Buffer.concat([this.consumed, this.connection.pending]).subarray(0, EVIDENCE_BYTES);
  }

  evidence(): { sent: string; received: string } {
    return {
      sent: [
        ...this.sent.map((bytes) => hexDump(bytes)),
        ...(this.sentBeyondEvidence > 0
          ? [`… and ${this.sentBeyondEvidence} more messages (Pong replies)`]
          : []),
      ].join('\n\n'),
      received: hexDump(this.received(), EVIDENCE_BYTES),
    };
  }

  /** The next command frame; Data packets are skipped and a Ping is answered on the way. */
  async nextCommand(): Promise<Step> {
    for (;;) {
      const read = await this.connection.readUntil(
        (buffer) => readCommandFrame(buffer).kind !== 'incomplete',
      );
      const frame = readCommandFrame(read.bytes);
      if (frame.kind === 'incomplete') return { kind: 'stopped', ending: read.ending };
      if (frame.kind === 'invalid') return frame;
      this.consume(frame.length);
      if (frame.kind === 'data') continue;
      if (frame.mid === MID.ping) {
        // Clients must answer, or the server drops them [MMSP 3.2.6.1].
        this.send((sequence) => buildPong({ sequence }));
        continue;
      }
      return { kind: 'command', mid: frame.mid, frame: frame.frame };
    }
  }
}

async function converse({ connection, target }: ConversationContext): Promise<ConversationOutcome> {
  const session = new MmsSession(connection);
  const port = target.port;
  const facts: MmsFacts = {
    serverVersion: null,
    connectHr: null,
    authPackage: null,
    pathOutcome: 'not-checked',
    pathHr: null,
    redirectUrl: null,
    broadcast: null,
  };
  const helloSent = Date.now();
  session.send((sequence) =>
    buildLinkViewerToMacConnect({
      sequence,
      playIncarnation: NO_PACKET_PAIR,
      subscriberName: subscriberNameFor(hostHeader(target.host, port, MMS_PORT), randomUUID().toUpperCase()),
    }),
  );

  const first = await connection.readUntil(firstReplyComplete);
  const replyKind = classifyReply(first.bytes.subarray(0, EVIDENCE_BYTES));
  const outcome = (fields: {
    speaks: boolean;
    detail: string;
    ending: ReadEnding | null;
    server?: string | null;
  }) => ({
    speaks: fields.speaks,
    server: fields.server ?? null,
    status: null,
    detail: fields.detail,
    replyKind,
    ending: fields.ending,
    evidence: session.evidence(),
    mms: facts,
  });

  if (replyKind !== 'mms') {
    return outcome({
      speaks: false,
      ending: first.ending,
      detail: notMmsDetail(replyKind, first.ending, port, Date.now() - helloSent),
    });
  }
  const greeting = await session.nextCommand();
  if (greeting.kind !== 'command') {
    return outcome({ speaks: false, ending: stepEnding(greeting), detail: brokenMmsDetail(greeting, port) });
  }
  const connected = parseReportConnectedEx(greeting.frame);
  if (!connected) {
    return outcome({
      speaks: false,
      ending: 'complete',
      detail: `port ${port} answered with MMS framing, but its first message was ${describeMid(greeting.mid)}, not the ReportConnectedEX a Windows Media server sends.`,
    });
  }
  facts.serverVersion = connected.serverVersion;
  facts.connectHr = connected.hr;
  facts.authPackage = connected.authPackage;
  const server = connected.serverVersion ? `Windows Media Services ${connected.serverVersion}` : null;
  const speaker = `The server speaks MMS (${server ?? 'no version given'})`;
  const done = (detail: string, ending: ReadEnding | null = 'complete') =>
    outcome({ speaks: true, server, ending, detail });

  if (connected.hr !== 0) return done(`${speaker} but refused the connection: ${describeHr(connected.hr)}.`);
  if (target.path === '/' || target.path === '') {
    return done(`${speaker}; the address names no stream, so no path was checked.`);
  }
  const checked = await checkPath(session, connection, target.path, facts);
  return done(`${speaker}${checked.words}`, checked.ending);
}

/** How the path check ended, as the rest of the sentence after "The server speaks MMS (…)". */
interface PathCheck {
  words: string;
  ending: ReadEnding;
}

/** ConnectFunnel, then OpenFile for the path; fills the path facts [docs/protocols.md 1.5]. */
async function checkPath(
  session: MmsSession,
  connection: Connection,
  path: string,
  facts: MmsFacts,
): Promise<PathCheck> {
  const stopped = (step: Exclude<Step, { kind: 'command' }>, waitingFor: string): PathCheck => ({
    words: ` but then ${stepWords(step)} instead of ${waitingFor}.`,
    ending: stepEnding(step),
  });
  const complete = (words: string): PathCheck => ({ words, ending: 'complete' });

  session.send((sequence) => buildConnectFunnel({ sequence, funnelName: funnelNameFor(connection) }));
  for (;;) {
    const step = await session.nextCommand();
    if (step.kind !== 'command') return stopped(step, "ConnectFunnel's answer");
    // FunnelInfo's answer (some servers volunteer it) is not the one we wait for [MMSP 3.2.5.4].
    if (step.mid === MID.reportFunnelInfo) continue;
    const refused = parseReportDisconnectedFunnel(step.frame);
    const funnel = parseReportConnectedFunnel(step.frame);
    const funnelHr = refused?.hr ?? funnel?.hr ?? null;
    if (funnelHr === null) return complete(` but answered ConnectFunnel with ${describeMid(step.mid)}.`);
    if (refused || funnelHr !== 0) {
      facts.pathOutcome = 'denied';
      facts.pathHr = funnelHr;
      return complete(` but refused a TCP data channel for the stream (${describeHr(funnelHr)}).`);
    }
    break;
  }

  session.send((sequence) => buildOpenFile({ sequence, path: openFileName(path) }));
  for (;;) {
    const step = await session.nextCommand();
    if (step.kind !== 'command') return stopped(step, `answering OpenFile for ${path}`);
    if (step.mid === MID.reportFunnelInfo) continue;
    const opened = parseReportOpenFile(step.frame);
    if (opened) {
      facts.pathHr = opened.hr;
      if (opened.hr === 0) {
        facts.pathOutcome = 'exists';
        facts.broadcast = opened.file?.broadcast ?? null;
        return complete(` and ${path} exists${facts.broadcast ? ' (a broadcast publishing point)' : ''}.`);
      }
      facts.pathOutcome = isNotFoundHr(opened.hr) ? 'not-found' : 'denied';
      return complete(
        facts.pathOutcome === 'not-found'
          ? ` but ${path} does not exist: ${describeHr(opened.hr)}.`
          : ` but refused to open ${path}: ${describeHr(opened.hr)}.`,
      );
    }
    const challenge = parseSecurityChallenge(step.frame);
    if (challenge) {
      facts.pathOutcome = 'auth-required';
      const scheme =
        challenge.scheme === 'unknown'
          ? (facts.authPackage ?? 'unknown scheme')
          : challenge.scheme.toUpperCase();
      return complete(` and ${path} exists but asks for a user name and password (${scheme}).`);
    }
    const redirect = parseReportRedirect(step.frame);
    if (redirect) {
      facts.pathOutcome = 'redirected';
      facts.redirectUrl = redirect.location;
      facts.pathHr = redirect.hr;
      return complete(` and redirects ${path} to ${redirect.location ?? 'an empty location'}.`);
    }
    return complete(` but answered OpenFile for ${path} with ${describeMid(step.mid)}.`);
  }
}

/** `\\<local address>\TCP\<local port>`: what players send; servers ignore the address [MMSP 3.2.5.5]. */
function funnelNameFor(connection: Connection): string {
  const local = connection.localEndpoint;
  const address = (local?.address ?? '0.0.0.0').replace(/^::ffff:(?=\d+\.)/, '');
  return `\\\\${address}\\TCP\\${local?.port ?? MMS_PORT}`;
}

function stepEnding(step: Exclude<Step, { kind: 'command' }>): ReadEnding {
  return step.kind === 'stopped' ? step.ending : 'complete';
}

function stepWords(step: Exclude<Step, { kind: 'command' }>): string {
  if (step.kind === 'invalid') return `sent bytes that break MMS framing (${step.reason})`;
  return endingWords(step.ending);
}

function endingWords(ending: ReadEnding): string {
  switch (ending) {
    case 'closed':
      return 'closed the connection';
    case 'reset':
      return 'reset the connection';
    case 'timeout':
      return 'went quiet until the time ran out';
    case 'byte-limit':
      return `sent more than ${MMS_MAX_BYTES / 1024} KiB`;
    case 'cancelled':
      return 'the check was cancelled';
    case 'complete':
      return 'stopped';
  }
}

/** The port answered something other than MMS (or nothing): say what, in plain words. */
function notMmsDetail(
  kind: ReturnType<typeof classifyReply>,
  ending: ReadEnding,
  port: number,
  waitedMs: number,
): string {
  if (ending === 'cancelled' && kind === 'nothing')
    return `The MMS check of port ${port} was cancelled before any answer.`;
  if (kind !== 'nothing') return `port ${port} is open but answered ${describeReplyKind(kind)}, not MMS.`;
  switch (ending) {
    case 'timeout':
      return `port ${port} accepted the connection but said nothing to the MMS hello within ${Math.round(waitedMs)} ms (open, silent).`;
    case 'reset':
      return `port ${port} accepted the connection but reset it without answering the MMS hello.`;
    default:
      return `port ${port} accepted the connection but closed it without answering the MMS hello.`;
  }
}

/** The reply started like MMS but did not become a usable message. */
function brokenMmsDetail(step: Exclude<Step, { kind: 'command' }>, port: number): string {
  if (step.kind === 'invalid')
    return `port ${port} answered with MMS framing that does not hold together: ${step.reason}.`;
  if (step.ending === 'cancelled')
    return `The MMS check of port ${port} was cancelled in the middle of the server's answer.`;
  return `port ${port} started an MMS answer, then ${endingWords(step.ending)} before it was complete.`;
}

// The part every protocol probe shares: connect within the bound, turn a failed connect into a result,
// hand a live connection to the protocol's conversation, and always close it.
import { mapStrings, serverBlock, serverLine } from '../common/server-text';
import { connect, type Connection } from './connection';
import type { ProbeOptions, ProbeProtocol, ProbeResult, ProbeTarget } from './types';

/** What a protocol conversation decides; the base fills in port, address, reachability and timing. */
export type ConversationOutcome = Omit<
  ProbeResult,
  'protocol' | 'port' | 'address' | 'reachability' | 'reachabilityReason' | 'durationMs'
>;

export interface ConversationContext {
  connection: Connection;
  target: ProbeTarget;
  /** The address that accepted the connection. */
  address: string;
}

export async function runProbe(
  protocol: ProbeProtocol,
  target: ProbeTarget,
  options: ProbeOptions & { maxBytes: number },
  converse: (context: ConversationContext) => Promise<ConversationOutcome>,
): Promise<ProbeResult> {
  const started = Date.now();
  const deadline = started + options.timeoutMs;
  const attempt = await connect({
    addresses: target.addresses,
    port: target.port,
    deadline,
    maxBytes: options.maxBytes,
    ...(options.signal ? { signal: options.signal } : {}),
    ...(target.tls ? { tls: { servername: target.host } } : {}),
  });
  if (!attempt.ok) {
    return {
      protocol,
      port: target.port,
      address: attempt.address,
      reachability: attempt.reachability,
      reachabilityReason: attempt.reason,
      speaks: false,
      server: null,
      status: null,
      detail: attempt.reason,
      durationMs: Date.now() - started,
      replyKind: 'nothing',
      ending: null,
      evidence: { sent: '', received: '' },
    };
  }
  const { connection, address } = attempt;
  try {
    // The TCP port is open but TLS failed (certificate, protocol): there is no conversation to have.
    const outcome: ConversationOutcome =
      connection.tlsError !== null
        ? {
            speaks: false,
            server: null,
            status: null,
            detail: `port ${target.port} accepted the connection, but the TLS handshake failed: ${connection.tlsError}`,
            replyKind: 'nothing',
            ending: connection.tlsEnding ?? 'closed',
            evidence: { sent: '', received: '' },
          }
        : await converse({ connection, target, address });
    return {
      protocol,
      port: target.port,
      address,
      reachability: 'open',
      reachabilityReason: `port ${target.port} accepted the connection in ${attempt.connectMs} ms`,
      durationMs: Date.now() - started,
      ...asData(outcome),
    };
  } finally {
    connection.close();
  }
}

/**
 * What a conversation recorded, with every string the server could have put in it made data: one line each,
 * control and bidi characters out, bounded (common/server-text.ts) — the excerpts keep their lines. Done here,
 * once for every probe, so no report, terminal or window ever gets a server's raw text.
 */
function asData(outcome: ConversationOutcome): ConversationOutcome {
  const { evidence, ...facts } = outcome;
  return {
    ...mapStrings(facts, (text) => serverLine(text)),
    evidence: { sent: serverBlock(evidence.sent), received: serverBlock(evidence.received) },
  };
}

/** Host as it goes into a Host header or URL: IPv6 literals need brackets; default ports are left out. */
export function hostForUrl(host: string): string {
  return host.includes(':') && !host.startsWith('[') ? `[${host}]` : host;
}

export function hostHeader(host: string, port: number, defaultPort: number): string {
  return port === defaultPort ? hostForUrl(host) : `${hostForUrl(host)}:${port}`;
}

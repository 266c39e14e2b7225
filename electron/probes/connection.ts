// One bounded TCP (or TLS) conversation. Every wait is capped by the probe's deadline, every byte counted
// against a limit, and an AbortSignal tears it all down. Nothing here throws for network behaviour.
import net from 'node:net';
import tls from 'node:tls';
import type { ReadEnding, Reachability } from './types';

export interface ConnectRequest {
  addresses: string[];
  port: number;
  /** Absolute time (Date.now()) by which everything must be over. */
  deadline: number;
  signal?: AbortSignal;
  /** Wrap in TLS; servername for SNI. */
  tls?: { servername: string };
  /** Most bytes this conversation may receive; the rest is refused by closing the socket. */
  maxBytes: number;
}

export interface ConnectFailure {
  ok: false;
  reachability: Exclude<Reachability, 'open' | 'skipped'> | 'skipped';
  reason: string;
  address: string | null;
  errorCode: string | null;
}

export interface ConnectSuccess {
  ok: true;
  connection: Connection;
  address: string;
  connectMs: number;
}

export interface ReadResult {
  bytes: Buffer;
  ending: ReadEnding;
}

/** Reasons in words, for the errno values a connect can end with. */
export function describeConnectError(
  code: string | null,
  port: number,
): { reachability: ConnectFailure['reachability']; reason: string } {
  switch (code) {
    case 'ECONNREFUSED':
      return {
        reachability: 'refused',
        reason: `connection refused: the host answered, but nothing listens on port ${port}`,
      };
    case 'EHOSTUNREACH':
      return {
        reachability: 'unreachable',
        reason: 'host unreachable: a router or firewall said the host cannot be reached',
      };
    case 'ENETUNREACH':
      return {
        reachability: 'unreachable',
        reason: 'network unreachable: this computer has no route to that address',
      };
    case 'EADDRNOTAVAIL':
      return { reachability: 'unreachable', reason: 'the address cannot be used from this computer' };
    case 'ECONNRESET':
      return { reachability: 'refused', reason: `the connection to port ${port} was reset while opening` };
    case 'ETIMEDOUT':
      return {
        reachability: 'timeout',
        reason: `no answer from port ${port}: the operating system gave up waiting`,
      };
    case 'EACCES':
    case 'EPERM':
      return {
        reachability: 'unreachable',
        reason: 'this computer refused to open the connection (a local firewall or policy)',
      };
    default:
      return { reachability: 'unreachable', reason: `the connection failed (${code ?? 'unknown error'})` };
  }
}

/**
 * Opens a connection to the first address that accepts. A refusal moves on to the next address (a name can
 * resolve to an IPv6 and an IPv4 address, and a server may listen on one only); running out of time stops.
 */
export async function connect(request: ConnectRequest): Promise<ConnectSuccess | ConnectFailure> {
  let last: ConnectFailure = {
    ok: false,
    reachability: 'skipped',
    reason: 'no address to connect to',
    address: null,
    errorCode: null,
  };
  for (const address of request.addresses) {
    const started = Date.now();
    const outcome = await connectOne(address, request);
    if (outcome.ok) return { ...outcome, connectMs: Date.now() - started };
    last = outcome;
    if (outcome.reachability === 'timeout' || outcome.reachability === 'skipped') break;
  }
  return last;
}

function connectOne(
  address: string,
  request: ConnectRequest,
): Promise<Omit<ConnectSuccess, 'connectMs'> | ConnectFailure> {
  return new Promise((resolve) => {
    const remaining = request.deadline - Date.now();
    if (request.signal?.aborted || remaining <= 0) {
      resolve({
        ok: false,
        reachability: request.signal?.aborted ? 'skipped' : 'timeout',
        reason: request.signal?.aborted ? 'cancelled' : `no answer from port ${request.port} in time`,
        address,
        errorCode: null,
      });
      return;
    }
    // TLS goes over a TCP socket we open ourselves, so an accepted connection whose handshake then fails, stalls
    // or is reset is told apart from a port that never accepted.
    const tcp = net.connect({ host: address, port: request.port });
    let socket: net.Socket = tcp;
    let tcpConnected = false;
    let settled = false;
    const finish = (value: Omit<ConnectSuccess, 'connectMs'> | ConnectFailure): void => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      request.signal?.removeEventListener('abort', onAbort);
      tcp.removeListener('error', onError);
      socket.removeListener('error', onError);
      if (!value.ok) socket.destroy();
      resolve(value);
    };
    const handshakeFailed = (reason: string, ending: ReadEnding): void =>
      finish({ ok: true, connection: new Connection(socket, request, { reason, ending }), address });
    const timer = setTimeout(() => {
      if (request.tls && tcpConnected) {
        handshakeFailed(`no reply to the TLS handshake within ${Math.round(remaining)} ms`, 'timeout');
        return;
      }
      finish({
        ok: false,
        reachability: 'timeout',
        reason: `no answer from port ${request.port} within ${Math.round(remaining)} ms: the packets are dropped on the way (a firewall) or the host is down`,
        address,
        errorCode: null,
      });
    }, remaining);
    const onAbort = (): void =>
      finish({ ok: false, reachability: 'skipped', reason: 'cancelled', address, errorCode: null });
    const onError = (error: NodeJS.ErrnoException): void => {
      // A TLS handshake failure means the TCP port is open: report it as open with a failed conversation.
      if (request.tls && tcpConnected) {
        const reset = error.code === 'ECONNRESET' || error.code === 'EPIPE';
        handshakeFailed(`TLS handshake failed: ${error.message}`, reset ? 'reset' : 'closed');
        return;
      }
      const code = error.code ?? null;
      // A refusal is ECONNREFUSED; a reset means the port accepted and then cut the connection at once (seen
      // before the connect event on a fast link). That is an open port with a conversation that ended in a reset.
      if (code === 'ECONNRESET' && !request.tls) {
        finish({ ok: true, connection: new Connection(tcp, request, null, 'reset'), address });
        return;
      }
      if (code === 'ECONNRESET' && request.tls) {
        handshakeFailed(`TLS handshake failed: ${error.message}`, 'reset');
        return;
      }
      const described = describeConnectError(code, request.port);
      finish({ ok: false, ...described, address, errorCode: code });
    };
    request.signal?.addEventListener('abort', onAbort, { once: true });
    tcp.on('error', onError);
    tcp.once('connect', () => {
      tcpConnected = true;
      if (!request.tls) {
        finish({ ok: true, connection: new Connection(tcp, request, null), address });
        return;
      }
      const secure = tls.connect({
        socket: tcp,
        // SNI carries names only (RFC 6066); an IP literal goes without it.
        ...(net.isIP(request.tls.servername) === 0 ? { servername: request.tls.servername } : {}),
        ALPNProtocols: ['http/1.1'],
      });
      socket = secure;
      secure.on('error', onError);
      secure.once('secureConnect', () =>
        finish({ ok: true, connection: new Connection(secure, request, null), address }),
      );
    });
  });
}

/**
 * A connected socket whose incoming bytes collect in one buffer. `readUntil` waits until a predicate says the
 * buffer holds what is needed, or the peer closes, or the deadline / byte limit / abort comes first.
 */
export class Connection {
  private buffer: Buffer = Buffer.alloc(0);
  private received = 0;
  private ended: ReadEnding | null = null;
  private wake: (() => void) | null = null;
  /** Why the TLS handshake failed on an accepted connection, or null. */
  readonly tlsError: string | null;
  /** How it failed: no reply (timeout), a reset, or a refusal (closed). */
  readonly tlsEnding: ReadEnding | null;

  constructor(
    private readonly socket: net.Socket,
    private readonly limits: { deadline: number; maxBytes: number; signal?: AbortSignal },
    tlsFailure: { reason: string; ending: ReadEnding } | null,
    /** The connection already ended while it was opened (a reset right after accept). */
    endedAtOpen: ReadEnding | null = null,
  ) {
    this.tlsError = tlsFailure?.reason ?? null;
    this.tlsEnding = tlsFailure?.ending ?? null;
    this.ended = tlsFailure?.ending ?? endedAtOpen;
    socket.setNoDelay(true);
    socket.on('data', (chunk: Buffer) => {
      const room = this.limits.maxBytes - this.received;
      if (chunk.length >= room) {
        this.append(chunk.subarray(0, Math.max(room, 0)));
        this.end('byte-limit');
        return;
      }
      this.append(chunk);
    });
    socket.on('end', () => this.end('closed'));
    socket.on('close', () => this.end('closed'));
    socket.on('error', (error: NodeJS.ErrnoException) =>
      this.end(error.code === 'ECONNRESET' || error.code === 'EPIPE' ? 'reset' : 'closed'),
    );
    this.limits.signal?.addEventListener('abort', this.onAbort, { once: true });
  }

  private readonly onAbort = (): void => this.end('cancelled');

  private append(chunk: Buffer): void {
    this.received += chunk.length;
    this.buffer = this.buffer.length === 0 ? Buffer.from(chunk) : Buffer.concat([this.buffer, chunk]);
    this.wake?.();
  }

  private end(reason: ReadEnding): void {
    if (this.ended === null) this.ended = reason;
    // Once we stop reading for good, drop the socket so a flooding peer cannot keep us busy.
    if (reason !== 'closed') this.socket.destroy();
    this.wake?.();
  }

  /** Bytes received and not yet consumed. */
  get pending(): Buffer {
    return this.buffer;
  }

  /** This end of the connection, for protocols that name it (MMS's funnel name); null once it is gone. */
  get localEndpoint(): { address: string; port: number } | null {
    const { localAddress, localPort } = this.socket;
    return localAddress && localPort ? { address: localAddress, port: localPort } : null;
  }

  /** Total bytes received on this connection. */
  get totalReceived(): number {
    return this.received;
  }

  /** Drops the first `count` bytes of the buffer (after a caller has parsed them). */
  consume(count: number): void {
    this.buffer = this.buffer.subarray(Math.min(count, this.buffer.length));
  }

  write(bytes: Buffer | string): void {
    if (this.ended !== null || this.socket.destroyed) return;
    this.socket.write(bytes, () => undefined);
  }

  /**
   * Waits until `isComplete(buffer)` is true. Returns the whole unconsumed buffer and why waiting stopped.
   * The wait never outlives the connection's deadline.
   */
  readUntil(isComplete: (buffer: Buffer) => boolean): Promise<ReadResult> {
    return new Promise((resolve) => {
      let timer: NodeJS.Timeout | null = null;
      const check = (): void => {
        if (isComplete(this.buffer)) return done('complete');
        if (this.ended !== null) return done(this.ended);
        if (Date.now() >= this.limits.deadline) return done('timeout');
      };
      const done = (ending: ReadEnding): void => {
        if (timer) clearTimeout(timer);
        this.wake = null;
        resolve({ bytes: this.buffer, ending });
      };
      this.wake = check;
      timer = setTimeout(check, Math.max(this.limits.deadline - Date.now(), 0) + 1);
      check();
    });
  }

  close(): void {
    this.limits.signal?.removeEventListener('abort', this.onAbort);
    this.socket.destroy();
  }
}

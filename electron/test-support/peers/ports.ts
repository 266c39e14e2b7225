// Loopback ports for the integration peers, and the server processes that listen on them. Everything here
// binds or connects to 127.0.0.1 only, and every wait has a deadline.
import { spawn, type ChildProcess } from 'node:child_process';
import net from 'node:net';

/** A real server started for a test. */
export interface Peer {
  port: number;
  url: string;
  close(): Promise<void>;
}

export const LOOPBACK = '127.0.0.1';

/** A port that was free a moment ago: the kernel picks it, we release it and hand the number on. */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.once('error', reject);
    server.listen(0, LOOPBACK, () => {
      const address = server.address();
      const port = typeof address === 'object' && address !== null ? address.port : 0;
      server.close(() => (port > 0 ? resolve(port) : reject(new Error('the kernel gave no port'))));
    });
  });
}

/**
 * A port nobody listens on, so a connect gets RST (ECONNREFUSED). Another process could bind it in between,
 * but the kernel hands out ephemeral ports round-robin, so a just-released one is not reused soon.
 */
export function closedPort(): Promise<number> {
  return freePort();
}

/** One connect attempt with a time cap: did something accept? */
export function accepts(port: number, timeoutMs: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = net.connect({ host: LOOPBACK, port });
    const finish = (ok: boolean): void => {
      clearTimeout(timer);
      socket.destroy();
      resolve(ok);
    };
    const timer = setTimeout(() => finish(false), timeoutMs);
    socket.once('connect', () => finish(true));
    socket.once('error', () => finish(false));
  });
}

/**
 * Sends `request` to a loopback port and collects the reply until `isEnough` says so, the peer closes, or
 * `timeoutMs` / `maxBytes` runs out. Never rejects: a failed connect yields an empty buffer.
 */
export function askLocal(
  port: number,
  request: string,
  isEnough: (reply: Buffer) => boolean,
  timeoutMs: number,
  maxBytes = 64 * 1024,
): Promise<Buffer> {
  return new Promise((resolve) => {
    let reply = Buffer.alloc(0);
    const socket = net.connect({ host: LOOPBACK, port });
    const finish = (): void => {
      clearTimeout(timer);
      socket.destroy();
      resolve(reply);
    };
    const timer = setTimeout(finish, timeoutMs);
    socket.once('connect', () => socket.write(request));
    socket.on('data', (chunk: Buffer) => {
      reply = Buffer.concat([reply, chunk]).subarray(0, maxBytes);
      if (reply.length >= maxBytes || isEnough(reply)) finish();
    });
    socket.once('end', finish);
    socket.once('error', finish);
  });
}

/**
 * A server program running in its own process group, with the tail of its stderr kept for error messages.
 * `stop()` signals the whole group (nginx has worker processes) and waits for the leader to exit.
 */
export class PeerProcess {
  private stderrTail = '';
  private exitInfo: string | null = null;
  private readonly exited: Promise<void>;
  private readonly child: ChildProcess;

  constructor(
    readonly name: string,
    command: string,
    args: string[],
    env: NodeJS.ProcessEnv = process.env,
  ) {
    this.child = spawn(command, args, { detached: true, stdio: ['ignore', 'ignore', 'pipe'], env });
    this.child.stderr?.on('data', (chunk: Buffer) => {
      this.stderrTail = (this.stderrTail + chunk.toString('utf8')).slice(-4000);
    });
    this.exited = new Promise((resolve) => {
      this.child.once('error', (error) => {
        this.exitInfo = `could not start: ${error.message}`;
        process.removeListener('exit', this.killOnExit);
        resolve();
      });
      this.child.once('exit', (code, signal) => {
        this.exitInfo = signal ? `killed by ${signal}` : `exited with code ${code ?? '?'}`;
        process.removeListener('exit', this.killOnExit);
        resolve();
      });
    });
    // A test run that dies without calling close() must not leave a server behind.
    process.once('exit', this.killOnExit);
  }

  private readonly killOnExit = (): void => this.signalGroup('SIGKILL');

  /** Why the process is gone, or null while it runs. */
  get exitReason(): string | null {
    return this.exitInfo;
  }

  get stderr(): string {
    return this.stderrTail.trim();
  }

  /** An Error that says what the program printed, for a peer that never became ready. */
  failure(what: string): Error {
    const state = this.exitInfo ?? 'still running';
    return new Error(`${this.name}: ${what} (${state}); stderr:\n${this.stderr || '(empty)'}`);
  }

  /**
   * Polls `isReady` every 100 ms until it is true, the program exits, or `timeoutMs` passes; then throws with
   * the program's stderr.
   */
  async waitUntil(isReady: () => Promise<boolean>, timeoutMs: number, what: string): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    while (Date.now() < deadline) {
      if (this.exitInfo !== null) throw this.failure(`exited before ${what}`);
      if (await isReady()) return;
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
    throw this.failure(`not ${what} within ${timeoutMs} ms`);
  }

  /** Polite signal first, SIGKILL after `graceMs`; resolves once the process has exited. */
  async stop(signal: NodeJS.Signals = 'SIGTERM', graceMs = 3000): Promise<void> {
    if (this.exitInfo !== null) return;
    this.signalGroup(signal);
    const killer = setTimeout(() => this.signalGroup('SIGKILL'), graceMs);
    await this.exited;
    clearTimeout(killer);
  }

  private signalGroup(signal: NodeJS.Signals): void {
    const pid = this.child.pid;
    if (pid === undefined) return;
    try {
      // A negative pid addresses the process group that `detached` made this child the leader of.
      process.kill(-pid, signal);
    } catch {
      // ESRCH: the group is already gone.
    }
  }
}

// The one place that starts Windows programs. execFile-style spawning with an argument array (never a
// shell), a hidden console window, a deadline, a byte cap per stream, cancellation, and the exit code kept.
// Output stays bytes: decoding is the caller's choice (see decode.ts), because the encoding depends on the
// machine and not on the program.
import { spawn } from 'node:child_process';
import path from 'node:path';

export interface CommandSpec {
  /** A program name from WINDOWS_PROGRAMS, or an absolute path (tests run `process.execPath`). */
  file: string;
  args: readonly string[];
}

export interface RunOptions {
  timeoutMs: number;
  /** Cap per stream; past it the process is killed and the output kept up to the cap. */
  maxBytes: number;
  signal?: AbortSignal;
}

export interface CommandResult {
  file: string;
  args: string[];
  /** null when the process did not exit by itself (killed, not started). */
  exitCode: number | null;
  stdout: Buffer;
  stderr: Buffer;
  timedOut: boolean;
  truncated: boolean;
  aborted: boolean;
  /** Why the program could not be started or was stopped (ENOENT, timeout…), null when it ran normally. */
  error: string | null;
  durationMs: number;
}

export interface CommandRunner {
  run(spec: CommandSpec, options?: Partial<RunOptions>): Promise<CommandResult>;
}

export const DEFAULT_RUN_OPTIONS: RunOptions = { timeoutMs: 15_000, maxBytes: 8 * 1024 * 1024 };

/** Programs the Windows layer runs, relative to %SystemRoot%. Full paths avoid anything planted on PATH. */
export const WINDOWS_PROGRAMS = {
  netsh: 'System32\\netsh.exe',
  sc: 'System32\\sc.exe',
  netstat: 'System32\\NETSTAT.EXE',
  tasklist: 'System32\\tasklist.exe',
  reg: 'System32\\reg.exe',
  wevtutil: 'System32\\wevtutil.exe',
  powershell: 'System32\\WindowsPowerShell\\v1.0\\powershell.exe',
} as const;

export type WindowsProgram = keyof typeof WINDOWS_PROGRAMS;

export function resolveProgram(file: string, systemRoot: string): string {
  const relative = (WINDOWS_PROGRAMS as Record<string, string>)[file];
  return relative === undefined ? file : path.win32.join(systemRoot, relative);
}

/** Runs real processes. `systemRoot` defaults to %SystemRoot% (C:\Windows when unset). */
export function createProcessRunner(
  defaults: Partial<RunOptions> = {},
  systemRoot: string = process.env.SystemRoot ?? 'C:\\Windows',
): CommandRunner {
  return {
    run(spec, options = {}) {
      const merged: RunOptions = { ...DEFAULT_RUN_OPTIONS, ...defaults, ...options };
      return runProcess(resolveProgram(spec.file, systemRoot), spec, merged);
    },
  };
}

function runProcess(executable: string, spec: CommandSpec, options: RunOptions): Promise<CommandResult> {
  const started = Date.now();
  const args = [...spec.args];
  return new Promise((resolve) => {
    const stdout: Buffer[] = [];
    const stderr: Buffer[] = [];
    const sizes = { stdout: 0, stderr: 0 };
    let timedOut = false;
    let truncated = false;
    let aborted = false;
    let error: string | null = null;
    let settled = false;

    if (options.signal?.aborted) {
      resolve(emptyResult(spec, 'aborted before start', started, { aborted: true }));
      return;
    }

    const child = spawn(executable, args, {
      shell: false,
      windowsHide: true,
      stdio: ['ignore', 'pipe', 'pipe'],
    });

    const stop = (reason: string): void => {
      error ??= reason;
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
    };
    const timer = setTimeout(() => {
      timedOut = true;
      stop(`timed out after ${options.timeoutMs} ms`);
    }, options.timeoutMs);
    const onAbort = (): void => {
      aborted = true;
      stop('cancelled');
    };
    options.signal?.addEventListener('abort', onAbort, { once: true });

    const collect = (stream: 'stdout' | 'stderr', target: Buffer[]) => (chunk: Buffer) => {
      const room = options.maxBytes - sizes[stream];
      if (room <= 0) return;
      const kept = chunk.length > room ? chunk.subarray(0, room) : chunk;
      target.push(kept);
      sizes[stream] += kept.length;
      if (chunk.length > room) {
        truncated = true;
        stop(`output passed ${options.maxBytes} bytes`);
      }
    };
    child.stdout.on('data', collect('stdout', stdout));
    child.stderr.on('data', collect('stderr', stderr));

    const finish = (exitCode: number | null): void => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      options.signal?.removeEventListener('abort', onAbort);
      resolve({
        file: spec.file,
        args,
        exitCode,
        stdout: Buffer.concat(stdout),
        stderr: Buffer.concat(stderr),
        timedOut,
        truncated,
        aborted,
        error,
        durationMs: Date.now() - started,
      });
    };
    child.on('error', (cause: NodeJS.ErrnoException) => {
      error ??= cause.code ?? cause.message;
      finish(null);
    });
    // 'close' waits for the pipes to drain, so no output is lost after 'exit'.
    child.on('close', (code) => finish(timedOut || truncated || aborted ? null : code));
  });
}

export function emptyResult(
  spec: CommandSpec,
  error: string,
  started: number,
  flags: Partial<Pick<CommandResult, 'aborted' | 'timedOut'>> = {},
): CommandResult {
  return {
    file: spec.file,
    args: [...spec.args],
    exitCode: null,
    stdout: Buffer.alloc(0),
    stderr: Buffer.alloc(0),
    timedOut: flags.timedOut ?? false,
    truncated: false,
    aborted: flags.aborted ?? false,
    error,
    durationMs: Date.now() - started,
  };
}

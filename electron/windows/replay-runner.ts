// A CommandRunner that serves recorded outputs instead of starting programs: for tests, and for the app's
// end-to-end runs on machines that are not Windows. Outputs are keyed by the exact argument array, so a test
// fails when the code would run anything other than what was recorded.
import { emptyResult, type CommandResult, type CommandRunner, type CommandSpec } from './runner';

export interface Recording {
  file: string;
  args: readonly string[];
  exitCode: number | null;
  stdout: Uint8Array | string;
  stderr?: Uint8Array | string;
  /** Where the output came from (a fixture file and its source line). */
  source?: string;
}

export interface ReplayRunner extends CommandRunner {
  /** Every command asked for, in order, recorded or not. */
  readonly calls: CommandSpec[];
  /** Commands asked for that had no recording. */
  readonly unknown: CommandSpec[];
}

/** Program names compare without directory, `.exe` or case: `C:\Windows\System32\NETSTAT.EXE` = `netstat`. */
export function commandKey(spec: CommandSpec): string {
  const base = spec.file.split(/[\\/]/).pop() ?? spec.file;
  return JSON.stringify([base.toLowerCase().replace(/\.exe$/, ''), ...spec.args]);
}

const toBuffer = (value: Uint8Array | string | undefined): Buffer =>
  value === undefined
    ? Buffer.alloc(0)
    : typeof value === 'string'
      ? Buffer.from(value, 'utf8')
      : Buffer.from(value);

/**
 * Recordings with the same key are served in order, one per call; the last one keeps being served, so a
 * state change (before / after a fix) is a sequence of recordings for the same command.
 */
export function createReplayRunner(recordings: readonly Recording[]): ReplayRunner {
  const queues = new Map<string, Recording[]>();
  for (const recording of recordings) {
    const key = commandKey(recording);
    const queue = queues.get(key) ?? [];
    queue.push(recording);
    queues.set(key, queue);
  }
  const calls: CommandSpec[] = [];
  const unknown: CommandSpec[] = [];
  return {
    calls,
    unknown,
    run(spec) {
      const started = Date.now();
      const copy: CommandSpec = { file: spec.file, args: [...spec.args] };
      calls.push(copy);
      const queue = queues.get(commandKey(spec));
      const recording = queue && (queue.length > 1 ? queue.shift() : queue[0]);
      if (!recording) {
        unknown.push(copy);
        return Promise.resolve(emptyResult(spec, 'no recorded output for this command', started));
      }
      const result: CommandResult = {
        file: spec.file,
        args: [...spec.args],
        exitCode: recording.exitCode,
        stdout: toBuffer(recording.stdout),
        stderr: toBuffer(recording.stderr),
        timedOut: false,
        truncated: false,
        aborted: false,
        error: null,
        durationMs: 0,
      };
      return Promise.resolve(result);
    },
  };
}

/** A fixture file's content without its first line (the `# source: …` header), byte for byte. */
export function withoutSourceLine(fileBytes: Uint8Array): Buffer {
  const bytes = Buffer.from(fileBytes);
  const newline = bytes.indexOf(0x0a);
  if (bytes[0] !== 0x23 || newline < 0) return bytes;
  return bytes.subarray(newline + 1);
}

#!/usr/bin/env node
// The headless CLI: `stream-doctor diagnose <url> [options]`, plus the Windows layer's `inspect` and `local`.
// `diagnose` is the app's full run (electron/engine/full-run.ts): the network, this computer's checks, and the
// fixes they found, which the CLI lists but never applies. Exit codes: see EXIT_MEANING.
import { parseArgs } from 'node:util';
import { PLAYABLE_VERDICTS, type Check, type DiagnosisReport, type Tier } from '../diagnosis/types';
import {
  runFullDiagnosis,
  type FullRunEvent,
  type LocalChecks,
  type FullRunResult,
} from '../engine/full-run';
import { followedLines } from '../common/follow-words';
import {
  DiagnosisCancelled,
  DEFAULT_TIMEOUT_MS,
  TOOL_VERSION,
  validateRequest,
} from '../engine/run-diagnosis';
import { createWindowsPort } from '../ipc/windows-adapter';
import type { LocalFix } from '../ipc/windows-port';
import type { ProbeProtocol } from '../probes/types';
import { SERVER_BLOCK_MAX, serverLine, withoutSteering } from '../common/server-text';
import { stillWaitingSentence } from '../common/still-waiting';
import { runBundle, runShow } from '../bundle/cli';
import { runSelfTestCli } from '../self-test/cli';
import { joinNegativeValues, REQUEST_OPTIONS, requestOf } from './request-options';
import { runInspect, runLocal } from '../windows/cli';
import { readSavedOutput } from '../windows/saved-output';

export interface CliIo {
  stdout(text: string): void;
  stderr(text: string): void;
  /** Reads a saved command output for `inspect`; defaults to the file system. */
  readFile?(path: string): Promise<Buffer>;
  /** stderr is a terminal: `diagnose` shows its progress there without being asked. */
  stderrIsTerminal?: boolean;
  /** This computer's checks; default the Windows layer (read-only; "not available" outside Windows). */
  localChecks?: LocalChecks<LocalFix>;
}

export const EXIT = { playable: 0, problem: 1, badInput: 2, failed: 3, cancelled: 130 } as const;
type ExitName = keyof typeof EXIT;

const EXIT_MEANING: Record<ExitName, string> = {
  playable:
    'a playable route exists (verdict ok, use-rtsp, use-http); inspect: nothing in the way; local: done',
  problem: 'a problem was found (any other verdict; inspect: something in the way, or the command failed)',
  badInput: 'bad input: the message says what was expected',
  failed: 'Stream Doctor itself failed (a bug: please report the message)',
  cancelled: 'cancelled (Ctrl+C); every probe was stopped first',
};

/** The options of diagnose, as the usage lists them: the words, then what they mean (one entry a line). */
const DIAGNOSE_OPTION_LINES: ReadonlyArray<[string, string[]]> = [
  [
    '<url>',
    [
      'the address the player refused: mms://, mmst://, mmsu://, mmsh://, rtsp://, http://,',
      'https://, or just a host name (mms:// is assumed)',
    ],
  ],
  [
    '--code <error>',
    [
      'the error the player showed: 0xC00D2EFA, C00D2EFA, -1072877830, NS_E_MMS_NOT_SUPPORTED,',
      'or its text',
    ],
  ],
  ['--expect-ip <ip>', ['the address the name should resolve to']],
  ['--timeout <ms>', [`bound for each probe in milliseconds (default ${DEFAULT_TIMEOUT_MS})`]],
  ['--known-good <url>', ['a stream known to work, to tell a local network problem from a server problem']],
  ['--json', ['print one JSON object (schemaVersion 1) instead of text; errors are JSON too']],
  ['--progress', ['live progress on stderr (the default when stderr is a terminal)']],
  ['-h, --help', ['this help']],
];
const OPTION_COLUMN = 22;
const DIAGNOSE_OPTIONS = DIAGNOSE_OPTION_LINES.flatMap(([words, meaning]) =>
  meaning.map((line, i) => `  ${(i === 0 ? words : '').padEnd(OPTION_COLUMN)}${line}`),
).join('\n');

const EXIT_CODES_TEXT = `Exit codes:\n${(Object.keys(EXIT) as ExitName[])
  .map((name) => `  ${String(EXIT[name]).padEnd(6)}${EXIT_MEANING[name]}`)
  .join('\n')}`;

const DIAGNOSE_USAGE = `Usage: stream-doctor diagnose <url> [options]

Finds out why Windows Media Player cannot open the stream: resolves the name, probes MMS, Windows Media HTTP,
RTSP and HTTP, reads this computer's firewall and services (on Windows), and says what to do.

${DIAGNOSE_OPTIONS}

${EXIT_CODES_TEXT}`;

const USAGE = `Stream Doctor ${TOOL_VERSION} — why Windows Media Player cannot open a stream, and what to do.

Usage:
  stream-doctor diagnose <url> [--code <error>] [--expect-ip <ip>] [--timeout <ms>] [--known-good <url>]
                               [--json] [--progress]
  stream-doctor inspect <file> [--kind netsh-rules|netsh-profiles|sc|netstat|tasklist] [--json]
  stream-doctor local [--json]
  stream-doctor bundle <url> [--code <error>] [diagnose options] [--out FILE]
  stream-doctor bundle --report <report.json> [--out FILE]
  stream-doctor show <bundle.zip|report.json> [--json]
  stream-doctor self-test [--json]
  stream-doctor --version | --help | help diagnose

${DIAGNOSE_OPTIONS}

  inspect               analyse a command output a remote user saved and sent (any Windows language and encoding)
  local                 the read-only Windows checks on this computer (firewall, services, ports; skipped elsewhere)
  bundle                diagnose (or take a saved report) and write a support bundle (.zip) with this computer's facts
  show                  print a support bundle or report someone sent (exit 1 when a file in it was changed)
  self-test             prove the tool works here against its own loopback servers (exit 0 all pass, 1 otherwise)

${EXIT_CODES_TEXT}`;

type Command = (args: string[], io: CliIo, signal?: AbortSignal) => Promise<number>;

/** Every subcommand, by name. */
const COMMANDS: Record<string, Command> = {
  diagnose,
  inspect: (args, io) => runInspect(args, windowsIo(io)),
  local: (args, io) => runLocal(args, windowsIo(io)),
  bundle: (args, io, signal) =>
    runBundle(args, io, {
      formatReport,
      localChecks: io.localChecks ?? readOnlyWindowsChecks(),
      ...(signal ? { signal } : {}),
    }),
  show: (args, io) => runShow(args, io, { formatReport }),
  'self-test': (args, io, signal) => runSelfTestCli(args, io, signal ? { signal } : {}),
};

const HELP_WORDS = new Set(['--help', '-h', 'help']);
const VERSION_WORDS = new Set(['--version', '-V', 'version']);

export async function main(argv: string[], io: CliIo, signal?: AbortSignal): Promise<number> {
  const [command, ...rest] = argv;
  if (command === undefined) {
    io.stderr(`${USAGE}\n`);
    return EXIT.badInput;
  }
  if (VERSION_WORDS.has(command)) {
    io.stdout(`stream-doctor ${TOOL_VERSION}\n`);
    return EXIT.playable;
  }
  if (HELP_WORDS.has(command)) {
    io.stdout(`${rest[0] === 'diagnose' ? DIAGNOSE_USAGE : USAGE}\n`);
    return EXIT.playable;
  }
  const run = Object.hasOwn(COMMANDS, command) ? COMMANDS[command] : undefined;
  if (!run) {
    return fail(io, rest.includes('--json'), {
      kind: 'bad-input',
      message: `Unknown command "${command.slice(0, 40)}". Try: stream-doctor diagnose mms://server/stream (or --help).`,
    });
  }
  try {
    return await run(rest, io, signal);
  } catch (error) {
    return fail(io, rest.includes('--json'), {
      kind: 'failed',
      message: `Stream Doctor failed unexpectedly: ${error instanceof Error ? error.message : String(error)}`,
    });
  }
}

function windowsIo(io: CliIo) {
  return {
    stdout: io.stdout,
    stderr: io.stderr,
    // Regular files of at most 64 MB: a FIFO or /dev/zero is refused, not waited for.
    readFile: io.readFile ?? readSavedOutput,
  };
}

// --------------------------------------------------------------------------------------------------- failures

type FailureKind = 'bad-input' | 'cancelled' | 'failed';
const EXIT_OF_FAILURE: Record<FailureKind, number> = {
  'bad-input': EXIT.badInput,
  cancelled: EXIT.cancelled,
  failed: EXIT.failed,
};

interface Failure {
  kind: FailureKind;
  message: string;
  /** For bad input to diagnose: the option the message is about. */
  field?: string;
}

/** Says what went wrong — as text on stderr, or with --json as one JSON object on stdout — and gives the exit code. */
function fail(io: CliIo, json: boolean, failure: Failure): number {
  const exitCode = EXIT_OF_FAILURE[failure.kind];
  // The message may quote what was typed; it is shown, never obeyed.
  if (json) {
    io.stdout(`${JSON.stringify(withoutSteering({ schemaVersion: 1, exitCode, failure }), null, 2)}\n`);
  } else {
    io.stderr(`${failure.message.split('\n').map(oneLine).join('\n')}\n`);
  }
  return exitCode;
}

// --------------------------------------------------------------------------------------------------- diagnose

async function diagnose(args: string[], io: CliIo, signal?: AbortSignal): Promise<number> {
  const json = args.includes('--json');
  let parsed;
  try {
    parsed = parseArgs({
      args: joinNegativeValues(args),
      allowPositionals: true,
      options: {
        ...REQUEST_OPTIONS,
        json: { type: 'boolean', default: false },
        progress: { type: 'boolean', default: false },
        help: { type: 'boolean', short: 'h', default: false },
        version: { type: 'boolean', short: 'V', default: false },
      },
    });
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    return fail(io, json, {
      kind: 'bad-input',
      message: `${message}\nSee: stream-doctor diagnose --help`,
    });
  }
  const { values, positionals } = parsed;
  if (values.help) {
    io.stdout(`${DIAGNOSE_USAGE}\n`);
    return EXIT.playable;
  }
  if (values.version) {
    io.stdout(`stream-doctor ${TOOL_VERSION}\n`);
    return EXIT.playable;
  }
  if (positionals.length !== 1) {
    return fail(io, json, {
      kind: 'bad-input',
      field: 'url',
      message:
        positionals.length === 0
          ? 'Give the stream address to diagnose, e.g. stream-doctor diagnose mms://media.example.org/live'
          : 'Give one stream address only (put it in quotes if it contains spaces or &).',
    });
  }
  const validation = validateRequest(requestOf(positionals[0]!, values));
  if (!validation.ok) {
    return fail(io, json, { kind: 'bad-input', field: validation.field, message: validation.message });
  }
  const showProgress = values.progress || io.stderrIsTerminal === true;
  let result: FullRunResult<LocalFix>;
  try {
    result = await runFullDiagnosis(
      validation.value,
      { local: io.localChecks ?? readOnlyWindowsChecks() },
      {
        ...(signal ? { signal } : {}),
        ...(showProgress
          ? {
              onEvent: (event: FullRunEvent) => {
                const line = progressLine(event);
                if (line !== null) io.stderr(`${line}\n`);
              },
            }
          : {}),
      },
    );
  } catch (error) {
    if (error instanceof DiagnosisCancelled) {
      return fail(io, json, { kind: 'cancelled', message: 'Cancelled.' });
    }
    throw error;
  }
  // The probes made the servers' words data already; this is the last guard for everything else (a rule name).
  io.stdout(json ? `${JSON.stringify(withoutSteering(result.report), null, 2)}\n` : formatRun(result));
  return PLAYABLE_VERDICTS.has(result.report.verdict.code) ? EXIT.playable : EXIT.problem;
}

/** The Windows layer's checks of this computer, read-only: the CLI lists fixes but never applies one. */
function readOnlyWindowsChecks(): LocalChecks<LocalFix> {
  // No journal: nothing is ever applied from here.
  const windows = createWindowsPort({ journalFile: '' });
  return { plan: (target) => windows.plan(target), inspect: (target, s) => windows.inspect(target, s) };
}

// --------------------------------------------------------------------------------------------------- output

const STATUS_LABEL: Record<Check['status'], string> = {
  pass: 'PASS',
  fail: 'FAIL',
  warn: 'WARN',
  skip: 'SKIP',
  error: 'ERR ',
};
const TIER_TITLE: Record<Tier, string> = { simple: 'Simple', moderate: 'Moderate', advanced: 'Advanced' };
const PROTOCOL_NAME: Record<ProbeProtocol, string> = {
  mms: 'MMS',
  mmsh: 'Windows Media HTTP',
  rtsp: 'RTSP',
  http: 'HTTP',
};

type ProgressWords = {
  [K in FullRunEvent['type']]: (event: Extract<FullRunEvent, { type: K }>) => string | null;
};

/** One stderr line per event worth seeing while the run goes on; null for the rest. */
const PROGRESS_WORDS: ProgressWords = {
  'run-started': (e) => `Checking ${e.target.url}: ${e.checks.length} checks`,
  'dns-finished': (e) =>
    e.dns.status === 'failed'
      ? `DNS: ${e.dns.error ?? 'the name does not resolve'}`
      : `DNS: ${e.dns.addresses.join(', ')} (${e.dns.durationMs} ms)`,
  'probe-started': () => null,
  'probe-finished': ({ probe }) =>
    `${PROTOCOL_NAME[probe.protocol]} on port ${probe.port}: ${probe.reachability}` +
    `${probe.reachability === 'open' ? (probe.speaks ? ', answers' : ', no answer in this protocol') : ''}` +
    `${probe.server ? ` (${probe.server})` : ''} — ${probe.durationMs} ms`,
  'check-started': () => null,
  'check-finished': ({ check }) => `[${STATUS_LABEL[check.status]}] ${check.title}`,
  'still-waiting': (e) => `… ${stillWaitingSentence(e)}`,
  'run-finished': () => null,
  'run-cancelled': () => null,
};

export function progressLine(event: FullRunEvent): string | null {
  const words = PROGRESS_WORDS[event.type] as (event: FullRunEvent) => string | null;
  const line = words(event);
  return line === null ? null : `  ${oneLine(line)}`;
}

/** The human output of a full run: the report, then the changes that may help on this computer. */
export function formatRun(result: FullRunResult<LocalFix>): string {
  const lines = [formatReport(result.report)];
  if (result.fixes.length > 0) {
    lines.push(
      'Changes that may help on this computer (the Stream Doctor app makes them with your consent and can undo',
      'them; or run these commands as administrator):',
    );
    for (const fix of result.fixes) {
      lines.push(`  - ${oneLine(fix.title)}${fix.needsAdmin ? ' (needs administrator rights)' : ''}`);
      for (const command of fix.commands) lines.push(`      ${oneLine(command)}`);
    }
    lines.push('');
  }
  return lines.map((block) => block.split('\n').map(oneLine).join('\n')).join('\n');
}

/** The report: one line per check with its state, then the verdict. */
export function formatReport(report: DiagnosisReport): string {
  const lines: string[] = [];
  lines.push(`Stream Doctor — ${report.input.url}`);
  if (report.error) lines.push(`Error ${report.error.hex} ${report.error.name}: ${report.error.meaning}`);
  for (const tier of ['simple', 'moderate', 'advanced'] as const) {
    lines.push('', `${TIER_TITLE[tier]}:`);
    for (const check of report.checks.filter((c) => c.tier === tier)) {
      lines.push(`  [${STATUS_LABEL[check.status]}] ${check.title}: ${oneLine(check.summary)}`);
    }
  }
  const followed = followedLines(report);
  if (followed.length > 0) lines.push('', ...followed);
  const v = report.verdict;
  lines.push('', `Verdict: ${v.code}`, `  ${v.summary}`, `  Why: ${v.reason}`, `  Fix: ${v.fix}`);
  if (v.suggestedUrl) lines.push(`  Try: ${v.suggestedUrl}`);
  if (v.adminNote) lines.push(`  For the server's administrator: ${v.adminNote}`);
  lines.push(`  (${report.durationMs} ms)`, '');
  return lines.map(oneLine).join('\n');
}

/** One line for a terminal: line breaks folded, control and bidi characters out, whatever the text came from. */
function oneLine(text: string): string {
  return serverLine(text.replace(/\s*\n\s*/g, ' '), SERVER_BLOCK_MAX);
}

// Run when executed directly (tsx in development, node on the built file).
const invokedDirectly = typeof require !== 'undefined' && require.main === module;
if (invokedDirectly) {
  const controller = new AbortController();
  process.once('SIGINT', () => controller.abort());
  void main(
    process.argv.slice(2),
    {
      stdout: (t) => process.stdout.write(t),
      stderr: (t) => process.stderr.write(t),
      stderrIsTerminal: process.stderr.isTTY === true,
    },
    controller.signal,
  ).then((code) => {
    process.exitCode = code;
  });
}

#!/usr/bin/env node
// The headless CLI: `stream-doctor diagnose <url> [--code …] [--expect-ip …] [--timeout ms] [--json]`.
// Exit codes: 0 a playable route exists, 1 a problem was found, 2 bad input.
import { parseArgs } from 'node:util';
import { PLAYABLE_VERDICTS, type Check, type DiagnosisReport, type Tier } from '../diagnosis/types';
import {
  DiagnosisCancelled,
  DEFAULT_TIMEOUT_MS,
  runDiagnosis,
  validateRequest,
} from '../engine/run-diagnosis';
import { runInspect, runLocal } from '../windows/cli';

export interface CliIo {
  stdout(text: string): void;
  stderr(text: string): void;
  /** Reads a saved command output for `inspect`; defaults to the file system. */
  readFile?(path: string): Promise<Buffer>;
}

export const EXIT = { playable: 0, problem: 1, badInput: 2, cancelled: 130 } as const;

const USAGE = `Stream Doctor — why Windows Media Player cannot open a stream, and what to do.

Usage:
  stream-doctor diagnose <url> [--code <error>] [--expect-ip <address>] [--timeout <ms>] [--known-good <url>] [--json]
  stream-doctor inspect <file> --kind netsh-rules|netsh-profiles|sc|netstat|tasklist [--json]
  stream-doctor local [--json]

  <url>           the address the player refused: mms://, mmst://, mmsu://, mmsh://, rtsp://, http://, https://,
                  or just a host name (mms:// is assumed)
  --code          the error the player showed: 0xC00D2EFA, C00D2EFA, -1072877830, NS_E_MMS_NOT_SUPPORTED, or its text
  --expect-ip     the address the name should resolve to
  --timeout       bound for each probe in milliseconds (default ${DEFAULT_TIMEOUT_MS})
  --known-good    a stream known to work, to tell a local network problem from a server problem
  --json          print one JSON object (schemaVersion 1) instead of text

  inspect         analyse a command output a remote user saved and sent (any Windows language and encoding)
  local           the read-only Windows checks on this computer (firewall, services, ports; skipped elsewhere)

Exit codes: 0 a playable route exists (verdict ok, use-rtsp, use-http), 1 a problem was found, 2 bad input.`;

export async function main(argv: string[], io: CliIo, signal?: AbortSignal): Promise<number> {
  const [command, ...rest] = argv;
  if (command === undefined || command === '--help' || command === '-h' || command === 'help') {
    io.stdout(`${USAGE}\n`);
    return command === undefined ? EXIT.badInput : EXIT.playable;
  }
  if (command === 'diagnose') return diagnose(rest, io, signal);
  // Without a readFile of its own, inspect reads regular files of at most 64 MB (no FIFO, no /dev/zero).
  const windowsIo = { stdout: io.stdout, stderr: io.stderr, readFile: io.readFile };
  if (command === 'inspect') return runInspect(rest, windowsIo);
  if (command === 'local') return runLocal(rest, windowsIo);
  io.stderr(`Unknown command "${command.slice(0, 40)}". Try: stream-doctor diagnose mms://server/stream\n`);
  return EXIT.badInput;
}

async function diagnose(args: string[], io: CliIo, signal?: AbortSignal): Promise<number> {
  let parsed;
  try {
    parsed = parseArgs({
      args,
      allowPositionals: true,
      options: {
        code: { type: 'string' },
        'expect-ip': { type: 'string' },
        timeout: { type: 'string' },
        'known-good': { type: 'string' },
        json: { type: 'boolean', default: false },
      },
    });
  } catch (error) {
    io.stderr(`${error instanceof Error ? error.message : String(error)}\n\n${USAGE}\n`);
    return EXIT.badInput;
  }
  const { values, positionals } = parsed;
  if (positionals.length !== 1) {
    io.stderr(
      positionals.length === 0
        ? 'Give the stream address to diagnose, e.g. stream-doctor diagnose mms://media.example.org/live\n'
        : 'Give one stream address only (put it in quotes if it contains spaces or &).\n',
    );
    return EXIT.badInput;
  }
  let timeoutMs: number | undefined;
  if (values.timeout !== undefined) {
    timeoutMs = /^\d{1,6}$/.test(values.timeout) ? Number(values.timeout) : Number.NaN;
  }
  const validation = validateRequest({
    url: positionals[0]!,
    errorCode: values.code ?? null,
    expectIp: values['expect-ip'] ?? null,
    knownGoodUrl: values['known-good'] ?? null,
    ...(timeoutMs !== undefined ? { timeoutMs } : {}),
  });
  if (!validation.ok) {
    io.stderr(`${validation.message}\n`);
    return EXIT.badInput;
  }
  try {
    const report = await runDiagnosis(validation.value, signal ? { signal } : {});
    io.stdout(values.json ? `${JSON.stringify(report, null, 2)}\n` : formatReport(report));
    return PLAYABLE_VERDICTS.has(report.verdict.code) ? EXIT.playable : EXIT.problem;
  } catch (error) {
    if (error instanceof DiagnosisCancelled) {
      io.stderr('Cancelled.\n');
      return EXIT.cancelled;
    }
    throw error;
  }
}

const STATUS_LABEL: Record<Check['status'], string> = {
  pass: 'PASS',
  fail: 'FAIL',
  warn: 'WARN',
  skip: 'SKIP',
  error: 'ERR ',
};
const TIER_TITLE: Record<Tier, string> = { simple: 'Simple', moderate: 'Moderate', advanced: 'Advanced' };

/** The human output: one line per check with its state, then the verdict. */
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
  const v = report.verdict;
  lines.push('', `Verdict: ${v.code}`, `  ${v.summary}`, `  Why: ${v.reason}`, `  Fix: ${v.fix}`);
  if (v.suggestedUrl) lines.push(`  Try: ${v.suggestedUrl}`);
  if (v.adminNote) lines.push(`  For the server's administrator: ${v.adminNote}`);
  lines.push(`  (${report.durationMs} ms)`, '');
  return lines.join('\n');
}

function oneLine(text: string): string {
  return text.replace(/\s*\n\s*/g, ' ');
}

// Run when executed directly (tsx in development, node on the built file).
const invokedDirectly = typeof require !== 'undefined' && require.main === module;
if (invokedDirectly) {
  const controller = new AbortController();
  process.once('SIGINT', () => controller.abort());
  main(
    process.argv.slice(2),
    { stdout: (t) => process.stdout.write(t), stderr: (t) => process.stderr.write(t) },
    controller.signal,
  )
    .then((code) => {
      process.exitCode = code;
    })
    .catch((error: unknown) => {
      process.stderr.write(
        `Stream Doctor failed unexpectedly: ${error instanceof Error ? error.message : String(error)}\n`,
      );
      process.exitCode = EXIT.problem;
    });
}

// `stream-doctor bundle` and `stream-doctor show`.
//
// bundle <url> [--code …] [--expect-ip …] [--timeout ms] [--known-good url] [--out FILE]
//   runs a diagnosis (exactly as `diagnose` does), reads this computer's facts, and writes the support bundle.
// bundle --report FILE [--code …] [--out FILE]
//   packs a report saved earlier (the app's "Save data (JSON)" or `diagnose --json`) with this computer's facts.
// Without --out the bundle goes to the current folder. Exit codes: 0 written, 1 could not be written (or the
// run failed), 2 bad input, 130 cancelled.
//
// show FILE [--json]
//   prints a bundle or report someone sent as `diagnose` prints a run, then the system facts and the log.
//   Exit codes: 0 shown, 1 shown but a file in it does not match its manifest (or one is missing), 2 refused
//   (not a report or bundle, a newer schema, a zip bomb, invalid content).
import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import type { DiagnosisReport } from '../common/report';
import {
  DiagnosisCancelled,
  runDiagnosis,
  validateRequest,
  type RunOptions,
  type ValidRequest,
} from '../engine/run-diagnosis';
import { runFullDiagnosis, type LocalChecks } from '../engine/full-run';
import { createProcessRunner, type CommandRunner } from '../windows/runner';
import { createAppLog, type AppLog } from './app-log';
import { buildBundle, bundleFileName } from './build-bundle';
import { BUNDLE_LIMITS, openReportOrBundle } from './read-bundle';
import { stripControlCharacters } from './sanitize';
import { collectSystemFacts } from './system-facts';
import type { OpenedRun, SystemFacts } from './types';
import { readBounded, writeBundleFile } from './files';
import { joinNegativeValues, REQUEST_OPTIONS, requestOf } from '../cli/request-options';

export interface BundleCliIo {
  stdout(text: string): void;
  stderr(text: string): void;
}

export interface BundleCliDeps {
  /** How `show` prints the run; the CLI's own `diagnose` output. */
  formatReport(report: DiagnosisReport): string;
  runner?: CommandRunner;
  platform?: NodeJS.Platform;
  computerName?: string;
  now?: () => Date;
  cwd?: string;
  signal?: AbortSignal;
  runDiagnosis?: (request: ValidRequest, options: RunOptions) => Promise<DiagnosisReport>;
  /** The read-only Windows checks, run alongside as `diagnose` runs them; without them, the network run only. */
  localChecks?: LocalChecks<unknown>;
}

export const BUNDLE_EXIT = { ok: 0, failed: 1, badInput: 2, cancelled: 130 } as const;
export const SHOW_EXIT = { shown: 0, warnings: 1, refused: 2 } as const;

const BUNDLE_USAGE =
  'usage: stream-doctor bundle <url> [--code <error>] [--expect-ip <address>] [--timeout <ms>] [--known-good <url>] [--out FILE]\n' +
  '       stream-doctor bundle --report <report.json> [--code <error>] [--out FILE]\n';
const SHOW_USAGE = 'usage: stream-doctor show <bundle.zip|report.json> [--json]\n';

const describe = (error: unknown): string => (error instanceof Error ? error.message : String(error));

export async function runBundle(args: string[], io: BundleCliIo, deps: BundleCliDeps): Promise<number> {
  let parsed;
  try {
    parsed = parseArgs({
      args: joinNegativeValues(args),
      allowPositionals: true,
      options: {
        ...REQUEST_OPTIONS,
        report: { type: 'string' },
        out: { type: 'string' },
      },
    });
  } catch (error) {
    io.stderr(`${describe(error)}\n${BUNDLE_USAGE}`);
    return BUNDLE_EXIT.badInput;
  }
  const { values, positionals } = parsed;
  const fromReport = values.report !== undefined;
  if (fromReport ? positionals.length !== 0 : positionals.length !== 1) {
    io.stderr(
      fromReport
        ? `Give either a stream address or --report, not both.\n${BUNDLE_USAGE}`
        : `Give the stream address to diagnose (one), or --report with a saved report.\n${BUNDLE_USAGE}`,
    );
    return BUNDLE_EXIT.badInput;
  }
  const log = createAppLog(deps.now);
  const userErrorText = values.code ?? null;
  let report: DiagnosisReport;
  if (fromReport) {
    const loaded = await loadReport(values.report!, io);
    if (!loaded) return BUNDLE_EXIT.badInput;
    report = loaded;
    log.info(`Packed the report ${path.basename(values.report!)} (run of ${report.startedAt}).`);
  } else {
    const validation = validateRequest(requestOf(positionals[0]!, values));
    if (!validation.ok) {
      io.stderr(`${validation.message}\n`);
      return BUNDLE_EXIT.badInput;
    }
    const ran = await diagnoseLogged(validation.value, log, deps, io);
    if (typeof ran === 'number') return ran;
    report = ran;
  }
  const now = deps.now?.() ?? new Date();
  const computerName = deps.computerName ?? os.hostname();
  io.stderr('Reading this computer’s settings (read-only)…\n');
  const systemFacts: SystemFacts = await collectSystemFacts({
    runner: deps.runner ?? createProcessRunner(),
    platform: deps.platform ?? process.platform,
    computerName,
    now: () => now,
  });
  const zip = buildBundle({
    report,
    userErrorText,
    systemFacts,
    appLog: log.entries(),
    createdAt: now,
    computerName,
  });
  const file = path.resolve(deps.cwd ?? process.cwd(), values.out ?? bundleFileName(report, now));
  try {
    await writeBundleFile(file, zip);
  } catch (error) {
    io.stderr(`The bundle could not be written to ${file}: ${describe(error)}\n`);
    return BUNDLE_EXIT.failed;
  }
  io.stdout(
    `Support bundle written: ${file}\nNothing was sent anywhere: send this file to your IT contact yourself.\n`,
  );
  return BUNDLE_EXIT.ok;
}

async function loadReport(file: string, io: BundleCliIo): Promise<DiagnosisReport | null> {
  let bytes: Uint8Array;
  try {
    bytes = await readBounded(file, BUNDLE_LIMITS.fileBytes);
  } catch (error) {
    io.stderr(`Cannot read ${file}: ${describe(error)}\n`);
    return null;
  }
  const opened = openReportOrBundle(bytes, file);
  if (!opened.ok) {
    io.stderr(`${opened.message}\n`);
    return null;
  }
  if (opened.value.kind !== 'report') {
    io.stderr(`${path.basename(file)} is a bundle already; --report takes a JSON report.\n`);
    return null;
  }
  return opened.value.report;
}

async function diagnoseLogged(
  request: ValidRequest,
  log: AppLog,
  deps: BundleCliDeps,
  io: BundleCliIo,
): Promise<DiagnosisReport | number> {
  log.info(`Diagnosis started: ${request.input.url} (timeout ${request.timeoutMs} ms)`);
  io.stderr(`Diagnosing ${request.input.url}…\n`);
  try {
    const onEvent = (event: {
      type: string;
      probe?: { protocol: string; port: number; reachability: string };
    }) => {
      if (event.type === 'probe-finished' && event.probe)
        log.info(`Probe ${event.probe.protocol} port ${event.probe.port}: ${event.probe.reachability}`);
    };
    const signal = deps.signal ? { signal: deps.signal } : {};
    const report = deps.localChecks
      ? (await runFullDiagnosis(request, { local: deps.localChecks }, { ...signal, onEvent })).report
      : await (deps.runDiagnosis ?? runDiagnosis)(request, { ...signal, onEvent });
    log.info(`Diagnosis finished: verdict ${report.verdict.code} in ${report.durationMs} ms`);
    return report;
  } catch (error) {
    if (error instanceof DiagnosisCancelled) {
      io.stderr('Cancelled.\n');
      return BUNDLE_EXIT.cancelled;
    }
    io.stderr(`The diagnosis stopped unexpectedly: ${describe(error)}\n`);
    return BUNDLE_EXIT.failed;
  }
}

export async function runShow(args: string[], io: BundleCliIo, deps: BundleCliDeps): Promise<number> {
  const json = args.includes('--json');
  const rest = args.filter((arg) => arg !== '--json');
  if (rest.length !== 1 || rest[0]!.startsWith('--')) {
    io.stderr(rest.length === 0 ? `Give the bundle or report to show.\n${SHOW_USAGE}` : SHOW_USAGE);
    return SHOW_EXIT.refused;
  }
  const file = rest[0]!;
  let bytes: Uint8Array;
  try {
    bytes = await readBounded(path.resolve(deps.cwd ?? process.cwd(), file), BUNDLE_LIMITS.fileBytes);
  } catch (error) {
    io.stderr(`Cannot read ${stripControlCharacters(file)}: ${describe(error)}\n`);
    return SHOW_EXIT.refused;
  }
  const opened = openReportOrBundle(bytes, file);
  if (!opened.ok) {
    io.stderr(`${opened.message}\n`);
    return SHOW_EXIT.refused;
  }
  io.stdout(
    json ? `${JSON.stringify(opened.value, null, 2)}\n` : formatOpened(opened.value, deps.formatReport),
  );
  return opened.value.warnings.length > 0 ? SHOW_EXIT.warnings : SHOW_EXIT.shown;
}

/** The opened run as text: warnings first, whose machine and when, the run, the facts, the log. */
export function formatOpened(opened: OpenedRun, formatReport: (report: DiagnosisReport) => string): string {
  const lines: string[] = [];
  for (const warning of opened.warnings) lines.push(`WARNING: ${warning}`);
  if (opened.warnings.length > 0) lines.push('');
  lines.push(
    opened.kind === 'bundle'
      ? `Support bundle ${opened.fileName} from ${opened.computerName ?? 'an unnamed computer'}, made ${opened.createdAt}`
      : `Report ${opened.fileName}, run of ${opened.createdAt} (a bare report: no system facts)`,
  );
  if (opened.userErrorText) lines.push(`The user's error text: ${opened.userErrorText.replace(/\n/g, ' ')}`);
  lines.push('', formatReport(opened.report).trimEnd());
  if (opened.systemFacts) {
    const facts = opened.systemFacts;
    lines.push('', `System facts (${facts.platform}, read ${facts.collectedAt}):`);
    for (const section of facts.sections) {
      lines.push(`  ${section.title} [${section.status}]`, `    $ ${section.command}`);
      for (const line of section.lines) lines.push(`    ${line.replace(/\n/g, ' ')}`);
    }
  }
  if (opened.appLog.length > 0) lines.push('', 'App log:', ...opened.appLog.map((line) => `  ${line}`));
  return `${lines.join('\n')}\n`;
}

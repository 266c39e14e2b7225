// `stream-doctor inspect <file>` (what a command output a remote user saved and sent says: any language, any
// of the encodings a Windows console or editor writes) and `stream-doctor local` (the read-only checks on
// this machine). The CLI entry dispatches here; these only talk through `io`.
import { parseArgs } from 'node:util';
import type { Check } from '../diagnosis/types';
import { KIND_NAMES } from './detect';
import {
  INSPECT_EXIT,
  INSPECT_KINDS,
  inspectBytes,
  inspectExitCode,
  type InspectKind,
  type InspectResult,
} from './inspect';
import { runLocalChecks } from './local';
import type { FirewallRule } from './netsh-rules';
import { createProcessRunner, type CommandRunner } from './runner';
import { MAX_SAVED_OUTPUT_BYTES, readSavedOutput } from './saved-output';
import type { ServiceInfo } from './sc';
import type { SocketRow } from './netstat';
import type { ProcessRow } from './tasklist';
import type { FirewallProfileState } from './netsh-profiles';

export { INSPECT_KINDS, type InspectKind };

export interface CliIo {
  stdout(s: string): void;
  stderr(s: string): void;
  /** Reads the saved output; readSavedOutput (regular files only, at most 64 MB) unless a test replaces it. */
  readFile?(path: string): Promise<Buffer>;
}

const INSPECT_USAGE =
  'usage: stream-doctor inspect <file> [--kind netsh-rules|netsh-profiles|sc|netstat|tasklist] [--json] ' +
  '[--dir in|out] [--codepage N]\n';

interface InspectArgs {
  file: string;
  kind: InspectKind | null;
  json: boolean;
  direction: 'in' | 'out' | null;
  codePage: number | null;
}

function parseInspectArgs(args: readonly string[]): InspectArgs | string {
  const rest = args[0] === 'inspect' ? args.slice(1) : [...args];
  let parsed;
  try {
    parsed = parseArgs({
      args: rest,
      allowPositionals: true,
      strict: true,
      options: {
        kind: { type: 'string' },
        json: { type: 'boolean', default: false },
        dir: { type: 'string' },
        codepage: { type: 'string' },
      },
    });
  } catch (error) {
    return error instanceof Error ? error.message : String(error);
  }
  const { values, positionals } = parsed;
  if (positionals.length === 0) return 'missing <file>';
  if (positionals.length > 1) return `unexpected argument ${positionals[1]}`;
  const kind = values.kind ?? null;
  if (kind !== null && !INSPECT_KINDS.includes(kind as InspectKind)) {
    return `--kind must be one of ${INSPECT_KINDS.join(', ')}`;
  }
  const dir = values.dir ?? null;
  if (dir !== null && dir !== 'in' && dir !== 'out') return '--dir must be in or out';
  let codePage: number | null = null;
  if (values.codepage !== undefined) {
    codePage = /^\d{1,5}$/.test(values.codepage) ? Number(values.codepage) : Number.NaN;
    if (!Number.isInteger(codePage) || codePage <= 0 || codePage > 65535) {
      return '--codepage must be a code page number (437, 850, 866, 936, 1252, 65001…)';
    }
  }
  return {
    file: positionals[0] ?? '',
    kind: kind as InspectKind | null,
    json: values.json ?? false,
    direction: dir,
    codePage,
  };
}

const MARKS: Record<Check['status'], string> = {
  pass: 'ok  ',
  fail: 'FAIL',
  warn: 'warn',
  skip: 'skip',
  error: 'ERR ',
};

function formatChecks(checks: readonly Check[]): string {
  return checks
    .map((check) => {
      const evidence = check.evidence ? `\n${check.evidence.replace(/^/gm, '        ')}` : '';
      return `[${MARKS[check.status]}] ${check.title}\n       ${check.summary}${evidence}`;
    })
    .join('\n');
}

const question = (value: boolean | string | null, yes = 'enabled', no = 'disabled'): string =>
  value === null ? '?' : value === true ? yes : value === false ? no : value;

const ITEM_LINES: Record<InspectKind, (item: never, index: number) => string> = {
  'netsh-rules': (rule: FirewallRule, i) =>
    `${String(i + 1).padStart(4)}. ${rule.name} | ${question(rule.enabled)} | ${rule.direction ?? '?'} | ${rule.action ?? '?'} | ${rule.profiles.join(',') || '?'} | ${rule.protocol ?? '?'} | local ${rule.localPorts.join(',') || '-'} | remote ${rule.remotePorts.join(',') || '-'}${rule.program ? ` | ${rule.program}` : ''}`,
  'netsh-profiles': (profile: FirewallProfileState) =>
    `${profile.header}: ${profile.state ?? 'state ?'}${profile.defaultInbound ? `, inbound ${profile.defaultInbound}, outbound ${profile.defaultOutbound ?? '?'}` : ''}`,
  sc: (service: ServiceInfo) =>
    `${service.name}: ${service.state ?? 'state ?'}${service.startType ? `, start ${service.startType}${service.delayedStart ? ' (delayed)' : ''}` : ''}${service.dependencies.length > 0 ? `, depends on ${service.dependencies.join(', ')}` : ''}`,
  netstat: (row: SocketRow) =>
    `${row.protocol} ${row.localAddress}:${row.localPort} ${row.state ?? ''} PID ${row.pid}`.replace(
      /\s+/g,
      ' ',
    ),
  tasklist: (process: ProcessRow) => `${String(process.pid).padStart(7)}  ${process.imageName}`,
};

const ITEM_NOUNS: Record<InspectKind, string> = {
  'netsh-rules': 'rule(s)',
  'netsh-profiles': 'profile(s)',
  sc: 'service(s)',
  netstat: 'socket(s)',
  tasklist: 'process(es)',
};

/** Sockets can be thousands: the text report lists the first ones, --json has them all. */
const MAX_LISTED_ITEMS = 200;

export function formatInspection(file: string, result: InspectResult): string {
  if (result.kind === null) return '';
  const kind = result.kind;
  const out: string[] = [`Read ${file} as ${KIND_NAMES[kind]} output, ${result.encoding}.`];
  out.push(
    result.complete
      ? 'The listing looks complete.'
      : `Partial listing: ${result.incomplete.join('; ')}.${result.fullCommand ? ` The full picture: ${result.fullCommand}` : ''}`,
  );
  for (const message of result.messages) out.push(`Message: "${message.line}" (${message.meaning})`);
  out.push(`${result.items.length} ${ITEM_NOUNS[kind]}`);
  const describe = ITEM_LINES[kind] as (item: unknown, index: number) => string;
  out.push(...result.items.slice(0, MAX_LISTED_ITEMS).map((item, i) => describe(item, i)));
  if (result.items.length > MAX_LISTED_ITEMS)
    out.push(`… and ${result.items.length - MAX_LISTED_ITEMS} more (--json lists all)`);
  if (result.unknownWords.length > 0)
    out.push(`Labels not in the word table: ${result.unknownWords.join(', ')}`);
  out.push('', formatChecks(result.findings));
  return `${out.join('\n')}\n`;
}

function notRecognisedText(file: string, result: InspectResult, expected: InspectKind | null): string {
  const what = expected
    ? `the output of ${KIND_NAMES[expected]}`
    : `any output inspect reads (${INSPECT_KINDS.map((kind) => KIND_NAMES[kind]).join(', ')})`;
  return `${file}: This is not ${what} (it looks like ${result.looksLike ?? 'plain text'}). Nothing is concluded from it.\n`;
}

export async function runInspect(args: string[], io: CliIo): Promise<number> {
  const parsed = parseInspectArgs(args);
  if (typeof parsed === 'string') {
    io.stderr(`${parsed}\n${INSPECT_USAGE}`);
    return INSPECT_EXIT.badInput;
  }
  let bytes: Buffer;
  try {
    bytes = await (io.readFile ?? readSavedOutput)(parsed.file);
  } catch (error) {
    io.stderr(`cannot read ${parsed.file}: ${error instanceof Error ? error.message : String(error)}\n`);
    return INSPECT_EXIT.badInput;
  }
  if (bytes.length > MAX_SAVED_OUTPUT_BYTES) {
    io.stderr(`cannot read ${parsed.file}: the file is larger than 64 MB\n`);
    return INSPECT_EXIT.badInput;
  }
  let result: InspectResult;
  try {
    result = inspectBytes(bytes, parsed);
  } catch (error) {
    io.stderr(`${error instanceof Error ? error.message : String(error)}\n${INSPECT_USAGE}`);
    return INSPECT_EXIT.badInput;
  }
  const exitCode = inspectExitCode(result);
  if (parsed.json) io.stdout(`${JSON.stringify({ ...result, exitCode }, null, 2)}\n`);
  else if (result.kind !== null) io.stdout(formatInspection(parsed.file, result));
  if (result.kind === null) io.stderr(notRecognisedText(parsed.file, result, parsed.kind));
  return exitCode;
}

export interface LocalDeps {
  runner?: CommandRunner;
  platform?: NodeJS.Platform;
}

export async function runLocal(args: string[], io: CliIo, deps: LocalDeps = {}): Promise<number> {
  const rest = args[0] === 'local' ? args.slice(1) : args;
  const unknown = rest.filter((arg) => arg !== '--json');
  if (unknown.length > 0) {
    io.stderr(`unexpected argument ${unknown[0]}\nusage: stream-doctor local [--json]\n`);
    return INSPECT_EXIT.badInput;
  }
  const checks = await runLocalChecks(
    deps.runner ?? createProcessRunner(),
    {},
    deps.platform ?? process.platform,
  );
  if (rest.includes('--json')) io.stdout(`${JSON.stringify(checks, null, 2)}\n`);
  else io.stdout(`${formatChecks(checks)}\n`);
  return INSPECT_EXIT.clear;
}

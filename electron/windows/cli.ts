// `stream-doctor inspect <file> --kind …` (analyse an output a remote user saved and sent: any language, any
// of the encodings a Windows console writes) and `stream-doctor local` (the read-only checks on this machine).
// The lead's CLI entry wires these in; they only talk through `io`.
import type { Check } from '../diagnosis/types';
import {
  firewallClientCheck,
  firewallServerCheck,
  firewallStateCheck,
  portOwnersCheck,
  type WindowsSnapshot,
} from './checks';
import { decodeGuessing, decodeOutput } from './decode';
import { runLocalChecks } from './local';
import { parseNetshProfiles } from './netsh-profiles';
import { parseNetshRules } from './netsh-rules';
import { ALL_RULE_LABELS } from './netsh-words';
import { parseNetstat } from './netstat';
import { createProcessRunner, type CommandRunner } from './runner';
import { parseSc } from './sc';
import { parseTasklistCsv } from './tasklist';

export interface CliIo {
  stdout(s: string): void;
  stderr(s: string): void;
  readFile(path: string): Promise<Buffer>;
}

export const INSPECT_KINDS = ['netsh-rules', 'netsh-profiles', 'sc', 'netstat', 'tasklist'] as const;
export type InspectKind = (typeof INSPECT_KINDS)[number];

const EXIT_OK = 0;
const EXIT_BAD_INPUT = 2;

// OEM code pages of the languages in docs/windows-commands.md, most common first.
const GUESSED_CODE_PAGES = [850, 437, 866, 852, 936, 932, 949, 950, 855, 857, 860, 863, 865, 869];

const INSPECT_USAGE =
  'usage: stream-doctor inspect <file> --kind netsh-rules|netsh-profiles|sc|netstat|tasklist [--json] ' +
  '[--dir in|out] [--codepage N]\n';

interface InspectArgs {
  file: string;
  kind: InspectKind;
  json: boolean;
  direction: 'in' | 'out' | null;
  codePage: number | null;
}

function parseInspectArgs(args: readonly string[]): InspectArgs | string {
  let file: string | null = null;
  let kind: string | null = null;
  let json = false;
  let direction: 'in' | 'out' | null = null;
  let codePage: number | null = null;
  const rest = args[0] === 'inspect' ? args.slice(1) : [...args];
  for (let i = 0; i < rest.length; i++) {
    const arg = rest[i] ?? '';
    const value = (): string | undefined => rest[++i];
    if (arg === '--json') json = true;
    else if (arg === '--kind') kind = value() ?? '';
    else if (arg.startsWith('--kind=')) kind = arg.slice(7);
    else if (arg === '--dir') {
      const dir = value();
      if (dir !== 'in' && dir !== 'out') return `--dir must be in or out`;
      direction = dir;
    } else if (arg === '--codepage') {
      const page = Number(value());
      if (!Number.isInteger(page) || page <= 0 || page > 65535)
        return '--codepage must be a code page number';
      codePage = page;
    } else if (arg.startsWith('--')) return `unknown option ${arg}`;
    else if (file === null) file = arg;
    else return `unexpected argument ${arg}`;
  }
  if (file === null) return 'missing <file>';
  if (!INSPECT_KINDS.includes(kind as InspectKind))
    return `--kind must be one of ${INSPECT_KINDS.join(', ')}`;
  return { file, kind: kind as InspectKind, json, direction, codePage };
}

/** How many known netsh labels and words a decoding shows: the best-scoring code page wins. */
function labelScore(text: string): number {
  let score = 0;
  for (const label of ALL_RULE_LABELS) if (text.includes(`${label}:`) || text.includes(`${label} :`)) score++;
  if (/Domäne|Öffentlich|Privé|règle|überein/.test(text)) score++;
  return score - (text.match(/\uFFFD/g)?.length ?? 0);
}

function formatChecks(checks: readonly Check[]): string {
  const mark: Record<Check['status'], string> = {
    pass: 'ok  ',
    fail: 'FAIL',
    warn: 'warn',
    skip: 'skip',
    error: 'ERR ',
  };
  return checks
    .map((check) => {
      const evidence = check.evidence ? `\n${check.evidence.replace(/^/gm, '        ')}` : '';
      return `[${mark[check.status]}] ${check.title}\n       ${check.summary}${evidence}`;
    })
    .join('\n');
}

function inspectText(
  kind: InspectKind,
  text: string,
  direction: 'in' | 'out' | null,
): { data: unknown; report: string } {
  switch (kind) {
    case 'netsh-rules': {
      const { rules, unknownLabels } = parseNetshRules(text, direction ? { direction } : {});
      const snapshot: WindowsSnapshot = { rules: { command: 'the file', value: rules, error: null } };
      const lines = rules.map(
        (rule, i) =>
          `${String(i + 1).padStart(4)}. ${rule.name} | ${rule.enabled === null ? '?' : rule.enabled ? 'enabled' : 'disabled'} | ${rule.direction ?? '?'} | ${rule.action ?? '?'} | ${rule.profiles.join(',') || '?'} | ${rule.protocol ?? '?'} | local ${rule.localPorts.join(',') || '-'} | remote ${rule.remotePorts.join(',') || '-'}${rule.program ? ` | ${rule.program}` : ''}`,
      );
      const unknown =
        unknownLabels.length > 0 ? `\nLabels not in the word table: ${unknownLabels.join(', ')}\n` : '';
      const checks = [firewallClientCheck(snapshot), firewallServerCheck(snapshot)];
      return {
        data: rules,
        report: `${rules.length} rule(s)\n${lines.join('\n')}\n${unknown}\n${formatChecks(checks)}\n`,
      };
    }
    case 'netsh-profiles': {
      const profiles = parseNetshProfiles(text);
      const check = firewallStateCheck({ profiles: { command: 'the file', value: profiles, error: null } });
      return { data: profiles, report: `${formatChecks([check])}\n` };
    }
    case 'sc': {
      const result = parseSc(text);
      const lines = result.services.map(
        (s) =>
          `${s.name}: ${s.state ?? 'state ?'}${s.startType ? `, start ${s.startType}${s.delayedStart ? ' (delayed)' : ''}` : ''}${s.dependencies.length > 0 ? `, depends on ${s.dependencies.join(', ')}` : ''}`,
      );
      const error = result.notInstalled
        ? 'The service is not installed (error 1060).\n'
        : result.errorCode !== null
          ? `sc reported error ${result.errorCode}.\n`
          : '';
      return { data: result, report: `${lines.join('\n')}${lines.length > 0 ? '\n' : ''}${error}` };
    }
    case 'netstat': {
      const sockets = parseNetstat(text);
      const check = portOwnersCheck({ sockets: { command: 'the file', value: sockets, error: null } });
      return { data: sockets, report: `${sockets.length} socket(s)\n${formatChecks([check])}\n` };
    }
    case 'tasklist': {
      const processes = parseTasklistCsv(text);
      const lines = processes.map((p) => `${String(p.pid).padStart(7)}  ${p.imageName}`);
      return { data: processes, report: `${processes.length} process(es)\n${lines.join('\n')}\n` };
    }
  }
}

export async function runInspect(args: string[], io: CliIo): Promise<number> {
  const parsed = parseInspectArgs(args);
  if (typeof parsed === 'string') {
    io.stderr(`${parsed}\n${INSPECT_USAGE}`);
    return EXIT_BAD_INPUT;
  }
  let bytes: Buffer;
  try {
    bytes = await io.readFile(parsed.file);
  } catch (error) {
    io.stderr(`cannot read ${parsed.file}: ${error instanceof Error ? error.message : String(error)}\n`);
    return EXIT_BAD_INPUT;
  }
  const decoded =
    parsed.codePage !== null
      ? decodeOutput(bytes, parsed.codePage)
      : decodeGuessing(bytes, GUESSED_CODE_PAGES, labelScore);
  const { data, report } = inspectText(parsed.kind, decoded.text, parsed.direction);
  if (parsed.json) io.stdout(`${JSON.stringify(data, null, 2)}\n`);
  else io.stdout(`Read ${parsed.file} as ${decoded.encoding}.\n${report}`);
  return EXIT_OK;
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
    return EXIT_BAD_INPUT;
  }
  const checks = await runLocalChecks(
    deps.runner ?? createProcessRunner(),
    {},
    deps.platform ?? process.platform,
  );
  if (rest.includes('--json')) io.stdout(`${JSON.stringify(checks, null, 2)}\n`);
  else io.stdout(`${formatChecks(checks)}\n`);
  return EXIT_OK;
}

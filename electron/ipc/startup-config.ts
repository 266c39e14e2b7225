// Start-up configuration for IT staff, so a remote user double-clicks and sees the wizard filled in:
//   stream-doctor.json next to the portable exe (PORTABLE_EXECUTABLE_DIR, trusted only in a packaged app),
//   then --config <file>, then --url / --code / --expect-ip / --known-good / --tier / --timeout on the command
//   line.
// Later sources win. Every value is checked with the engine's own validation; a bad one is dropped with a
// message that says where it came from and what was expected, and the others still apply.
import path from 'node:path';
import type { Tier } from '../diagnosis/types';
import type { StartupConfig, StartupPrefill, StartupProblem } from './contract';

export const CONFIG_FILE_NAME = 'stream-doctor.json';
export const MAX_CONFIG_BYTES = 64 * 1024;
const TIERS: readonly Tier[] = ['simple', 'moderate', 'advanced'];

/** The engine's validation, passed in (main hands over validateRequest) to keep this module free of sockets. */
export type InputValidator = (request: {
  url: string;
  errorCode?: string | null;
  expectIp?: string | null;
  timeoutMs?: number;
  knownGoodUrl?: string | null;
}) => { ok: true } | { ok: false; field: string; message: string };

export interface StartupSources {
  /** Arguments after the program (and after the app path in development); Chromium switches are ignored. */
  argv: readonly string[];
  /** app.isPackaged: only then is PORTABLE_EXECUTABLE_DIR believed. */
  packaged: boolean;
  env: Record<string, string | undefined>;
  /** Reads at most `maxBytes`; resolves null when the file does not exist, rejects on other errors. */
  readFile(file: string, maxBytes: number): Promise<string | null>;
  validate: InputValidator;
}

interface RawValues {
  url?: unknown;
  errorCode?: unknown;
  expectIp?: unknown;
  tier?: unknown;
  timeoutMs?: unknown;
  knownGoodUrl?: unknown;
}

const OPTION_OF_FLAG: Record<string, keyof RawValues | 'config'> = {
  '--url': 'url',
  '--code': 'errorCode',
  '--expect-ip': 'expectIp',
  '--tier': 'tier',
  '--timeout': 'timeoutMs',
  '--known-good': 'knownGoodUrl',
  '--config': 'config',
};

export interface ParsedArgs {
  values: RawValues;
  configFile: string | null;
  problems: string[];
}

/** `--flag value` and `--flag=value`; unknown switches (Chromium adds its own) and positionals are ignored. */
export function parseStartupArgs(argv: readonly string[]): ParsedArgs {
  const values: RawValues = {};
  const problems: string[] = [];
  let configFile: string | null = null;
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]!;
    const eq = arg.indexOf('=');
    const flag = eq > 0 ? arg.slice(0, eq) : arg;
    const option = OPTION_OF_FLAG[flag];
    if (!option) continue;
    let value: string | undefined;
    if (eq > 0) value = arg.slice(eq + 1);
    else if (i + 1 < argv.length && !argv[i + 1]!.startsWith('--')) value = argv[++i];
    if (value === undefined || value.trim() === '') {
      problems.push(`${flag} needs a value, e.g. ${EXAMPLES[option]}.`);
      continue;
    }
    if (option === 'config') configFile = value;
    else if (option === 'timeoutMs')
      values.timeoutMs = /^\d{1,6}$/.test(value.trim()) ? Number(value.trim()) : value;
    else values[option] = value;
  }
  return { values, configFile, problems };
}

const EXAMPLES: Record<keyof RawValues | 'config', string> = {
  url: '--url mms://media.example.org/live',
  errorCode: '--code 0xC00D2EFA',
  expectIp: '--expect-ip 192.0.2.10',
  tier: '--tier moderate',
  timeoutMs: '--timeout 5000',
  knownGoodUrl: '--known-good mms://media.example.org/known-good',
  config: '--config C:\\Support\\stream-doctor.json',
};

const FILE_KEYS: Record<string, keyof RawValues> = {
  url: 'url',
  code: 'errorCode',
  errorCode: 'errorCode',
  expectIp: 'expectIp',
  'expect-ip': 'expectIp',
  tier: 'tier',
  timeoutMs: 'timeoutMs',
  timeout: 'timeoutMs',
  knownGoodUrl: 'knownGoodUrl',
  'known-good': 'knownGoodUrl',
};

/** A config file's JSON: an object of known keys with string (or, for the timeout, number) values. */
export function parseConfigJson(text: string): { values: RawValues; problems: string[] } {
  let data: unknown;
  try {
    data = JSON.parse(text.replace(/^\uFEFF/, ''));
  } catch (error) {
    return {
      values: {},
      problems: [`it is not valid JSON (${error instanceof Error ? error.message : 'parse error'}).`],
    };
  }
  if (typeof data !== 'object' || data === null || Array.isArray(data)) {
    return {
      values: {},
      problems: ['it must hold one JSON object, e.g. {"url": "mms://media.example.org/live"}.'],
    };
  }
  const values: RawValues = {};
  const problems: string[] = [];
  for (const [key, value] of Object.entries(data)) {
    const field = FILE_KEYS[key];
    if (!field) {
      problems.push(
        `unknown setting "${key.slice(0, 40)}" (known: url, code, expectIp, knownGoodUrl, tier, timeoutMs).`,
      );
      continue;
    }
    if (value === null) continue;
    if (typeof value !== 'string' && !(field === 'timeoutMs' && typeof value === 'number')) {
      problems.push(`"${key}" must be text${field === 'timeoutMs' ? ' or a number' : ''}.`);
      continue;
    }
    values[field] =
      field === 'timeoutMs' && typeof value === 'string' && /^\d{1,6}$/.test(value.trim())
        ? Number(value.trim())
        : value;
  }
  return { values, problems };
}

export const EMPTY_PREFILL: StartupPrefill = {
  url: null,
  errorCode: null,
  expectIp: null,
  tier: null,
  timeoutMs: null,
  knownGoodUrl: null,
};

/** Checks each value on its own (so one bad value does not lose the others) and merges it into `prefill`. */
export function applyValues(
  prefill: StartupPrefill,
  values: RawValues,
  source: string,
  validate: InputValidator,
): StartupProblem[] {
  const problems: StartupProblem[] = [];
  const problem = (message: string): void => void problems.push({ source, message });
  // A harmless URL lets the other fields be validated alone.
  const probeUrl = 'mms://stream-doctor.invalid/';
  if (values.url !== undefined) {
    const url = String(values.url);
    const result = validate({ url });
    if (result.ok) prefill.url = url.trim();
    else problem(`url: ${result.message}`);
  }
  if (values.errorCode !== undefined) {
    const code = String(values.errorCode);
    const result = validate({ url: probeUrl, errorCode: code });
    if (result.ok) prefill.errorCode = code.trim();
    else problem(`code: ${result.message}`);
  }
  if (values.expectIp !== undefined) {
    const ip = String(values.expectIp);
    const result = validate({ url: probeUrl, expectIp: ip });
    if (result.ok) prefill.expectIp = ip.trim();
    else problem(`expect-ip: ${result.message}`);
  }
  if (values.tier !== undefined) {
    const tier = TIERS.find((t) => t === String(values.tier).trim().toLowerCase());
    if (tier) prefill.tier = tier;
    else
      problem(`tier: "${String(values.tier).slice(0, 40)}" is not a tier; use simple, moderate or advanced.`);
  }
  if (values.timeoutMs !== undefined) {
    const timeoutMs = typeof values.timeoutMs === 'number' ? values.timeoutMs : Number.NaN;
    const result = validate({ url: probeUrl, timeoutMs });
    if (result.ok) prefill.timeoutMs = timeoutMs;
    else problem(`timeout: ${result.message}`);
  }
  if (values.knownGoodUrl !== undefined) {
    const knownGoodUrl = String(values.knownGoodUrl);
    const result = validate({ url: probeUrl, knownGoodUrl });
    if (result.ok) prefill.knownGoodUrl = knownGoodUrl.trim();
    // The engine's message already begins "Known-good stream:"; the setting's name says the same.
    else problem(`known-good: ${result.message.replace(/^Known-good stream: /, '')}`);
  }
  return problems;
}

export async function loadStartupConfig(sources: StartupSources): Promise<StartupConfig> {
  const prefill: StartupPrefill = { ...EMPTY_PREFILL };
  const used: string[] = [];
  const problems: StartupProblem[] = [];

  const fromFile = async (file: string, label: string, missingIsFine: boolean): Promise<void> => {
    let text: string | null;
    try {
      text = await sources.readFile(file, MAX_CONFIG_BYTES);
    } catch (error) {
      problems.push({ source: label, message: `cannot be read (${describeError(error)}).` });
      return;
    }
    if (text === null) {
      if (!missingIsFine) problems.push({ source: label, message: 'does not exist.' });
      return;
    }
    if (text.length >= MAX_CONFIG_BYTES) {
      problems.push({
        source: label,
        message: `is larger than ${MAX_CONFIG_BYTES / 1024} kB; a start-up file holds a few settings.`,
      });
      return;
    }
    const parsed = parseConfigJson(text);
    problems.push(...parsed.problems.map((message) => ({ source: label, message })));
    problems.push(...applyValues(prefill, parsed.values, label, sources.validate));
    used.push(label);
  };

  // The portable exe unpacks into a temp folder on every start; its own folder is PORTABLE_EXECUTABLE_DIR.
  const portableDir = sources.env.PORTABLE_EXECUTABLE_DIR;
  if (sources.packaged && portableDir && path.isAbsolute(portableDir)) {
    await fromFile(path.join(portableDir, CONFIG_FILE_NAME), `${CONFIG_FILE_NAME} next to the app`, true);
  }
  const args = parseStartupArgs(sources.argv);
  problems.push(...args.problems.map((message) => ({ source: 'command line', message })));
  if (args.configFile !== null)
    await fromFile(path.resolve(args.configFile), `--config ${args.configFile}`, false);
  if (Object.keys(args.values).length > 0) {
    const before = JSON.stringify(prefill);
    problems.push(...applyValues(prefill, args.values, 'command line', sources.validate));
    if (JSON.stringify(prefill) !== before) used.push('command line');
  }
  return { prefill, sources: used, problems };
}

function describeError(error: unknown): string {
  const code = (error as NodeJS.ErrnoException | null)?.code;
  if (code === 'EACCES' || code === 'EPERM') return 'permission denied';
  if (code === 'EISDIR') return 'it is a folder';
  return code ?? (error instanceof Error ? error.message : String(error));
}

// Argument checks for every channel, before a handler touches anything. The renderer is our own code, but
// a compromised page could call the API with anything, so shapes and sizes are checked here, not trusted.
import type {
  ExportRequest,
  HelpTopic,
  InvokeArgs,
  InvokeName,
  OpenInPlayerRequest,
  StartDiagnosisRequest,
} from './contract';

export type ArgCheck<T> = { ok: true; value: T } | { ok: false; message: string };

/** Longer than anything a person pastes on purpose; the engine explains anything shorter. */
export const MAX_INPUT_CHARS = 16_384;
export const MAX_COPY_CHARS = 256 * 1024;
const MAX_ID_CHARS = 200;

const fail = (message: string): { ok: false; message: string } => ({ ok: false, message });

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function onlyKeys(value: Record<string, unknown>, allowed: readonly string[]): string | null {
  const extra = Object.keys(value).find((key) => !allowed.includes(key));
  return extra === undefined ? null : `unexpected field "${extra.slice(0, 40)}"`;
}

function optionalText(value: unknown, name: string, max: number): ArgCheck<string | null> {
  if (value === undefined || value === null) return { ok: true, value: null };
  if (typeof value !== 'string') return fail(`${name} must be text`);
  if (value.length > max) return fail(`${name} is longer than ${max} characters`);
  return { ok: true, value };
}

function id(args: unknown[], name: string): ArgCheck<[string]> {
  const [value] = args;
  if (args.length !== 1 || typeof value !== 'string' || value.length === 0 || value.length > MAX_ID_CHARS) {
    return fail(`expected one ${name}`);
  }
  return { ok: true, value: [value] };
}

function none(args: unknown[]): ArgCheck<[]> {
  return args.length === 0 ? { ok: true, value: [] } : fail('this call takes no arguments');
}

function startRequest(args: unknown[]): ArgCheck<[StartDiagnosisRequest]> {
  const [value] = args;
  if (args.length !== 1 || !isPlainObject(value)) return fail('expected one request object');
  const extra = onlyKeys(value, ['url', 'errorCode', 'expectIp', 'timeoutMs', 'knownGoodUrl']);
  if (extra) return fail(extra);
  if (typeof value.url !== 'string') return fail('url must be text');
  if (value.url.length > MAX_INPUT_CHARS) return fail(`url is longer than ${MAX_INPUT_CHARS} characters`);
  const errorCode = optionalText(value.errorCode, 'errorCode', MAX_INPUT_CHARS);
  if (!errorCode.ok) return errorCode;
  const expectIp = optionalText(value.expectIp, 'expectIp', MAX_INPUT_CHARS);
  if (!expectIp.ok) return expectIp;
  const knownGoodUrl = optionalText(value.knownGoodUrl, 'knownGoodUrl', MAX_INPUT_CHARS);
  if (!knownGoodUrl.ok) return knownGoodUrl;
  const request: StartDiagnosisRequest = {
    url: value.url,
    errorCode: errorCode.value,
    expectIp: expectIp.value,
  };
  if (value.timeoutMs !== undefined && value.timeoutMs !== null) {
    if (typeof value.timeoutMs !== 'number' || !Number.isFinite(value.timeoutMs))
      return fail('timeoutMs must be a number');
    request.timeoutMs = value.timeoutMs;
  }
  if (knownGoodUrl.value !== null) request.knownGoodUrl = knownGoodUrl.value;
  return { ok: true, value: [request] };
}

function exportRequest(args: unknown[]): ArgCheck<[ExportRequest]> {
  const [value] = args;
  if (args.length !== 1 || !isPlainObject(value)) return fail('expected one export request');
  const extra = onlyKeys(value, ['runId', 'format']);
  if (extra) return fail(extra);
  const runId = id([value.runId], 'run id');
  if (!runId.ok) return runId;
  if (value.format !== 'html' && value.format !== 'json') return fail('format must be "html" or "json"');
  return { ok: true, value: [{ runId: runId.value[0], format: value.format }] };
}

function copyText(args: unknown[]): ArgCheck<[string]> {
  const [value] = args;
  if (args.length !== 1 || typeof value !== 'string') return fail('expected one text');
  if (value.length === 0 || value.length > MAX_COPY_CHARS)
    return fail(`the text must be 1 to ${MAX_COPY_CHARS} characters`);
  return { ok: true, value: [value] };
}

function playerRequest(args: unknown[]): ArgCheck<[OpenInPlayerRequest]> {
  const [value] = args;
  if (args.length !== 1 || !isPlainObject(value)) return fail('expected one request object');
  const extra = onlyKeys(value, ['player', 'url']);
  if (extra) return fail(extra);
  if (value.player !== 'wmp' && value.player !== 'vlc') return fail('player must be "wmp" or "vlc"');
  if (typeof value.url !== 'string' || value.url.length === 0 || value.url.length > 4096)
    return fail('url must be text');
  return { ok: true, value: [{ player: value.player, url: value.url }] };
}

const HELP_TOPICS: readonly HelpTopic[] = ['protocols', 'windows-firewall', 'vlc', 'wmp-help'];

function helpTopic(args: unknown[]): ArgCheck<[HelpTopic]> {
  const [value] = args;
  const topic = HELP_TOPICS.find((t) => t === value);
  return args.length === 1 && topic ? { ok: true, value: [topic] } : fail('unknown help topic');
}

export const ARGUMENT_CHECKS: { readonly [K in InvokeName]: (args: unknown[]) => ArgCheck<InvokeArgs<K>> } = {
  startDiagnosis: startRequest,
  cancelDiagnosis: (args) => id(args, 'run id'),
  listFixes: (args) => id(args, 'run id'),
  previewFix: (args) => id(args, 'fix id'),
  applyFix: (args) => id(args, 'fix id'),
  undoFix: (args) => id(args, 'fix id'),
  listAppliedChanges: none,
  undoAppliedChange: (args) => id(args, 'change id'),
  exportReport: exportRequest,
  getReport: (args) => id(args, 'run id'),
  copyText,
  copySummary: (args) => id(args, 'run id'),
  detectPlayers: none,
  openInPlayer: playerRequest,
  openHelp: helpTopic,
  getStartupConfig: none,
  saveSupportBundle: (args) => id(args, 'run id'),
  showSavedBundle: (args) => id(args, 'bundle id'),
  openReportOrBundle: none,
  runSelfTest: none,
};

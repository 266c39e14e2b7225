// `inspect` as a pure function: bytes a remote user saved → what they are (kind, encoding), whether the
// listing is the whole picture, what was listed, and the same findings the local checks give. Nothing is
// concluded from content that is none of the supported outputs.
import type { Check } from '../diagnosis/types';
import {
  firewallClientCheck,
  firewallServerCheck,
  firewallStateCheck,
  portOwnersCheck,
  wmserverCheck,
  type CommandOutcome,
  type WindowsSnapshot,
} from './checks';
import { codePageEncoding, decodeGuessing, decodeOutput, plausibility, type DecodedText } from './decode';
import { findMessages, MESSAGES, SC_ERRORS, type FoundMessage, type MessageId } from './detect-messages';
import {
  BINARY_SHARE,
  binaryShare,
  bestKind,
  describeLookalike,
  INSPECT_KINDS,
  isKindPresent,
  KIND_COMMANDS,
  KIND_NAMES,
  scoreKinds,
  withoutControls,
  type InspectKind,
  type KindScores,
} from './detect';
import { parseNetshProfiles } from './netsh-profiles';
import { parseNetshRules, splitField, splitLines, type FirewallRule } from './netsh-rules';
import { ruleFieldOfLabel } from './netsh-words';
import { parseNetstat } from './netstat';
import { parseSc, PROMPT, type ScResult } from './sc';
import { parseTasklistCsv } from './tasklist';

export { INSPECT_KINDS, type InspectKind };

export const INSPECT_SCHEMA_VERSION = 1;

const BINARY_PROBE_BYTES = 65536;

/** OEM code pages first (a console writing to a file), then the ANSI ones (an editor re-saving it). */
export const GUESSED_CODE_PAGES = [850, 437, 852, 866, 936, 932, 949, 950, 1252, 1250, 1251];

export interface InspectOptions {
  /** `--kind`: the kind to read the content as; it must still show that kind. */
  kind?: InspectKind | null;
  /** `--dir`: the direction of `show rule … dir=in|out`. */
  direction?: 'in' | 'out' | null;
  /** `--codepage`: decode with this code page instead of guessing. */
  codePage?: number | null;
}

export interface InspectMessage {
  id: MessageId;
  line: string;
  meaning: string;
}

export interface InspectResult {
  schemaVersion: typeof INSPECT_SCHEMA_VERSION;
  /** null: the content is none of the supported outputs. */
  kind: InspectKind | null;
  /** When `kind` is null: what the content looks like instead. */
  looksLike: string | null;
  encoding: string;
  /** False for one named rule, a filtered, cut or message-only output: conclusions are about what is shown. */
  complete: boolean;
  /** Why the listing is not complete (empty when it is). */
  incomplete: string[];
  /** The command that gives the full picture. */
  fullCommand: string | null;
  /** The command lines the capture shows (a pasted transcript). */
  commands: string[];
  /** What was listed: rules, profiles, services, sockets or processes, as parsed. */
  items: unknown[];
  findings: Check[];
  /** Known messages the output holds, as printed. */
  messages: InspectMessage[];
  /** Labels and words the word tables do not know (a language not covered yet). */
  unknownWords: string[];
}

// ------------------------------------------------------------------------------------------- decoding

/** Known labels weigh most; plausible words break ties between code pages of the same language family. */
function encodingScore(text: string): number {
  const lines = splitLines(text);
  const kinds = scoreKinds(lines, findMessages(lines));
  const labels = INSPECT_KINDS.reduce((sum, kind) => sum + kinds[kind], 0);
  return labels * 4 + plausibility(text);
}

export function decodeSavedOutput(bytes: Uint8Array, codePage: number | null): DecodedText {
  return codePage !== null
    ? decodeOutput(bytes, codePage)
    : decodeGuessing(bytes, GUESSED_CODE_PAGES, encodingScore);
}

// ---------------------------------------------------------------------------------------- transcripts

const SHOWN_COMMAND =
  /^\s*(?:\[[*+!-]\]\s+)?(?:PS [^>]*>|[A-Za-z]:\\[^>]*>|\$)?\s*((?:cmd(?:\.exe)? \/c\s+"?)?(?:netsh|sc|netstat|tasklist)(?:\.exe)?\s.*)$/i;

/** The command lines a pasted transcript shows (the prompt removed). */
function shownCommands(lines: readonly string[]): string[] {
  const commands: string[] = [];
  for (const line of lines.slice(0, 4000)) {
    const match = SHOWN_COMMAND.exec(line);
    if (
      match?.[1] &&
      (PROMPT.test(line) || /^\s*(\$|(?:netsh|sc|netstat|tasklist)(?:\.exe)?\s)/i.test(line))
    ) {
      commands.push(match[1].trim().slice(0, 300));
    }
  }
  return commands;
}

const PIPE_FILTER =
  /\|\s*(findstr|find|select-string|sls|where-object|where|\?|more|select-object|head|tail)\b/i;

// -------------------------------------------------------------------------------------- completeness

interface Completeness {
  reasons: string[];
  /** The listing holds rules of one direction only (from `dir=` or from what is listed). */
  directions: ReadonlySet<'in' | 'out'>;
}

function ruleNameQuery(command: string): string | null {
  const match = /\bname=("([^"]*)"|(\S+))/i.exec(command);
  return match ? (match[2] ?? match[3] ?? null) : null;
}

function rulesCompleteness(
  rules: readonly FirewallRule[],
  lines: readonly string[],
  commands: readonly string[],
  messages: readonly FoundMessage[],
  direction: 'in' | 'out' | null,
): Completeness {
  const reasons: string[] = [];
  const shows = commands.filter((command) => /\bshow\s+rule\b/i.test(command));
  const directions = new Set<'in' | 'out'>(['in', 'out']);
  for (const command of shows) {
    const name = ruleNameQuery(command);
    if (name !== null && name.toLowerCase() !== 'all') reasons.push(`only the rules named "${name}"`);
    if (PIPE_FILTER.test(command)) reasons.push('filtered by a pipe');
    const dir = /\bdir=(in|out)\b/i.exec(command)?.[1]?.toLowerCase();
    if (dir === 'in' || dir === 'out') directions.delete(dir === 'in' ? 'out' : 'in');
  }
  if (direction !== null) directions.delete(direction === 'in' ? 'out' : 'in');
  const names = new Set(rules.map((rule) => rule.name.toLowerCase()));
  if (shows.length === 0 && rules.length > 0 && names.size === 1) {
    // Every Windows ships hundreds of rules: one name throughout is the answer to `show rule name=<it>`.
    reasons.push(`only the rules named "${rules[0]?.name ?? ''}"`);
  }
  const ruleLabels = (rules.length > 0 ? [] : lines).filter((line) => {
    const field = splitField(line.replace(/^\s*(?:\[[*+!-]\]\s+)?/, ''));
    return field !== null && ruleFieldOfLabel(field.label) !== null;
  }).length;
  if (rules.length === 0 && ruleLabels > 0 && !messages.some((m) => m.id === 'netsh-no-rules')) {
    reasons.push('rule lines without their blocks (a findstr-filtered listing)');
  }
  const last = rules.at(-1);
  const fewest = Math.min(...rules.slice(0, -1).map((rule) => rule.fields.length));
  const lastIsShort = rules.length === 1 || (last !== undefined && last.fields.length < fewest);
  if (
    last &&
    last.action === null &&
    lastIsShort &&
    !last.fields.some((f) => ruleFieldOfLabel(f.label) === 'action')
  ) {
    reasons.push('it ends in the middle of a rule (the output was cut)');
  }
  if (rules.some((rule) => rule.enabled === null && rule.direction === null && rule.action === null)) {
    reasons.push('rules without their Enabled, Direction and Action lines (a filtered listing)');
  }
  if (rules.length === 0 && messages.length === 0) reasons.push('no rule is listed');
  for (const message of messages) {
    if (message.id === 'netsh-no-rules') reasons.push(`netsh answered "${message.line}"`);
    if (message.id === 'netsh-updated' || message.id === 'netsh-deleted') {
      if (rules.length === 0) reasons.push(`it is the answer of a change ("${message.line}"), not a listing`);
    }
    if (MESSAGES[message.id].status === 'error') reasons.push(`netsh answered "${message.line}"`);
  }
  return { reasons: [...new Set(reasons)], directions };
}

// --------------------------------------------------------------------------------------------- kinds

interface KindReading {
  items: unknown[];
  findings: Check[];
  reasons: string[];
  unknownWords: string[];
  fullCommand: string;
}

interface KindInput {
  text: string;
  lines: string[];
  commands: string[];
  messages: FoundMessage[];
  direction: 'in' | 'out' | null;
}

const fromFile = <T>(value: T, partial: readonly string[]): CommandOutcome<T> => {
  const outcome: CommandOutcome<T> = { command: 'the file', value, error: null };
  if (partial.length > 0) outcome.partial = partial.join('; ');
  return outcome;
};

function messageFindings(messages: readonly FoundMessage[], kind: InspectKind): Check[] {
  return messages
    .filter((message) => MESSAGES[message.id].status !== 'pass')
    .map((message) => {
      const definition = MESSAGES[message.id];
      const scError = /FAILED\s+(\d+)/i.exec(message.line)?.[1];
      const meaning = scError ? (SC_ERRORS[Number(scError)] ?? 'a Windows error') : definition.meaning;
      return {
        id: `inspect.message.${message.id}`,
        tier: 'moderate',
        title: 'What the command answered',
        status: definition.status,
        summary: `"${message.line}" — ${meaning}.`,
        command: KIND_COMMANDS[kind],
      } satisfies Check;
    });
}

function readRules(input: KindInput): KindReading {
  const { rules, unknownLabels, unknownWords } = parseNetshRules(
    input.text,
    input.direction ? { direction: input.direction } : {},
  );
  const { reasons, directions } = rulesCompleteness(
    rules,
    input.lines,
    input.commands,
    input.messages,
    input.direction,
  );
  const findings: Check[] = [];
  const snapshot: WindowsSnapshot = { rules: fromFile(rules, reasons) };
  const listsRules = rules.length > 0 || input.messages.some((m) => m.id === 'netsh-no-rules');
  if (listsRules) {
    // A listing of one direction says nothing about the other: no conclusion is drawn for it.
    findings.push(
      directions.has('out')
        ? firewallClientCheck(snapshot)
        : notShown(firewallClientCheck(snapshot), 'outbound', 'out'),
      directions.has('in')
        ? firewallServerCheck(snapshot)
        : notShown(firewallServerCheck(snapshot), 'inbound', 'in'),
    );
  }
  findings.push(...messageFindings(input.messages, 'netsh-rules'));
  const unshown =
    directions.size === 1 ? [`${directions.has('in') ? 'inbound' : 'outbound'} rules only`] : [];
  return {
    items: rules,
    findings,
    reasons: [...reasons, ...unshown],
    unknownWords: [...unknownLabels, ...unknownWords],
    fullCommand: KIND_COMMANDS['netsh-rules'],
  };
}

function notShown(check: Check, which: string, dir: 'in' | 'out'): Check {
  return {
    ...check,
    status: 'skip',
    summary: `This listing holds no ${which} rules, so it tells nothing here. Run: netsh advfirewall firewall show rule name=all dir=${dir} verbose`,
    evidence: undefined,
  };
}

function readProfiles(input: KindInput): KindReading {
  const profiles = parseNetshProfiles(input.text);
  const known = profiles.filter((profile) => profile.profile !== null);
  const reasons: string[] = [];
  const findings: Check[] = messageFindings(input.messages, 'netsh-profiles');
  if (known.length > 0) {
    if (known.length < 3) {
      reasons.push(`${known.length} of the 3 profiles (\`show currentprofile\` prints only the active one)`);
    }
    findings.unshift(firewallStateCheck({ profiles: fromFile(profiles, reasons) }));
  } else if (findings.length === 0) {
    // Profile settings were recognised, yet no block could be read: say that, not "the service may be stopped".
    findings.push({
      id: 'inspect.netsh-profiles.unreadable',
      tier: 'moderate',
      title: 'Windows Firewall state and defaults',
      status: 'error',
      summary:
        'This looks like profile settings of netsh, but no profile could be read from it (an unknown language or layout).',
      command: KIND_COMMANDS['netsh-profiles'],
    });
    reasons.push('no profile could be read');
  }
  if (input.messages.some((message) => MESSAGES[message.id].status === 'error'))
    reasons.push('netsh listed nothing');
  return {
    items: profiles,
    findings,
    reasons,
    unknownWords: [],
    fullCommand: KIND_COMMANDS['netsh-profiles'],
  };
}

function readSc(input: KindInput): KindReading {
  const result: ScResult = parseSc(input.text);
  const findings: Check[] = messageFindings(input.messages, 'sc');
  const wmserver = result.services.filter((service) => service.name.toLowerCase() === 'wmserver');
  const isWmserverQuery = input.commands.some((command) => /\bwmserver\b/i.test(command));
  if (wmserver.length > 0 || (result.notInstalled && isWmserverQuery)) {
    const query: ScResult = { ...result, services: wmserver.filter((s) => s.state !== null) };
    const config: ScResult = { ...result, services: wmserver.filter((s) => s.startType !== null) };
    if (query.services.length === 0 && config.services.length > 0) query.services = config.services;
    findings.unshift(wmserverCheck({ wmserver: fromFile({ query, config }, []) }));
  } else if (result.services.length > 0) {
    findings.push({
      id: 'inspect.sc.other-service',
      tier: 'advanced',
      title: 'Windows Media Services (WMServer)',
      status: 'skip',
      summary: `This output is about ${result.services.map((service) => service.name).join(', ')}, not Windows Media Services: it says nothing about streaming.`,
      command: KIND_COMMANDS.sc,
    });
  }
  return { items: result.services, findings, reasons: [], unknownWords: [], fullCommand: KIND_COMMANDS.sc };
}

function readNetstat(input: KindInput): KindReading {
  const sockets = parseNetstat(input.text);
  const reasons: string[] = [];
  if (input.commands.some((command) => PIPE_FILTER.test(command))) reasons.push('filtered by a pipe');
  else if (!input.lines.some((line) => /\bProto\b|协议/.test(line))) {
    reasons.push('rows without the header netstat prints (a filtered or cut listing)');
  }
  const findings = [portOwnersCheck({ sockets: fromFile(sockets, reasons) })];
  return { items: sockets, findings, reasons, unknownWords: [], fullCommand: KIND_COMMANDS.netstat };
}

function readTasklist(input: KindInput): KindReading {
  const processes = parseTasklistCsv(input.text);
  const reasons = processes.some((process) => !process.complete) ? ['the last row is cut'] : [];
  return {
    items: processes,
    findings: messageFindings(input.messages, 'tasklist'),
    reasons,
    unknownWords: [],
    fullCommand: KIND_COMMANDS.tasklist,
  };
}

const READERS: Record<InspectKind, (input: KindInput) => KindReading> = {
  'netsh-rules': readRules,
  'netsh-profiles': readProfiles,
  sc: readSc,
  netstat: readNetstat,
  tasklist: readTasklist,
};

// ------------------------------------------------------------------------------------------- inspect

function notRecognised(
  decoded: DecodedText,
  lines: readonly string[],
  scores: KindScores,
  expected: InspectKind | null,
): InspectResult {
  const other = bestKind(scores);
  const looksLike =
    other !== null ? `the output of ${KIND_NAMES[other]}` : describeLookalike(lines, decoded.text);
  return {
    schemaVersion: INSPECT_SCHEMA_VERSION,
    kind: null,
    looksLike,
    encoding: decoded.encoding,
    complete: false,
    incomplete: [expected ? `not the output of ${KIND_NAMES[expected]}` : 'none of the supported outputs'],
    fullCommand: null,
    commands: [],
    items: [],
    findings: [],
    messages: [],
    unknownWords: [],
  };
}

export function inspectBytes(bytes: Uint8Array, options: InspectOptions = {}): InspectResult {
  const codePage = options.codePage ?? null;
  if (codePage !== null && codePageEncoding(codePage) === null) {
    throw new RangeError(`code page ${codePage} is not supported`);
  }
  // Binary data is told by its head, before megabytes of it are decoded, scanned and copied.
  const head = decodeOutput(bytes.subarray(0, BINARY_PROBE_BYTES), codePage);
  if (binaryShare(head.text) > BINARY_SHARE) {
    const lines = splitLines(head.text);
    return notRecognised(
      { text: head.text, encoding: 'binary' },
      lines,
      scoreKinds(lines, []),
      options.kind ?? null,
    );
  }
  const decoded = decodeSavedOutput(bytes, codePage);
  return inspectText(decoded, options);
}

export function inspectText(decoded: DecodedText, options: InspectOptions = {}): InspectResult {
  const text = withoutControls(decoded.text);
  const lines = splitLines(text);
  const messages = findMessages(lines);
  const scores = scoreKinds(lines, messages);
  const expected = options.kind ?? null;
  const kind = expected !== null ? (isKindPresent(scores, expected) ? expected : null) : bestKind(scores);
  // Binary data can hold a stray label-like line; it is still not a console output.
  if (kind === null || describeLookalike(lines, decoded.text).startsWith('binary')) {
    return notRecognised(decoded, lines, scores, expected);
  }
  const commands = shownCommands(lines);
  const reading = READERS[kind]({ text, lines, commands, messages, direction: options.direction ?? null });
  return {
    schemaVersion: INSPECT_SCHEMA_VERSION,
    kind,
    looksLike: null,
    encoding: decoded.encoding,
    complete: reading.reasons.length === 0,
    incomplete: reading.reasons,
    fullCommand: reading.reasons.length > 0 ? reading.fullCommand : null,
    commands,
    items: reading.items,
    findings: reading.findings,
    messages: messages.map((message) => ({
      id: message.id,
      line: message.line,
      meaning: MESSAGES[message.id].meaning,
    })),
    unknownWords: reading.unknownWords,
  };
}

export const INSPECT_EXIT = { clear: 0, inTheWay: 1, badInput: 2 } as const;

/** As `diagnose`: 0 nothing in the way, 1 something in the way (or a command that failed), 2 bad input. */
export function inspectExitCode(result: InspectResult): number {
  if (result.kind === null) return INSPECT_EXIT.badInput;
  return result.findings.some((finding) => finding.status === 'fail' || finding.status === 'error')
    ? INSPECT_EXIT.inTheWay
    : INSPECT_EXIT.clear;
}

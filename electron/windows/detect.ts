// What a saved output is, from its content alone: each supported kind scores the lines that only its command
// prints (netsh labels through the word tables of netsh-words.ts, so a new language counts at once; sc's
// upper-case constants; netstat rows; tasklist CSV rows; the known messages). Content that scores for no
// kind is named for what it looks like (ipconfig, a PowerShell table, JSON, binary data…), never analysed.
import { MESSAGES, type FoundMessage } from './detect-messages';
import { splitField } from './netsh-rules';
import {
  actionWord,
  directionWord,
  firewallStateWord,
  isAnyWord,
  profileKeyOf,
  profileOfHeader,
  profileWord,
  ruleFieldOfLabel,
  yesNo,
} from './netsh-words';
import { splitEndpoint } from './netstat';

export const INSPECT_KINDS = ['netsh-rules', 'netsh-profiles', 'sc', 'netstat', 'tasklist'] as const;
export type InspectKind = (typeof INSPECT_KINDS)[number];

/** The command behind each kind, as an IT person would type it for the full picture. */
export const KIND_COMMANDS: Record<InspectKind, string> = {
  'netsh-rules': 'netsh advfirewall firewall show rule name=all verbose',
  'netsh-profiles': 'netsh advfirewall show allprofiles',
  sc: 'sc query WMServer   and   sc qc WMServer',
  netstat: 'netstat -ano',
  tasklist: 'tasklist /FO CSV /NH',
};

export const KIND_NAMES: Record<InspectKind, string> = {
  'netsh-rules': '`netsh advfirewall firewall show rule`',
  'netsh-profiles': '`netsh advfirewall show allprofiles` or `show currentprofile`',
  sc: '`sc query` / `sc qc`',
  netstat: '`netstat -ano`',
  tasklist: '`tasklist /FO CSV`',
};

// ------------------------------------------------------------------------------------------- clean text

// CSI and OSC escape sequences as a whole, then every other control character but tab and line breaks;
// bidirectional overrides too, so a rule name cannot reorder what the terminal shows.
// eslint-disable-next-line no-control-regex -- matching control characters is the point
const ESCAPE_SEQUENCES = /\u001b\[[0-?]*[ -/]*[@-~]|\u001b\][^\u0007\u001b]*(?:\u0007|\u001b\\)?/g;
// eslint-disable-next-line no-control-regex -- as above
const CONTROLS = /[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f-\u009f\u202a-\u202e\u2066-\u2069]/g;

/** Text from a file is data: no control character or escape sequence reaches the output. */
export function withoutControls(text: string): string {
  return text.replace(ESCAPE_SEQUENCES, '').replace(CONTROLS, '');
}

/** Above this share of control characters or undecodable bytes, content is binary data. */
export const BINARY_SHARE = 0.05;

/** How much of `text` is control characters or undecodable bytes: binary data, not a console output. */
export function binaryShare(text: string): number {
  if (text.length === 0) return 0;
  const sample = text.slice(0, 65536);
  // eslint-disable-next-line no-control-regex -- counting control characters is the point
  const bad = sample.match(/[\u0000-\u0008\u000e-\u001f\ufffd]/g)?.length ?? 0;
  return bad / sample.length;
}

// ---------------------------------------------------------------------------------------------- scoring

/** Lines looked at for detection: enough for any real output's head, cheap for a 64 MB one. */
const SCANNED_LINES = 4000;

const CAPTURE_PREFIX = /^\s*(?:\[[*+!-]\]\s+)?/;
// Keys netsh leaves in English in every language seen; the translated ones come from the word table.
const PROFILE_KEYS = new Set(
  [
    'LocalFirewallRules',
    'LocalConSecRules',
    'InboundUserNotification',
    'RemoteManagement',
    'UnicastResponseToMulticast',
    'LogAllowedConnections',
    'LogDroppedConnections',
    'FileName',
    'MaxFileSize',
  ].map((key) => key.toLowerCase()),
);
const PROFILE_SETTING = /^(\S.*?)[ \t\u3000]{2,}(\S.*?)\s*$/u;
const POLICY_VALUE = /^(BlockInboundAlways|BlockInbound|AllowInbound),(BlockOutbound|AllowOutbound)$/i;
const SC_NUMBERED = /^\s*[A-Z_]+\s*:\s*\d+\s+[A-Z_]{4,}/;
const SC_SERVICE_NAME = /^\s*SERVICE_NAME\s*:\s*\S/;
const NETSTAT_ROW = /^\s*(TCP|UDP)\s+(\S+)\s+(\S+)\s+(?:\S+\s+)?\d+\s*$/i;
const TASKLIST_ROW = /^"[^"]+","\d+","[^"]*","\d+","[^"]*"\s*$/;

export type KindScores = Record<InspectKind, number>;

const isKnownValueWord = (word: string): boolean =>
  yesNo(word) !== null ||
  directionWord(word) !== null ||
  actionWord(word) !== null ||
  profileWord(word) !== null ||
  isAnyWord(word);

// A transcript's command line tips the balance between kinds; alone it is not enough to recognise one.
const COMMAND_LINES: readonly [RegExp, InspectKind][] = [
  [/\badvfirewall\s+firewall\s+(show|set|add|delete)\s+rule\b/i, 'netsh-rules'],
  [/\badvfirewall\s+show\s+(all|current|domain|private|public)profiles?\b/i, 'netsh-profiles'],
  [/\bsc(\.exe)?\s+(query|queryex|qc|start|stop|config)\s/i, 'sc'],
  [/\bnetstat(\.exe)?\s+-/i, 'netstat'],
  [/\btasklist(\.exe)?\b/i, 'tasklist'],
];

/** No console program prints a line this long; longer ones are not scored (and cost no regex time). */
const MAX_SCORED_LINE = 2048;

function scoreLine(line: string, scores: KindScores): void {
  if (line.length > MAX_SCORED_LINE) return;
  const bare = line.replace(CAPTURE_PREFIX, '');
  if (bare === '') return;
  const field = splitField(bare);
  if (field && ruleFieldOfLabel(field.label) !== null) {
    scores['netsh-rules'] += 1;
    // Known value words count too: they are what tells one code page of a language from another.
    if (field.value !== '' && field.value.split(',').every(isKnownValueWord)) scores['netsh-rules'] += 0.5;
  }
  for (const [pattern, kind] of COMMAND_LINES) if (pattern.test(bare)) scores[kind] += 1;
  const trimmed = bare.trimEnd();
  if (/[:：]$/u.test(trimmed) && profileOfHeader(trimmed.slice(0, -1)) !== null && /\S\s/.test(trimmed)) {
    scores['netsh-profiles'] += 2;
  }
  const setting = PROFILE_SETTING.exec(bare);
  if (setting) {
    const [, key = '', value = ''] = setting;
    if (POLICY_VALUE.test(value)) scores['netsh-profiles'] += 3;
    else if (PROFILE_KEYS.has(key.toLowerCase()) || profileKeyOf(key) !== null) scores['netsh-profiles'] += 1;
    else if (firewallStateWord(value) !== null && key.length < 20) scores['netsh-profiles'] += 0.5;
  }
  if (SC_SERVICE_NAME.test(bare)) scores.sc += 2;
  else if (SC_NUMBERED.test(bare)) scores.sc += 1;
  const row = NETSTAT_ROW.exec(bare);
  if (row && splitEndpoint(row[2] ?? '') !== null) scores.netstat += 1;
  if (TASKLIST_ROW.test(bare)) scores.tasklist += 1;
}

const MESSAGE_WEIGHT = 3;

function scoreMessages(messages: readonly FoundMessage[], scores: KindScores): void {
  for (const message of messages) {
    const family = MESSAGES[message.id].family;
    if (family === 'netsh') {
      // Either netsh command prints these; a tie goes to the rules, the command line breaks it.
      scores['netsh-rules'] += MESSAGE_WEIGHT;
      scores['netsh-profiles'] += MESSAGE_WEIGHT;
    } else {
      scores[family] += MESSAGE_WEIGHT;
    }
  }
}

export function emptyScores(): KindScores {
  return { 'netsh-rules': 0, 'netsh-profiles': 0, sc: 0, netstat: 0, tasklist: 0 };
}

/** Evidence of each kind in the first lines of `lines`. */
export function scoreKinds(lines: readonly string[], messages: readonly FoundMessage[]): KindScores {
  const scores = emptyScores();
  const end = Math.min(lines.length, SCANNED_LINES);
  for (let i = 0; i < end; i++) scoreLine(lines[i] ?? '', scores);
  scoreMessages(
    messages.filter((message) => message.lineIndex < end),
    scores,
  );
  return scores;
}

/** Below this, nothing was recognised: two evidence lines, or one known message. */
const MIN_SCORE = 2;

export function bestKind(scores: KindScores): InspectKind | null {
  let best: InspectKind | null = null;
  for (const kind of INSPECT_KINDS) {
    if (scores[kind] >= MIN_SCORE && (best === null || scores[kind] > scores[best])) best = kind;
  }
  return best;
}

export function isKindPresent(scores: KindScores, kind: InspectKind): boolean {
  return scores[kind] >= MIN_SCORE;
}

// ------------------------------------------------------------------------------------- what else it is

interface Lookalike {
  description: string;
  test(lines: readonly string[], text: string): boolean;
}

const someLine = (lines: readonly string[], pattern: RegExp, count = 1): boolean =>
  lines.slice(0, 400).filter((line) => pattern.test(line)).length >= count;

// Ordered: the first that fits names the content.
const LOOKALIKES: readonly Lookalike[] = [
  { description: 'an empty file', test: (_lines, text) => text.trim() === '' },
  { description: 'binary data, not text', test: (_lines, text) => binaryShare(text) > BINARY_SHARE },
  {
    description: 'the output of ipconfig',
    test: (lines) => someLine(lines, /^\s*Windows IP/) || someLine(lines, /(\. ){4,}.*:/, 2),
  },
  {
    description: 'a PowerShell table (Format-Table), not the output of a console command',
    test: (lines) => someLine(lines, /^\s*-{2,}(?:\s+-{2,})+\s*$/),
  },
  {
    description: 'a PowerShell list (Format-List)',
    test: (lines) => someLine(lines, /^[A-Za-z][\w ]{0,30}\S\s+: /, 3),
  },
  { description: 'JSON', test: (_lines, text) => /^\s*[[{]/.test(text) && /[\]}]\s*$/.test(text) },
  {
    description: 'an HTML or XML document',
    test: (_lines, text) => /^\s*<(!doctype|html|\?xml|\w+)/i.test(text),
  },
];

/** What content that is none of the supported outputs looks like. */
export function describeLookalike(lines: readonly string[], text: string): string {
  return LOOKALIKES.find((lookalike) => lookalike.test(lines, text))?.description ?? 'plain text';
}

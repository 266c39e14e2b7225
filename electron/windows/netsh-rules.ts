// Parser for `netsh advfirewall firewall show rule name=… [dir=in|out] [verbose]` in any display language
// (docs/windows-commands.md §1, §2, §11). It works from the structure, not the words: a block is the line before
// a 70-dash separator (the rule name) plus the `label: value` lines after it, split at the first colon
// (`:`, French ` :`, full-width `：`). Labels and values are then looked up in the word table; what is not in
// it stays unknown (null), never guessed. It never throws, and "No rules match" is just zero rules.
import {
  actionWord,
  directionWord,
  isAnyWord,
  normalizeWord,
  profileWord,
  ruleFieldOfLabel,
  yesNo,
  type ProfileWord,
  type RuleAction,
  type RuleField,
} from './netsh-words';

export interface RuleLine {
  label: string;
  value: string;
}

export interface FirewallRule {
  name: string;
  enabled: boolean | null;
  direction: 'in' | 'out' | null;
  /** The recognised profiles; "Any" becomes all three. */
  profiles: ProfileWord[];
  /** False when the Profiles value had a word the table does not know. */
  profilesComplete: boolean;
  /** "TCP", "UDP", "ICMPv4", "ICMPv6", "Any", or a protocol number as written; null when not printed. */
  protocol: string | null;
  /** Port list as written (["80", "1755-1760"], ["Any"], ["RPC"]); [] when netsh printed no port line. */
  localPorts: string[];
  remotePorts: string[];
  localAddresses: string[];
  remoteAddresses: string[];
  /** Program path as written, null for none or "Any". */
  program: string | null;
  service: string | null;
  action: RuleAction | null;
  grouping: string | null;
  description: string | null;
  edgeTraversal: string | null;
  /** Rows of the ICMP sub-table printed under Protocol. */
  icmpTypes: { type: string; code: string }[];
  /**
   * True when the output shows the rule's program and service conditions (`verbose`, or PowerShell with
   * its filters). Without `verbose`, netsh prints no Program line even for a program rule.
   */
  detailed: boolean;
  /** Every label/value pair as printed, in order (the name line first). */
  fields: RuleLine[];
}

export interface NetshRulesResult {
  rules: FirewallRule[];
  /** Labels that the word table does not know (a language not yet covered), each once. */
  unknownLabels: string[];
  /**
   * Value words the table does not know (Yes/No, In/Out, Allow/Block, profiles, protocol, port or address
   * keywords), each once. The fields they stood in stay unknown (null, or kept as written in a list).
   */
  unknownWords: string[];
}

export interface NetshRulesOptions {
  /** The `dir=` of the query that produced the output: locale-independent, so it wins over the word. */
  direction?: 'in' | 'out';
}

const SEPARATOR = /^(.{0,40}?)-{60,}\s*$/;
const ICMP_ROW = /^\s*(\S+)\s+(\S+)\s*$/;
const PROTOCOL_SHAPE = /^(tcp|udp|icmpv4|icmpv6)$/i;
const PATH_SHAPE = /^([a-z]:\\|%[a-z_]+%\\|\\\\)/i;

/** String.prototype.trim also removes the ideographic space U+3000 and NBSP (both are Unicode Zs). */
export function trimValue(text: string): string {
  return text.trim();
}

/**
 * Removes a prefix that the capture added to every line (a markdown indent, "[*]   " of an audit script).
 * The separator line shows it. Lines whose prefix differs only in punctuation ("[+] " vs "[*] ") lose it too.
 */
export function stripLinePrefix(line: string, prefix: string): string {
  if (prefix === '') return line;
  if (line.startsWith(prefix)) return line.slice(prefix.length);
  const head = line.slice(0, prefix.length);
  if (
    prefix.trim() !== '' &&
    head.length === prefix.length &&
    /\s$/.test(head) &&
    !/[\p{L}\p{N}]/u.test(head)
  ) {
    return line.slice(prefix.length);
  }
  return line;
}

export interface SeparatedBlock {
  /** The line before the separator (the rule name or profile header), prefix removed. */
  title: string;
  /** The lines after the separator up to the next block's title line, prefix removed. */
  lines: string[];
}

/** Lines of console output, CRLF or LF (or lone CR); a trailing CR is left for trim to remove. */
export function splitLines(text: string): string[] {
  return text.includes('\n') ? text.split('\n') : text.split('\r');
}

/** A block as positions in the output's lines: no copy, for 5,000-rule outputs. */
interface BlockRange {
  title: string;
  lines: readonly string[];
  /** First line after the separator, and the end (exclusive: the next block's title line). */
  start: number;
  end: number;
  prefix: string;
}

function blockRanges(text: string): BlockRange[] {
  const lines = splitLines(text);
  const separators: { index: number; prefix: string }[] = [];
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i] ?? '';
    if (line.length < 60 || !line.includes('-----')) continue;
    const match = SEPARATOR.exec(line);
    if (match) separators.push({ index: i, prefix: match[1] ?? '' });
  }
  return separators.map((separator, n) => {
    const next = separators[n + 1];
    const previous = separators[n - 1];
    const hasTitle = separator.index > 0 && (previous === undefined || previous.index < separator.index - 1);
    const title = hasTitle
      ? stripLinePrefix(lines[separator.index - 1] ?? '', separator.prefix).trimEnd()
      : '';
    return {
      title,
      lines,
      start: separator.index + 1,
      end: next ? next.index - 1 : lines.length,
      prefix: separator.prefix,
    };
  });
}

/** Splits netsh output into blocks at its 70-dash separator lines (≥60 accepted). */
export function splitSeparatedBlocks(text: string): SeparatedBlock[] {
  return blockRanges(text).map((block) => ({
    title: block.title,
    lines: block.lines
      .slice(block.start, block.end)
      .map((line) => stripLinePrefix(line, block.prefix).trimEnd()),
  }));
}

function splitList(value: string): string[] {
  return value
    .split(',')
    .map(trimValue)
    .filter((item) => item !== '')
    .map((item) => (isAnyWord(item) ? 'Any' : item));
}

function parseProfiles(
  value: string,
  unknownWords: Set<string>,
): { profiles: ProfileWord[]; complete: boolean } {
  const words = splitList(value);
  if (words.includes('Any')) return { profiles: ['domain', 'private', 'public'], complete: true };
  const profiles: ProfileWord[] = [];
  let complete = words.length > 0;
  for (const word of words) {
    const profile = profileWord(word);
    if (profile === null) {
      complete = false;
      unknownWords.add(word);
    } else if (!profiles.includes(profile)) profiles.push(profile);
  }
  return { profiles, complete };
}

const PROTOCOL_NUMBER = /^\d{1,3}$/;

/** A protocol keyword, a number or "Any"; any other word is one the table does not know: null. */
function protocolOf(value: string, unknownWords: Set<string>): string | null {
  const text = trimValue(value);
  if (text === '') return null;
  if (isAnyWord(text)) return 'Any';
  if (PROTOCOL_SHAPE.test(text)) return text.toUpperCase().replace('ICMPV', 'ICMPv');
  if (PROTOCOL_NUMBER.test(text) && Number(text) <= 255) return text;
  unknownWords.add(text);
  return null;
}

/**
 * `Label:  value` split at the first colon (`:` or full-width `：`); the label starts at the first column
 * and is at most 60 characters. Not a regular expression: this runs on every line of a 5,000-rule output.
 */
export function splitField(line: string): RuleLine | null {
  const first = line.charCodeAt(0);
  if (Number.isNaN(first) || first === 0x20 || first === 0x09 || first === 0x3000 || first === 0xa0)
    return null;
  let colon = line.indexOf(':');
  const wide = line.indexOf('：');
  if (colon < 0 || (wide >= 0 && wide < colon)) colon = wide;
  if (colon <= 0 || colon > 64) return null;
  const label = trimValue(line.slice(0, colon));
  if (label === '' || label.length > 60) return null;
  return { label, value: trimValue(line.slice(colon + 1)) };
}

function nameOf(title: string): string {
  const match = /^[^:：]*[:：](.*)$/u.exec(title);
  return trimValue(match ? (match[1] ?? '') : title);
}

function emptyRule(name: string): FirewallRule {
  return {
    name,
    enabled: null,
    direction: null,
    profiles: [],
    profilesComplete: false,
    protocol: null,
    localPorts: [],
    remotePorts: [],
    localAddresses: [],
    remoteAddresses: [],
    program: null,
    service: null,
    action: null,
    grouping: null,
    description: null,
    edgeTraversal: null,
    icmpTypes: [],
    detailed: false,
    fields: [],
  };
}

/** Entries of an address list that are neither an address nor a keyword netsh prints in every language. */
const ADDRESS_SHAPE = /^([\d.]+|[\da-f:.]*:[\da-f:.%]*)([-/][\da-f:.%]+)?$/i;
const ADDRESS_KEYWORD = /^(Any|LocalSubnet|DNS|DHCP|WINS|DefaultGateway)$/i;
const PORT_SHAPE = /^(\d{1,5}(-\d{1,5})?|any|rpc|rpc-epmap|iphttps|teredo|ply2disc|mdns)$/i;

function noteUnknown(items: readonly string[], known: RegExp, unknownWords: Set<string>): void {
  for (const item of items) if (!known.test(item) && !ADDRESS_KEYWORD.test(item)) unknownWords.add(item);
}

/** A word of a vocabulary (Yes/No, In/Out, Allow/Block) that the table does not know is reported, not guessed. */
function vocabulary<T>(value: string, meaning: T | null, unknownWords: Set<string>): T | null {
  if (meaning === null && value !== '') unknownWords.add(value);
  return meaning;
}

function assign(rule: FirewallRule, field: RuleField, value: string, unknownWords: Set<string>): void {
  switch (field) {
    case 'name':
      break;
    case 'description':
      rule.description = value;
      break;
    case 'enabled':
      rule.enabled = vocabulary(value, yesNo(value), unknownWords);
      break;
    case 'direction':
      rule.direction = vocabulary(value, directionWord(value), unknownWords);
      break;
    case 'profiles': {
      const parsed = parseProfiles(value, unknownWords);
      rule.profiles = parsed.profiles;
      rule.profilesComplete = parsed.complete;
      break;
    }
    case 'grouping':
      rule.grouping = value === '' ? null : value;
      break;
    case 'localIp':
      rule.localAddresses = splitList(value);
      noteUnknown(rule.localAddresses, ADDRESS_SHAPE, unknownWords);
      break;
    case 'remoteIp':
      rule.remoteAddresses = splitList(value);
      noteUnknown(rule.remoteAddresses, ADDRESS_SHAPE, unknownWords);
      break;
    case 'protocol':
      rule.protocol = protocolOf(value, unknownWords);
      break;
    case 'localPort':
      rule.localPorts = splitList(value);
      noteUnknown(rule.localPorts, PORT_SHAPE, unknownWords);
      break;
    case 'remotePort':
      rule.remotePorts = splitList(value);
      noteUnknown(rule.remotePorts, PORT_SHAPE, unknownWords);
      break;
    case 'edgeTraversal':
      rule.edgeTraversal = value === '' ? null : value;
      break;
    case 'program':
      rule.program = value === '' || isAnyWord(value) ? null : value;
      rule.detailed = true;
      break;
    case 'service':
      rule.service = value === '' || isAnyWord(value) ? null : value;
      rule.detailed = true;
      break;
    case 'interfaceTypes':
    case 'security':
    case 'ruleSource':
      // Printed only by `verbose`, which also prints Program and Service whenever the rule has them.
      rule.detailed = true;
      break;
    case 'action':
      rule.action = vocabulary(value, actionWord(value), unknownWords);
      break;
  }
}

/**
 * The orders in which netsh prints a rule's lines after its name: without `verbose`, Enabled … Protocol,
 * LocalPort and RemotePort when the rule has ports, Edge traversal, Action; `verbose` adds Description first
 * (when set), Program and Service after Edge traversal (when set) and InterfaceTypes, Security, Rule source
 * before Action, as the English samples in fixtures/ show.
 */
export const RULE_LAYOUTS: readonly (readonly RuleField[])[] = (() => {
  const layouts: RuleField[][] = [];
  const head: RuleField[] = [
    'enabled',
    'direction',
    'profiles',
    'grouping',
    'localIp',
    'remoteIp',
    'protocol',
  ];
  for (const verbose of [false, true]) {
    for (const description of verbose ? [false, true] : [false]) {
      for (const ports of [false, true]) {
        for (const program of verbose ? [false, true] : [false]) {
          for (const service of verbose ? [false, true] : [false]) {
            layouts.push([
              ...(description ? (['description'] as const) : []),
              ...head,
              ...(ports ? (['localPort', 'remotePort'] as const) : []),
              'edgeTraversal',
              ...(program ? (['program'] as const) : []),
              ...(service ? (['service'] as const) : []),
              ...(verbose ? (['interfaceTypes', 'security', 'ruleSource'] as const) : []),
              'action',
            ]);
          }
        }
      }
    }
  }
  return layouts;
})();

/**
 * Fields of lines whose label the table does not know, from their position: the known labels (and the
 * protocol keyword or program path of a value, which no other line has) must sit where a netsh layout has
 * them, and every layout that fits must put the same field at that position. Otherwise it stays null.
 */
function fieldsByPosition(
  known: readonly (RuleField | null)[],
  values: readonly string[],
): (RuleField | null)[] {
  const anchors = known.map((field, i) => {
    if (field !== null) return field;
    const value = values[i] ?? '';
    if (PROTOCOL_SHAPE.test(value)) return 'protocol';
    if (PATH_SHAPE.test(value)) return 'program';
    return null;
  });
  if (anchors.every((anchor) => anchor === null)) return known.slice();
  const fitting = RULE_LAYOUTS.filter(
    (layout) =>
      layout.length === anchors.length &&
      anchors.every((anchor, i) => anchor === null || anchor === layout[i]),
  );
  return known.map((field, i) => {
    if (field !== null || fitting.length === 0) return field;
    const candidates = new Set(fitting.map((layout) => layout[i]));
    return candidates.size === 1 ? (fitting[0]?.[i] ?? null) : null;
  });
}

/**
 * For a label that neither the table nor its position identifies, a field is taken from the value's shape
 * only when the shape is unambiguous: a protocol keyword, a program path, a list of known profile words,
 * port lists right after the protocol line.
 */
function fieldByShape(rule: FirewallRule, value: string, previous: RuleField | null): RuleField | null {
  if (rule.protocol === null && PROTOCOL_SHAPE.test(value)) return 'protocol';
  if (rule.program === null && PATH_SHAPE.test(value)) return 'program';
  const words = splitList(value);
  if (rule.profiles.length === 0 && words.length > 0 && words.every((word) => profileWord(word) !== null)) {
    return 'profiles';
  }
  const ports = value.split(',').map(trimValue);
  const portLike = value !== '' && ports.every((port) => PORT_SHAPE.test(port) || isAnyWord(port));
  if (portLike && previous === 'protocol' && rule.localPorts.length === 0) return 'localPort';
  if (portLike && previous === 'localPort' && rule.remotePorts.length === 0) return 'remotePort';
  return null;
}

interface BlockLine {
  label: string;
  value: string;
  /** ICMP "Type Code" rows printed under this line. */
  icmp: { type: string; code: string }[];
}

interface Unknowns {
  labels: Set<string>;
  words: Set<string>;
}

function blockLines(block: BlockRange): BlockLine[] {
  const lines: BlockLine[] = [];
  for (let i = block.start; i < block.end; i++) {
    const line = stripLinePrefix(block.lines[i] ?? '', block.prefix);
    if (trimValue(line) === '') break;
    const field = splitField(line);
    if (field) {
      lines.push({ label: field.label, value: field.value, icmp: [] });
      continue;
    }
    // The ICMP "Type Code" table under Protocol: not a label line, not part of the protocol value.
    const row = ICMP_ROW.exec(line);
    const last = lines.at(-1);
    if (row && last) {
      const [type, code] = [row[1] ?? '', row[2] ?? ''];
      if (normalizeWord(type) !== 'type') last.icmp.push({ type, code: isAnyWord(code) ? 'Any' : code });
    }
  }
  return lines;
}

function parseBlock(block: BlockRange, unknowns: Unknowns): FirewallRule {
  const name = nameOf(block.title);
  const rule = emptyRule(name);
  const titleLabel = /^([^:：]*)[:：]/u.exec(block.title);
  rule.fields.push({ label: trimValue(titleLabel?.[1] ?? ''), value: name });
  const lines = blockLines(block);
  let fields = lines.map((line) => ruleFieldOfLabel(line.label));
  if (fields.includes(null)) {
    for (let i = 0; i < lines.length; i++) if (fields[i] === null) unknowns.labels.add(lines[i]?.label ?? '');
    fields = fieldsByPosition(
      fields,
      lines.map((line) => line.value),
    );
  }
  let previous: RuleField | null = null;
  let lastUnknown: string | null = null;
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i] as BlockLine;
    rule.fields.push({ label: line.label, value: line.value });
    const field: RuleField | null = fields[i] ?? fieldByShape(rule, line.value, previous);
    lastUnknown = field === null ? line.value : null;
    if (field !== null) assign(rule, field, line.value, unknowns.words);
    if (field === 'protocol' && rule.protocol?.startsWith('ICMP')) rule.icmpTypes.push(...line.icmp);
    previous = field;
  }
  // Action is the last line of every layout; take it from there when neither label nor position told.
  if (rule.action === null && lastUnknown !== null) rule.action = actionWord(lastUnknown);
  return rule;
}

export function parseNetshRules(text: string, options: NetshRulesOptions = {}): NetshRulesResult {
  const unknowns: Unknowns = { labels: new Set(), words: new Set() };
  const rules: FirewallRule[] = [];
  try {
    for (const block of blockRanges(text)) {
      const rule = parseBlock(block, unknowns);
      if (options.direction) rule.direction = options.direction;
      rules.push(rule);
    }
  } catch {
    // Defensive: nothing above is expected to throw; a parser must still never fail on hostile input.
  }
  return { rules, unknownLabels: [...unknowns.labels], unknownWords: [...unknowns.words] };
}

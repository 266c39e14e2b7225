// Parser for `netsh advfirewall firewall show rule name=… [dir=in|out] [verbose]` in any display language
// (windows-commands.md §1, §2, §11). It works from the structure, not the words: a block is the line before
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
  /** Labels that the word table does not know (a language not yet covered). */
  unknownLabels: string[];
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

function parseProfiles(value: string): { profiles: ProfileWord[]; complete: boolean } {
  const words = splitList(value);
  if (words.includes('Any')) return { profiles: ['domain', 'private', 'public'], complete: true };
  const profiles: ProfileWord[] = [];
  let complete = words.length > 0;
  for (const word of words) {
    const profile = profileWord(word);
    if (profile === null) complete = false;
    else if (!profiles.includes(profile)) profiles.push(profile);
  }
  return { profiles, complete };
}

function protocolOf(value: string): string | null {
  const text = trimValue(value);
  if (text === '') return null;
  if (isAnyWord(text)) return 'Any';
  if (PROTOCOL_SHAPE.test(text)) return text.toUpperCase().replace('ICMPV', 'ICMPv');
  return text;
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

function assign(rule: FirewallRule, field: RuleField, value: string): void {
  switch (field) {
    case 'name':
      break;
    case 'description':
      rule.description = value;
      break;
    case 'enabled':
      rule.enabled = yesNo(value);
      break;
    case 'direction':
      rule.direction = directionWord(value);
      break;
    case 'profiles': {
      const parsed = parseProfiles(value);
      rule.profiles = parsed.profiles;
      rule.profilesComplete = parsed.complete;
      break;
    }
    case 'grouping':
      rule.grouping = value === '' ? null : value;
      break;
    case 'localIp':
      rule.localAddresses = splitList(value);
      break;
    case 'remoteIp':
      rule.remoteAddresses = splitList(value);
      break;
    case 'protocol':
      rule.protocol = protocolOf(value);
      break;
    case 'localPort':
      rule.localPorts = splitList(value);
      break;
    case 'remotePort':
      rule.remotePorts = splitList(value);
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
      rule.action = actionWord(value);
      break;
  }
}

const PORT_SHAPE = /^(\d{1,5}(-\d{1,5})?|any|rpc|rpc-epmap|iphttps|teredo|ply2disc|mdns)$/i;

/**
 * For a label the table does not know, a field is taken from the value's shape only when the shape is
 * unambiguous: a protocol keyword, a program path, a list of known profile words, port lists right after
 * the protocol line, an action word on the last line.
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

function parseBlock(block: BlockRange, unknownLabels: Set<string>): FirewallRule {
  const name = nameOf(block.title);
  const rule = emptyRule(name);
  const titleLabel = /^([^:：]*)[:：]/u.exec(block.title);
  rule.fields.push({ label: trimValue(titleLabel?.[1] ?? ''), value: name });
  let previous: RuleField | null = null;
  let lastUnknown: string | null = null;
  for (let i = block.start; i < block.end; i++) {
    const line = stripLinePrefix(block.lines[i] ?? '', block.prefix);
    if (trimValue(line) === '') break;
    const field = splitField(line);
    if (!field) {
      // The ICMP "Type Code" table under Protocol: not a label line, not part of the protocol value.
      const row = ICMP_ROW.exec(line);
      if (row && previous === 'protocol' && rule.protocol?.startsWith('ICMP')) {
        const [type, code] = [row[1] ?? '', row[2] ?? ''];
        if (normalizeWord(type) !== 'type') {
          rule.icmpTypes.push({ type, code: isAnyWord(code) ? 'Any' : code });
        }
      }
      continue;
    }
    const { label, value } = field;
    rule.fields.push({ label, value });
    let known = ruleFieldOfLabel(label);
    if (known === null) {
      unknownLabels.add(label);
      known = fieldByShape(rule, value, previous);
      lastUnknown = known === null ? value : null;
    } else {
      lastUnknown = null;
    }
    if (known !== null) assign(rule, known, value);
    previous = known;
  }
  // Action is the last line of every observed layout; take it from there when its label was unknown.
  if (rule.action === null && lastUnknown !== null) rule.action = actionWord(lastUnknown);
  return rule;
}

export function parseNetshRules(text: string, options: NetshRulesOptions = {}): NetshRulesResult {
  const unknownLabels = new Set<string>();
  const rules: FirewallRule[] = [];
  try {
    for (const block of blockRanges(text)) {
      const rule = parseBlock(block, unknownLabels);
      if (options.direction) rule.direction = options.direction;
      rules.push(rule);
    }
  } catch {
    // Defensive: nothing above is expected to throw; a parser must still never fail on hostile input.
  }
  return { rules, unknownLabels: [...unknownLabels] };
}

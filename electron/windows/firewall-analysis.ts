// Which firewall rules apply to a given kind of traffic, and what Windows Firewall decides for it, per
// profile: a matching enabled block rule wins over any allow rule; without a matching rule the profile's
// default policy decides; a profile whose firewall is off lets everything through. Pure functions.
// A rule can "apply", "maybe apply" (a condition this analysis cannot evaluate: an unknown word, a remote
// address list, a program it cannot see), or not apply.
import type { FirewallRule } from './netsh-rules';
import type { FirewallProfileState } from './netsh-profiles';
import type { ProfileWord } from './netsh-words';

export interface Traffic {
  protocol: 'TCP' | 'UDP';
  port: number;
  /** 'out': this machine connects to `port` on a server. 'in': something connects to `port` here. */
  direction: 'in' | 'out';
  /** The program's file name (wmplayer.exe), or null when the question is about any program. */
  program: string | null;
  /** The server's IPv4 address, when known, to evaluate remote address conditions. */
  remoteAddress?: string | null;
}

export type Applicability = 'applies' | 'may-apply' | 'no';

export interface RuleMatch {
  rule: FirewallRule;
  applicability: Exclude<Applicability, 'no'>;
  /** Why the match is uncertain; empty when it applies for sure. */
  doubts: string[];
}

export type Outcome =
  | 'blocked'
  | 'maybe-blocked'
  | 'allowed'
  | 'maybe-allowed'
  | 'default-allow'
  | 'default-block'
  | 'firewall-off';

export interface ProfileVerdict {
  profile: ProfileWord;
  outcome: Outcome;
  blocking: RuleMatch[];
  allowing: RuleMatch[];
}

const PROTOCOL_NUMBERS: Record<string, 'TCP' | 'UDP'> = { '6': 'TCP', '17': 'UDP' };

function protocolApplies(rule: FirewallRule, traffic: Traffic): Applicability {
  if (rule.protocol === null) return 'may-apply';
  if (rule.protocol === 'Any') return 'applies';
  const protocol = PROTOCOL_NUMBERS[rule.protocol] ?? rule.protocol.toUpperCase();
  return protocol === traffic.protocol ? 'applies' : 'no';
}

/** A port list as netsh prints it: "Any", numbers, ranges "5000-5020", keywords (RPC, IPHTTPS…). */
export function portListApplies(ports: readonly string[], port: number): Applicability {
  if (ports.length === 0) return 'applies';
  let unknown = false;
  for (const entry of ports) {
    if (entry === 'Any') return 'applies';
    const range = /^(\d{1,5})(?:-(\d{1,5}))?$/.exec(entry);
    if (range) {
      const low = Number(range[1]);
      const high = range[2] === undefined ? low : Number(range[2]);
      if (port >= low && port <= high) return 'applies';
    } else if (!/^(RPC|RPC-EPMap|IPHTTPS|Teredo|Ply2Disc|mDNS|DHCP)/i.test(entry)) {
      unknown = true;
    }
  }
  return unknown ? 'may-apply' : 'no';
}

function ipv4ToNumber(text: string): number | null {
  const parts = text.split('.');
  if (parts.length !== 4) return null;
  let value = 0;
  for (const part of parts) {
    if (!/^\d{1,3}$/.test(part) || Number(part) > 255) return null;
    value = value * 256 + Number(part);
  }
  return value;
}

/** Address list against one IPv4 address: "Any", single addresses, ranges a-b, CIDR; keywords stay uncertain. */
export function addressListApplies(
  addresses: readonly string[],
  address: string | null | undefined,
): Applicability {
  if (addresses.length === 0 || addresses.includes('Any')) return 'applies';
  const target = address ? ipv4ToNumber(address) : null;
  if (target === null) return 'may-apply';
  let unknown = false;
  for (const entry of addresses) {
    const [first, second] = entry.split('-');
    const cidr = /^([\d.]+)\/(\d{1,2})$/.exec(entry);
    if (cidr) {
      const base = ipv4ToNumber(cidr[1] ?? '');
      const bits = Number(cidr[2]);
      if (base === null || bits > 32) {
        unknown = true;
        continue;
      }
      const size = 2 ** (32 - bits);
      if (Math.floor(target / size) === Math.floor(base / size)) return 'applies';
    } else if (first !== undefined && ipv4ToNumber(first) !== null) {
      const low = ipv4ToNumber(first) ?? 0;
      const high = second === undefined ? low : ipv4ToNumber(second);
      if (high === null) unknown = true;
      else if (target >= low && target <= high) return 'applies';
    } else {
      unknown = true; // LocalSubnet, DNS, DefaultGateway, IPv6…
    }
  }
  return unknown ? 'may-apply' : 'no';
}

const baseName = (path: string): string => (path.split(/[\\/]/).pop() ?? path).toLowerCase();

export function ruleApplies(rule: FirewallRule, traffic: Traffic, profile: ProfileWord): RuleMatch | null {
  const match = matchIgnoringProfile(rule, traffic);
  return match === null ? null : withProfile(match, profile);
}

/** The profile condition, applied after everything that does not depend on the profile. */
function withProfile(match: RuleMatch, profile: ProfileWord): RuleMatch | null {
  const { rule } = match;
  if (rule.profiles.includes(profile)) return match;
  if (rule.profilesComplete) return null;
  return { rule, applicability: 'may-apply', doubts: [...match.doubts, 'its profiles are not fully known'] };
}

// Cheap conditions first: most rules of a big machine fail on direction, protocol or program.
function matchIgnoringProfile(rule: FirewallRule, traffic: Traffic): RuleMatch | null {
  if (rule.enabled === false) return null;
  if (rule.direction !== null && rule.direction !== traffic.direction) return null;
  const protocol = protocolApplies(rule, traffic);
  if (protocol === 'no') return null;
  if (
    rule.program !== null &&
    traffic.program !== null &&
    baseName(rule.program) !== traffic.program.toLowerCase()
  ) {
    return null;
  }
  // Inbound traffic is addressed to a local port; outbound traffic to the server's (remote) port.
  const inbound = traffic.direction === 'in';
  const serverPorts = portListApplies(inbound ? rule.localPorts : rule.remotePorts, traffic.port);
  if (serverPorts === 'no') return null;
  const remote = addressListApplies(rule.remoteAddresses, inbound ? null : traffic.remoteAddress);
  if (remote === 'no') return null;

  const doubts: string[] = [];
  if (rule.enabled === null) doubts.push('whether the rule is enabled is not known');
  if (rule.direction === null) doubts.push('its direction is not known');
  if (protocol === 'may-apply') doubts.push('its protocol is not known');
  if (serverPorts === 'may-apply') doubts.push('a port keyword could not be evaluated');
  const clientPorts = inbound ? rule.remotePorts : rule.localPorts;
  if (clientPorts.length > 0 && !clientPorts.includes('Any')) {
    doubts.push(`it only matches ${inbound ? 'remote' : 'local'} ports ${clientPorts.join(',')}`);
  }
  if (remote === 'may-apply') doubts.push('it only matches some remote addresses');
  if (rule.localAddresses.length > 0 && !rule.localAddresses.includes('Any')) {
    doubts.push('it only matches some local addresses');
  }
  if (rule.program !== null && traffic.program === null) doubts.push(`it only matches ${rule.program}`);
  if (rule.program === null && !rule.detailed) doubts.push('its program is not shown without "verbose"');
  if (rule.service !== null) doubts.push(`it only matches the service ${rule.service}`);
  if (rule.action === null) doubts.push('its action word is not known');
  return { rule, applicability: doubts.length === 0 ? 'applies' : 'may-apply', doubts };
}

export function evaluateTraffic(
  rules: readonly FirewallRule[],
  traffic: Traffic,
  profiles: readonly FirewallProfileState[],
  which: readonly ProfileWord[] = ['domain', 'private', 'public'],
): ProfileVerdict[] {
  const candidates: RuleMatch[] = [];
  for (const rule of rules) {
    const match = matchIgnoringProfile(rule, traffic);
    if (match !== null) candidates.push(match);
  }
  return which.map((profile) => {
    const matches: RuleMatch[] = [];
    for (const candidate of candidates) {
      const match = withProfile(candidate, profile);
      if (match !== null) matches.push(match);
    }
    // A rule whose action word is unknown may be a block rule: it stays among the uncertain blockers.
    const blocking = matches.filter((match) => match.rule.action === 'block' || match.rule.action === null);
    // Bypass only lets authenticated IPsec traffic through block rules; for plain traffic it acts as allow.
    const allowing = matches.filter(
      (match) => match.rule.action === 'allow' || match.rule.action === 'bypass',
    );
    const state = profiles.find((entry) => entry.profile === profile);
    const policy = traffic.direction === 'in' ? state?.defaultInbound : state?.defaultOutbound;
    let outcome: Outcome;
    if (state?.state === 'off') outcome = 'firewall-off';
    else if (blocking.some((match) => match.applicability === 'applies')) outcome = 'blocked';
    else if (blocking.length > 0) outcome = 'maybe-blocked';
    // "Block all incoming connections" (BlockInboundAlways) ignores every allow rule.
    else if (policy === 'block-always') outcome = 'default-block';
    else if (allowing.some((match) => match.applicability === 'applies')) outcome = 'allowed';
    else if (
      allowing.length > 0 &&
      (policy ?? (traffic.direction === 'in' ? 'block' : 'allow')) !== 'allow'
    ) {
      outcome = 'maybe-allowed';
    } else {
      // Unknown policy: Windows' shipped defaults, block inbound and allow outbound.
      const effective = policy ?? (traffic.direction === 'in' ? 'block' : 'allow');
      outcome = effective === 'allow' ? 'default-allow' : 'default-block';
    }
    return { profile, outcome, blocking, allowing };
  });
}

/** One line per rule for evidence: name, direction, action, profiles, protocol, ports, program. */
export function describeRule(rule: FirewallRule): string {
  const ports =
    rule.localPorts.length + rule.remotePorts.length === 0
      ? ''
      : ` local ${rule.localPorts.join(',') || '-'} remote ${rule.remotePorts.join(',') || '-'}`;
  const program = rule.program ? ` program ${rule.program}` : '';
  const enabled = rule.enabled === null ? 'enabled?' : rule.enabled ? 'enabled' : 'disabled';
  return `"${rule.name}" ${rule.direction ?? '?'} ${rule.action ?? '?'} ${enabled} [${rule.profiles.join(',')}] ${
    rule.protocol ?? '?'
  }${ports}${program}`;
}

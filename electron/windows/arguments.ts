// Every value that ends up in a Windows program's argument list passes through here first. Arguments are
// never joined into a shell string, but netsh, sc and PowerShell parse their own command lines, so a value
// with quotes, `=` or shell metacharacters could still change what a command does.

export class UnsafeArgumentError extends Error {
  constructor(
    readonly kind: string,
    readonly value: unknown,
    reason: string,
  ) {
    super(`refused ${kind} ${JSON.stringify(value)}: ${reason}`);
    this.name = 'UnsafeArgumentError';
  }
}

export function checkPort(value: unknown): number {
  if (typeof value !== 'number' || !Number.isInteger(value) || value < 1 || value > 65535) {
    throw new UnsafeArgumentError('port', value, 'a port is a whole number from 1 to 65535');
  }
  return value;
}

// Letters and digits of any script, and a few punctuation marks seen in real rule names ("VCL: allow RDP
// port 3389", "Windows Remote Management (HTTP-In)"). No quotes, `=`, `%`, `^`, `&`, `|`, `<`, `>`, `;`,
// backquote or `$`: each means something to cmd, netsh or PowerShell.
const RULE_NAME = /^[\p{L}\p{N}][\p{L}\p{N} ._\-()[\]:,+@#/]{0,199}$/u;

export function isSafeRuleName(value: string): boolean {
  return RULE_NAME.test(value) && value === value.trim();
}

export function checkRuleName(value: unknown): string {
  if (typeof value !== 'string' || !isSafeRuleName(value)) {
    throw new UnsafeArgumentError(
      'rule name',
      value,
      'rule names are passed only when made of letters, digits, spaces and . _ - ( ) [ ] : , + @ # /',
    );
  }
  return value;
}

/** The only services the app ever queries or changes. */
export const KNOWN_SERVICES = {
  /** Windows Media Services (Windows Server only). */
  WMServer: 'Windows Media Services',
  /** Windows Firewall / Windows Defender Firewall. */
  MpsSvc: 'Windows Firewall',
  /** Windows Media Player Network Sharing Service. */
  WMPNetworkSvc: 'Windows Media Player Network Sharing Service',
  /** IIS World Wide Web Publishing Service, a common owner of port 80. */
  W3SVC: 'World Wide Web Publishing Service',
} as const;

export type KnownService = keyof typeof KNOWN_SERVICES;

export function checkServiceName(value: unknown): KnownService {
  if (typeof value === 'string') {
    // Service names are case-insensitive on Windows; always pass the canonical spelling.
    const match = Object.keys(KNOWN_SERVICES).find((name) => name.toLowerCase() === value.toLowerCase());
    if (match) return match as KnownService;
  }
  throw new UnsafeArgumentError('service name', value, `only ${Object.keys(KNOWN_SERVICES).join(', ')}`);
}

export type FirewallProfileName = 'domain' | 'private' | 'public';
export type RuleDirection = 'in' | 'out';
export type PortProtocol = 'TCP' | 'UDP';

export function checkDirection(value: unknown): RuleDirection {
  if (value === 'in' || value === 'out') return value;
  throw new UnsafeArgumentError('direction', value, 'in or out');
}

export function checkProtocol(value: unknown): PortProtocol {
  if (value === 'TCP' || value === 'UDP') return value;
  throw new UnsafeArgumentError('protocol', value, 'TCP or UDP');
}

export function checkProfiles(value: unknown): FirewallProfileName[] {
  const allowed: readonly unknown[] = ['domain', 'private', 'public'];
  if (Array.isArray(value) && value.length > 0 && value.every((item) => allowed.includes(item))) {
    return [...new Set(value as FirewallProfileName[])];
  }
  throw new UnsafeArgumentError('profiles', value, 'a non-empty list of domain, private, public');
}

// Parser for PowerShell firewall JSON (docs/windows-commands.md §9): `Get-NetFirewallRule`, its port and
// application filters, and `Get-NetFirewallProfile`, as `ConvertTo-Json` writes them. Enum values arrive as
// numbers (Windows PowerShell 5.1) or as names (PowerShell 7 -EnumsAsStrings); both are read. Numbers are
// not localized, so this source confirms or fills in what netsh words could not tell. Never throws.
import type { FirewallRule } from './netsh-rules';
import type { FirewallProfileState, InboundPolicy, OutboundPolicy } from './netsh-profiles';
import type { ProfileWord } from './netsh-words';
import type { RuleAction } from './netsh-words';

type Json = null | boolean | number | string | Json[] | { [key: string]: Json };
type JsonObject = { [key: string]: Json };

function parseJson(text: string): Json | undefined {
  try {
    // PowerShell may write a BOM; JSON.parse rejects it.
    return JSON.parse(text.replace(/^\uFEFF/, '')) as Json;
  } catch {
    return undefined;
  }
}

const isObject = (value: Json | undefined): value is JsonObject =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

/** PowerShell 5.1 writes one element as a bare object and some arrays as {"value": [...], "Count": n}. */
function asList(value: Json | undefined): Json[] {
  if (value === undefined || value === null || value === '') return [];
  if (Array.isArray(value)) return value;
  if (isObject(value) && Array.isArray(value.value) && 'Count' in value) return value.value;
  return [value];
}

const text = (value: Json | undefined): string | null =>
  typeof value === 'string' ? value : typeof value === 'number' ? String(value) : null;

function stringList(value: Json | undefined): string[] {
  return asList(value)
    .map((item) => text(item))
    .filter((item): item is string => item !== null && item !== '');
}

function enabledOf(value: Json | undefined): boolean | null {
  if (value === true || value === 1 || value === 'True' || value === 'true') return true;
  if (value === false || value === 2 || value === 'False' || value === 'false') return false;
  return null;
}

function directionOf(value: Json | undefined): 'in' | 'out' | null {
  if (value === 1 || value === 'Inbound') return 'in';
  if (value === 2 || value === 'Outbound') return 'out';
  return null;
}

// CIM enum (not the COM one, where Block is 0): 2 Allow, 3 AllowBypass, 4 Block.
function actionOf(value: Json | undefined): RuleAction | null {
  if (value === 2 || value === 'Allow') return 'allow';
  if (value === 3 || value === 'AllowBypass') return 'bypass';
  if (value === 4 || value === 'Block') return 'block';
  return null;
}

const ALL_PROFILES: ProfileWord[] = ['domain', 'private', 'public'];

/** Profile flags: 0 Any, 1 Domain, 2 Private, 4 Public; or the names ("Domain, Private", "Any"). */
function profilesOf(value: Json | undefined): { profiles: ProfileWord[]; complete: boolean } {
  if (typeof value === 'number' && Number.isInteger(value) && value >= 0) {
    if (value === 0 || (value & 7) === 7) return { profiles: [...ALL_PROFILES], complete: true };
    const profiles = ALL_PROFILES.filter((_, i) => (value & (1 << i)) !== 0);
    return { profiles, complete: profiles.length > 0 && value < 8 };
  }
  if (typeof value === 'string') {
    const words = value.split(',').map((word) => word.trim().toLowerCase());
    if (words.includes('any')) return { profiles: [...ALL_PROFILES], complete: true };
    const profiles = ALL_PROFILES.filter((profile) => words.includes(profile));
    return { profiles, complete: profiles.length === words.length };
  }
  return { profiles: [], complete: false };
}

function instanceKey(item: JsonObject): string | null {
  return text(item.InstanceID) ?? text(item.InstanceId) ?? text(item.Name);
}

function indexById(items: Json[]): Map<string, JsonObject> {
  const map = new Map<string, JsonObject>();
  for (const item of items) {
    if (!isObject(item)) continue;
    const key = instanceKey(item);
    if (key !== null) map.set(key, item);
  }
  return map;
}

function protocolOf(value: Json | undefined): string | null {
  const raw = text(value);
  if (raw === null || raw === '') return null;
  const known: Record<string, string> = {
    tcp: 'TCP',
    udp: 'UDP',
    any: 'Any',
    icmpv4: 'ICMPv4',
    icmpv6: 'ICMPv6',
  };
  return known[raw.toLowerCase()] ?? raw;
}

/**
 * Rules from either the raw `Get-NetFirewallRule | ConvertTo-Json` array, or the combined document the app's
 * own script writes: `{ "rules": [...], "ports": [...], "applications": [...] }` joined by InstanceID.
 */
export function parsePowerShellRules(json: string): FirewallRule[] {
  const document = parseJson(json);
  if (document === undefined) return [];
  const combined = isObject(document) && 'rules' in document;
  const ruleItems = asList(combined ? document.rules : document);
  const ports = indexById(combined ? asList(document.ports) : []);
  const applications = indexById(combined ? asList(document.applications) : []);
  const rules: FirewallRule[] = [];
  for (const item of ruleItems) {
    if (!isObject(item)) continue;
    const id = instanceKey(item) ?? '';
    const port = ports.get(id);
    const application = applications.get(id);
    const profiles = profilesOf(item.Profile ?? item.Profiles);
    const program = application ? text(application.Program) : null;
    const fields = Object.entries(item)
      .filter(([, value]) => value === null || typeof value !== 'object')
      .map(([label, value]) => ({ label, value: value === null ? '' : String(value) }));
    rules.push({
      name: text(item.DisplayName) ?? text(item.Name) ?? '',
      enabled: enabledOf(item.Enabled),
      direction: directionOf(item.Direction),
      profiles: profiles.profiles,
      profilesComplete: profiles.complete,
      protocol: port ? protocolOf(port.Protocol) : null,
      localPorts: port ? stringList(port.LocalPort) : [],
      remotePorts: port ? stringList(port.RemotePort) : [],
      localAddresses: [],
      remoteAddresses: [],
      program: program === null || program.toLowerCase() === 'any' ? null : program,
      service: null,
      action: actionOf(item.Action),
      grouping: text(item.DisplayGroup) ?? text(item.Group),
      description: text(item.Description),
      edgeTraversal: text(item.EdgeTraversalPolicy),
      icmpTypes: [],
      // Only the app's combined document carries the application filter.
      detailed: combined,
      fields,
    });
  }
  return rules;
}

// GpoBoolean: 1 True, 0 False, 2 NotConfigured. Action: 0 NotConfigured, 2 Allow, 4 Block.
function gpoBoolean(value: Json | undefined): 'on' | 'off' | null {
  if (value === 1 || value === true || value === 'True') return 'on';
  if (value === 0 || value === false || value === 'False') return 'off';
  return null;
}

function defaultAction(value: Json | undefined): 'allow' | 'block' | null {
  if (value === 2 || value === 'Allow') return 'allow';
  if (value === 4 || value === 'Block') return 'block';
  return null;
}

export function parsePowerShellProfiles(json: string): FirewallProfileState[] {
  const document = parseJson(json);
  if (document === undefined) return [];
  const result: FirewallProfileState[] = [];
  for (const item of asList(document)) {
    if (!isObject(item)) continue;
    const name = text(item.Name) ?? text(item.Profile) ?? '';
    const profile = ALL_PROFILES.find((word) => word === name.toLowerCase()) ?? null;
    const inbound = defaultAction(item.DefaultInboundAction);
    const outbound = defaultAction(item.DefaultOutboundAction);
    result.push({
      profile,
      header: name,
      state: gpoBoolean(item.Enabled),
      // NotConfigured (0) leaves Windows' own default: block inbound, allow outbound.
      defaultInbound: (inbound ?? null) as InboundPolicy | null,
      defaultOutbound: (outbound ?? null) as OutboundPolicy | null,
      settings: Object.entries(item)
        .filter(([, value]) => value === null || typeof value !== 'object')
        .map(([key, value]) => ({ key, value: value === null ? '' : String(value) })),
    });
  }
  return result;
}

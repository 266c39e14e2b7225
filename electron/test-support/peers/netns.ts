// Hosts that misbehave at the TCP level, made of a network namespace on the far end of a veth pair:
// a "filtered" host whose firewall silently drops every SYN (connect times out) and a "rejecting" host whose
// firewall answers ICMP host-unreachable (connect fails with EHOSTUNREACH). Needs root. The addresses come
// from 10.231.<x>.0/30, and before a host is handed out `ip route get` must show that traffic to it leaves
// through our own veth, so a test can never send packets anywhere else.
import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { promisify } from 'node:util';

const run = promisify(execFile);

const COMMAND_TIMEOUT_MS = 5000;
const NAMESPACE_PREFIX = 'sdtest-';
const SUBNET_PREFIX = '10.231.';

export interface MisbehavingHost {
  /** The namespace side of the veth: connect here. */
  address: string;
  /** Deletes the namespace and the veth. Safe to call twice. */
  close(): Promise<void>;
}

export type HostOrSkip = MisbehavingHost | { skipped: string };

const IP_BINARY = firstExisting(['/usr/sbin/ip', '/sbin/ip', '/usr/bin/ip', '/bin/ip']);
const IPTABLES_BINARY = firstExisting(['/usr/sbin/iptables', '/sbin/iptables', '/usr/bin/iptables']);

let created = 0;

/** Why no namespace host can be made here, or null when it can. */
export function netnsUnavailable(): string | null {
  if (process.getuid?.() !== 0) return 'needs root to create a network namespace';
  if (IP_BINARY === null) return 'the ip command (iproute2) is missing';
  if (IPTABLES_BINARY === null) return 'the iptables command is missing';
  return null;
}

/** A host that drops every TCP packet sent to it: connects hang until the caller's timeout. */
export function createFilteredHost(): Promise<HostOrSkip> {
  return createHost(['-j', 'DROP']);
}

/** A host whose firewall answers every TCP SYN with ICMP host-unreachable: connects fail EHOSTUNREACH. */
export function createRejectingHost(): Promise<HostOrSkip> {
  return createHost(['-j', 'REJECT', '--reject-with', 'icmp-host-unreachable']);
}

/** The device `ip route get` names for an address (`10.231.7.2 dev sdt-7-h src …`), or null. */
export function routeDevice(routeGetOutput: string): string | null {
  return /\bdev\s+(\S+)/.exec(routeGetOutput)?.[1] ?? null;
}

async function createHost(verdict: string[]): Promise<HostOrSkip> {
  const unavailable = netnsUnavailable();
  if (unavailable) return { skipped: unavailable };
  await removeStaleNamespaces();
  const namespace = `${NAMESPACE_PREFIX}${process.pid}-${++created}`;
  const teardown: Array<() => Promise<unknown>> = [];
  const close = async (): Promise<void> => {
    // Deleting the namespace destroys the veth end inside it, and with it the root end.
    for (const step of teardown.splice(0).reverse()) await step().catch(() => undefined);
  };
  try {
    await ip(['netns', 'add', namespace]);
    teardown.push(() => ip(['netns', 'del', namespace]));
    const pair = await addVethPair(teardown);
    const hostSide = `${SUBNET_PREFIX}${pair.subnet}.1`;
    const address = `${SUBNET_PREFIX}${pair.subnet}.2`;
    await ip(['link', 'set', pair.inner, 'netns', namespace]);
    await ip(['addr', 'add', `${hostSide}/30`, 'dev', pair.outer]);
    await ip(['link', 'set', pair.outer, 'up']);
    await ip(['-n', namespace, 'addr', 'add', `${address}/30`, 'dev', pair.inner]);
    await ip(['-n', namespace, 'link', 'set', pair.inner, 'up']);
    await ip(['-n', namespace, 'link', 'set', 'lo', 'up']);
    await ip([
      'netns',
      'exec',
      namespace,
      IPTABLES_BINARY ?? 'iptables',
      '-A',
      'INPUT',
      '-p',
      'tcp',
      ...verdict,
    ]);

    const route = await ip(['route', 'get', address]);
    const device = routeDevice(route);
    if (device !== pair.outer) {
      throw new Error(
        `traffic to ${address} would leave through ${device ?? 'no device'}, not ${pair.outer}`,
      );
    }
    return { address, close };
  } catch (error) {
    await close();
    return {
      skipped: `could not build a namespace host: ${error instanceof Error ? error.message : String(error)}`,
    };
  }
}

/**
 * Creates the veth pair on a 10.231.<x>.0/30 subnet nobody here uses. The pair's names carry <x>, so
 * `ip link add` doubles as a lock between test processes that pick the same subnet at the same moment.
 */
async function addVethPair(
  teardown: Array<() => Promise<unknown>>,
): Promise<{ subnet: number; outer: string; inner: string }> {
  const start = (process.pid * 31 + created * 7) % 254;
  for (let attempt = 0; attempt < 24; attempt++) {
    const subnet = ((start + attempt * 13) % 254) + 1;
    const taken = (await ip(['-o', 'addr'])) + (await ip(['-o', 'route']));
    if (taken.includes(`${SUBNET_PREFIX}${subnet}.`)) continue;
    const outer = `sdt-${subnet}-h`;
    const inner = `sdt-${subnet}-n`;
    try {
      await ip(['link', 'add', outer, 'type', 'veth', 'peer', 'name', inner]);
    } catch {
      continue; // Another test process holds this subnet.
    }
    teardown.push(() => ip(['link', 'del', outer]));
    return { subnet, outer, inner };
  }
  throw new Error(`no free ${SUBNET_PREFIX}<x>.0/30 subnet`);
}

/** Namespaces a crashed test run left behind (its pid is gone); ours only, by name. */
async function removeStaleNamespaces(): Promise<void> {
  const list = await ip(['netns', 'list']).catch(() => '');
  for (const match of list.matchAll(/^sdtest-(\d+)-\d+/gm)) {
    const pid = Number(match[1]);
    if (pid === process.pid || processExists(pid)) continue;
    await ip(['netns', 'del', match[0]]).catch(() => undefined);
  }
}

function processExists(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

async function ip(args: string[]): Promise<string> {
  if (IP_BINARY === null) throw new Error('the ip command is missing');
  const { stdout } = await run(IP_BINARY, args, { timeout: COMMAND_TIMEOUT_MS, encoding: 'utf8' });
  return stdout;
}

function firstExisting(paths: string[]): string | null {
  return paths.find((candidate) => existsSync(candidate)) ?? null;
}

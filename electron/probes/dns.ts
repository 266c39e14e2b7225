// Name resolution through the system resolver, as Windows Media Player would do it (getaddrinfo, hosts file
// included), bounded in time. getaddrinfo itself cannot be cancelled, so we stop waiting for it instead.
import dns from 'node:dns';
import net from 'node:net';
import type { DnsResult } from '../common/report';

export type LookupFunction = (host: string) => Promise<string[]>;

const systemLookup: LookupFunction = async (host) => {
  const entries = await dns.promises.lookup(host, { all: true, verbatim: true });
  return entries.map((entry) => entry.address);
};

export interface ResolveOptions {
  timeoutMs: number;
  signal?: AbortSignal;
  expectedIp?: string | null;
  /** Replaceable for tests; defaults to the system resolver. */
  lookup?: LookupFunction;
}

export async function resolveHost(host: string, options: ResolveOptions): Promise<DnsResult> {
  const started = Date.now();
  const withExpectation = (result: Omit<DnsResult, 'durationMs'>): DnsResult => {
    const expected = options.expectedIp ?? null;
    return {
      ...result,
      durationMs: Date.now() - started,
      ...(expected ? { expectedIp: expected, matchesExpected: result.addresses.includes(expected) } : {}),
    };
  };
  if (net.isIP(host) !== 0) return withExpectation({ status: 'literal', addresses: [host] });

  const lookup = options.lookup ?? systemLookup;
  try {
    const addresses = await bounded(lookup(host), options.timeoutMs, options.signal);
    if (addresses.length === 0)
      return withExpectation({ status: 'failed', addresses: [], error: 'the name has no addresses' });
    return withExpectation({ status: 'resolved', addresses: orderAddresses(addresses) });
  } catch (error) {
    return withExpectation({
      status: 'failed',
      addresses: [],
      error: describeDnsError(error, host, options.timeoutMs),
    });
  }
}

/** IPv4 first: most Windows Media servers of the era listen on IPv4 only, and a refusal on IPv6 moves on anyway. */
function orderAddresses(addresses: string[]): string[] {
  const unique = [...new Set(addresses)];
  return [...unique.filter((a) => net.isIPv4(a)), ...unique.filter((a) => !net.isIPv4(a))];
}

class DnsTimeout extends Error {}
class DnsCancelled extends Error {}

function bounded<T>(work: Promise<T>, timeoutMs: number, signal?: AbortSignal): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    if (signal?.aborted) return reject(new DnsCancelled());
    const timer = setTimeout(() => reject(new DnsTimeout()), timeoutMs);
    const onAbort = (): void => reject(new DnsCancelled());
    signal?.addEventListener('abort', onAbort, { once: true });
    work.then(resolve, reject).finally(() => {
      clearTimeout(timer);
      signal?.removeEventListener('abort', onAbort);
    });
  });
}

export function describeDnsError(error: unknown, host: string, timeoutMs: number): string {
  if (error instanceof DnsTimeout) {
    return `no answer from the DNS resolver within ${timeoutMs} ms: the resolver is unreachable or very slow`;
  }
  if (error instanceof DnsCancelled) return 'cancelled';
  const code = (error as NodeJS.ErrnoException | null)?.code;
  switch (code) {
    case 'ENOTFOUND':
    case 'EAI_NONAME':
    case 'ENODATA':
      return `no such name: the DNS has no address for ${host} (check the spelling, or the name no longer exists)`;
    case 'EAI_AGAIN':
    case 'ESERVFAIL':
    case 'ETIMEOUT':
    case 'ECONNREFUSED':
      return 'the DNS resolver could not be reached or did not answer (no network, or a DNS server problem)';
    default:
      return `the name could not be resolved (${code ?? 'unknown error'})`;
  }
}

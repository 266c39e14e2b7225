// A misbehaving host (peers/netns.ts) for one describe block: made before its tests, removed after them, and
// null (with the reason printed once) where namespaces cannot be made, so each test can skip saying so.
import { afterAll, beforeAll } from 'vitest';
import type { HostOrSkip, MisbehavingHost } from './netns';

export function useNamespaceHost(
  create: () => Promise<HostOrSkip>,
  what: string,
): () => MisbehavingHost | null {
  let host: HostOrSkip | null = null;
  beforeAll(async () => {
    host = await create();
    if ('skipped' in host) console.log(`${what} test skipped: ${host.skipped}`);
  });
  afterAll(async () => {
    if (host && !('skipped' in host)) await host.close();
  });
  return () => (host && !('skipped' in host) ? host : null);
}

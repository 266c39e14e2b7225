// Honesty invariants, tested over generated evidence: every combination of route states on the probed ports,
// with DNS and the error code given. Whatever the servers do, the verdict and the checks must stay true to it.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { parseErrorCode } from '../input/error-codes';
import type { ProbeProtocol, ProbeResult } from '../common/probe-result';
import type { Check, DnsResult, Verdict } from '../common/report';
import type { KnownErrorCode, StreamScheme, StreamTarget } from '../common/target';
import { evaluateCheck, planChecks, planProbes } from './checks';
import { assessRoutes, judgeProbe, ROUTE_NAMES, ROUTE_STATE_WORDS, ROUTE_TABLE, routeUrl } from './routes';
import {
  dnsFailed,
  filtered,
  mms,
  mmsh,
  page,
  probe,
  refused,
  reset,
  resolved,
  rtsp,
  silent,
  targetOf,
  unreachable,
} from './test-evidence';
import { decideVerdict } from './verdict';

const HOSTILE_SERVER = 'Evil\u0000\u202eServer\n<b>x</b>';

function known(text: string): KnownErrorCode {
  const parsed = parseErrorCode(text);
  if (!parsed.ok) throw new Error(parsed.message);
  return parsed.value;
}
const ERRORS = [null, known('0xC00D2EFA'), known('0xC00D2EE8'), known('0xC00D2EFB')];

/** Every way the network or a server can answer one probe. */
function probeArbitrary(protocol: ProbeProtocol, port: number): fc.Arbitrary<ProbeResult> {
  const common = [
    fc.constant(refused(protocol, port)),
    fc.constant(filtered(protocol, port)),
    fc.constant(unreachable(protocol, port)),
    fc.constant(silent(protocol, port)),
    fc.constant(reset(protocol, port)),
    fc.constant(probe({ protocol, port, reachability: 'skipped', reachabilityReason: 'cancelled' })),
  ];
  const statuses = fc.constantFrom(200, 301, 400, 401, 403, 404, 407, 410, 453, 500, 503);
  const specific: Record<ProbeProtocol, fc.Arbitrary<ProbeResult>> = {
    rtsp: fc
      .record({
        status: fc.option(statuses, { nil: null }),
        product: fc.constantFrom('WMServer' as const, 'VLC' as const, 'other' as const),
        asf: fc.boolean(),
        hostile: fc.boolean(),
      })
      .map(({ status, product, asf, hostile }) =>
        rtsp(status, {
          port,
          product,
          asf,
          ...(hostile ? { server: HOSTILE_SERVER } : {}),
          ...(status === 301 ? { redirectUrl: 'rtsp://other.example.org/live' } : {}),
        }),
      ),
    mmsh: fc
      .record({ status: statuses, cougar: fc.boolean() })
      .map(({ status, cougar }) => mmsh(status, { port, cougar })),
    http: fc
      .record({ status: statuses, kind: fc.constantFrom('html' as const, 'media' as const, 'asx' as const) })
      .map(({ status, kind }) =>
        page(status, { port, kind, ...(status === 301 ? { redirectUrl: 'http://other.example.org/' } : {}) }),
      ),
    mms: fc
      .record({
        outcome: fc.constantFrom(
          'exists' as const,
          'not-found' as const,
          'auth-required' as const,
          'redirected' as const,
          'denied' as const,
          'not-checked' as const,
        ),
        connectHr: fc.constantFrom(0, 0, 0x80070005, 0xc00d000f),
        pathHr: fc.constantFrom(null, 0xc00d001a, 0x80070005, 0xc00d000e, 0x8000ffff),
      })
      .map(({ outcome, connectHr, pathHr }) =>
        mms(outcome, {
          port,
          connectHr,
          pathHr,
          ...(outcome === 'redirected' ? { redirectUrl: 'mms://other.example.org/live' } : {}),
        }),
      ),
  };
  return fc.oneof(...common, specific[protocol], specific[protocol]);
}

interface Case {
  target: StreamTarget;
  dns: DnsResult;
  error: KnownErrorCode | null;
  probes: ProbeResult[];
}

const SCHEMES: StreamScheme[] = ['mms', 'mmst', 'mmsu', 'mmsh', 'rtsp', 'rtspt', 'http', 'https'];

const caseArbitrary: fc.Arbitrary<Case> = fc
  .record({
    scheme: fc.constantFrom(...SCHEMES),
    path: fc.constantFrom('/live', '/'),
    dns: fc.constantFrom<DnsResult>(
      resolved,
      resolved,
      resolved,
      dnsFailed,
      { ...resolved, expectedIp: '192.0.2.10', matchesExpected: true },
      { ...resolved, expectedIp: '192.0.2.99', matchesExpected: false },
    ),
    error: fc.constantFrom(...ERRORS),
  })
  .chain(({ scheme, path, dns, error }) => {
    const target = targetOf(scheme, path);
    const planned = planProbes(target);
    return fc
      .tuple(...planned.map((p) => probeArbitrary(p.protocol, p.port)))
      .map((probes) => ({ target, dns, error, probes: dns.status === 'failed' ? [] : probes }));
  });

function run(c: Case): { verdict: Verdict; checks: Check[] } {
  const verdict = decideVerdict(c);
  const checks = planChecks(c.target, planProbes(c.target), { knownGood: false }).map((plan) =>
    evaluateCheck(plan, { ...c, expectIp: c.dns.expectedIp ?? null, knownGood: null }),
  );
  return { verdict, checks };
}

const textOf = (v: Verdict): string => [v.summary, v.reason, v.fix, v.adminNote ?? ''].join(' ');

const RUNS = { numRuns: 300 };

// Generous time bounds: the machine running the suite may be busy; these tests are about truth, not speed.
describe('honesty invariants over generated evidence', { timeout: 120_000 }, () => {
  it('suggests only a URL that a probe of this run reached and found working', () => {
    fc.assert(
      fc.property(caseArbitrary, (c) => {
        const { verdict } = run(c);
        if (verdict.suggestedUrl === null) return;
        expect(c.dns.status).not.toBe('failed');
        expect(c.dns.matchesExpected).not.toBe(false);
        const working = c.probes.filter((p) => {
          if (p.reachability !== 'open') return false;
          const state = judgeProbe(p);
          const vlcPlayable = state === 'non-wms' && p.rtsp?.describeStatus === 200;
          return state === 'works' || vlcPlayable;
        });
        const urls = working.flatMap((p) =>
          ROUTE_NAMES.filter((name) => ROUTE_TABLE[name].probes.includes(p.protocol)).map((name) =>
            routeUrl(name, c.target, p),
          ),
        );
        expect(urls).toContain(verdict.suggestedUrl);
      }),
      RUNS,
    );
  });

  it('never says something about a route that its check contradicts', () => {
    fc.assert(
      fc.property(caseArbitrary, (c) => {
        const { verdict, checks } = run(c);
        const text = textOf(verdict);
        for (const name of ROUTE_NAMES) {
          const check = checks.find((k) => k.id === `route-${name}`)!;
          const words = ROUTE_TABLE[name].words;
          for (const [state, phrase] of Object.entries(ROUTE_STATE_WORDS)) {
            const said = new RegExp(
              `${words} on port (\\d+) ${phrase.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}`,
            );
            const match = said.exec(text);
            if (match) {
              expect(check.summary, `verdict says ${words} ${state}`).toContain(match[0]);
            }
          }
          if (check.status === 'pass') {
            expect(text).not.toMatch(new RegExp(`(does not speak|not over|no longer speaks) ${words}`));
          }
        }
        if (/speaks MMS too/.test(text))
          expect(checks.find((k) => k.id === 'route-mms')!.status).toBe('pass');
      }),
      RUNS,
    );
  });

  it('writes every sentence well formed, with no leaks, and plurals that agree', () => {
    fc.assert(
      fc.property(caseArbitrary, (c) => {
        const { verdict, checks } = run(c);
        const texts = [
          verdict.summary,
          verdict.reason,
          verdict.fix,
          ...(verdict.adminNote === null ? [] : [verdict.adminNote]),
          ...checks.map((check) => check.summary),
        ];
        for (const text of texts) {
          expect(text, text).toMatch(/^[A-Z0-9]/);
          expect(text, text).toMatch(/[.!?…]$/);
          expect(text, text).not.toMatch(/ {2}|\bundefined\b|\bnull\b|\(none\)|\[object|\bNaN\b/);
          expect(text, text).not.toMatch(/\b(open-silent|non-wms|not-checked|auth-required|byte-limit)\b/);
          expect(text, text).not.toMatch(/ is (works|auth|redirect|unknown)\b/);
          expect(text, text).not.toMatch(/\bport \d+(, \d+| and \d+)/);
          expect(text, text).not.toMatch(/\bports \d+(?![\d,]| and)/);
          expect(text, text).not.toMatch(/\.\./);
          // eslint-disable-next-line no-control-regex -- server text must reach sentences without them
          expect(text, text).not.toMatch(/[\u0000-\u001f\u202e]/);
        }
      }),
      RUNS,
    );
  });

  it('gives one status per fact: a route check and the wire check of the probe that decided it agree', () => {
    fc.assert(
      fc.property(caseArbitrary, (c) => {
        const { checks } = run(c);
        const routes = assessRoutes(c.target, c.probes);
        for (const name of ROUTE_NAMES) {
          const decided = routes[name].probe;
          if (!decided || decided.reachability !== 'open') continue;
          const routeCheck = checks.find((k) => k.id === `route-${name}`)!;
          const wire = checks.find((k) => k.id === `wire-${decided.protocol}-${decided.port}`);
          if (wire) expect(wire.status).toBe(routeCheck.status);
        }
      }),
      RUNS,
    );
  });

  it('shows a name that does not resolve as failed, never skipped', () => {
    fc.assert(
      fc.property(caseArbitrary, (c) => {
        const { verdict, checks } = run(c);
        if (c.dns.status !== 'failed') return;
        expect(verdict.code).toBe('dns-failed');
        expect(checks.find((k) => k.id === 'dns')!.status).toBe('fail');
      }),
      RUNS,
    );
  });

  it('speaks of the error code the user saw, and says so when the evidence points at the other one', () => {
    fc.assert(
      fc.property(caseArbitrary, (c) => {
        const { verdict } = run(c);
        if (c.error === null) return;
        expect(verdict.reason).toContain(c.error.hex);
        const other = c.error.hex === '0xC00D2EFA' ? '0xC00D2EE8' : '0xC00D2EFA';
        if (verdict.code === 'not-a-streaming-server' && c.error.hex === '0xC00D2EFA')
          expect(verdict.reason).toContain(`points at ${other}`);
        if (verdict.code === 'mms-only-server' && c.error.hex === '0xC00D2EE8')
          expect(verdict.reason).toContain(`points at ${other}`);
      }),
      RUNS,
    );
  });

  it('gives the same verdict class to the same web server over http:// and https://', () => {
    const statuses = fc.constantFrom(200, 301, 400, 401, 403, 404, 500, 503);
    fc.assert(
      fc.property(
        statuses,
        fc.constantFrom('html' as const, 'media' as const, 'asx' as const),
        probeArbitrary('mms', 1755),
        probeArbitrary('rtsp', 554),
        (status, kind, mmsProbe, rtspProbe) => {
          const redirect = status === 301 ? { redirectUrl: 'http://other.example.org/' } : {};
          const plain = decideVerdict({
            target: targetOf('http'),
            error: null,
            dns: resolved,
            probes: [
              mmsProbe,
              rtspProbe,
              mmsh(status, { cougar: false }),
              page(status, { kind, ...redirect }),
            ],
          });
          const secure = decideVerdict({
            target: targetOf('https'),
            error: null,
            dns: resolved,
            probes: [
              page(status, { port: 443, kind, ...redirect }),
              mmsProbe,
              rtspProbe,
              refused('mmsh', 80),
              refused('http', 80),
            ],
          });
          expect(secure.code).toBe(plain.code);
        },
      ),
      RUNS,
    );
  });
});

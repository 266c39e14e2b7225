import { describe, expect, it } from 'vitest';
import type { CheckScope } from '../../electron/common/report';
import type { Check, DiagnosisReport, Tier, VerdictCode } from '../../electron/ipc/contract';
import { applyRunEvent, newRun, type RunView } from './run-state';
import { mattersToVerdict, summarizeTier, tiersToOpen, workingWay } from './verdict-tiers';

const check = (id: string, tier: Tier, status: Check['status'], scope?: CheckScope): Check => ({
  id,
  tier,
  title: `Title ${id}`,
  status,
  summary: `Summary ${id}.`,
  command: '',
  ...(scope ? { scope } : {}),
});

function report(
  code: VerdictCode,
  checks: Check[],
  suggestedUrl: string | null = null,
  target: DiagnosisReport['target'] = { scheme: 'mms', host: 'media.example.org', port: 1755, path: '/live' },
): DiagnosisReport {
  return {
    schemaVersion: 1,
    tool: { name: 'stream-doctor', version: '0.1.0' },
    startedAt: '2025-01-01T00:00:00.000Z',
    durationMs: 10,
    input: { url: 'mms://media.example.org/live', errorCode: null, expectIp: null, timeoutMs: 3000 },
    error: null,
    target,
    dns: { status: 'resolved', addresses: ['192.0.2.10'], durationMs: 1 },
    probes: [],
    knownGood: null,
    checks,
    verdict: { code, summary: 'S.', reason: 'R.', fix: 'F.', suggestedUrl, adminNote: null },
  };
}

function finished(final: DiagnosisReport): RunView {
  return applyRunEvent(newRun('run-1', final.input.url, 0), { type: 'run-finished', report: final }, 5);
}

// What an mms:// address to Windows Media Services 2008 looks like: RTSP works, MMS and HTTP do not.
const useRtspChecks = [
  check('url-scheme', 'simple', 'warn'),
  check('route-rtsp', 'simple', 'pass', { route: 'rtsp' }),
  check('route-http', 'simple', 'fail', { route: 'http' }),
  check('route-mms', 'simple', 'fail', { route: 'mms' }),
  check('port-1755', 'moderate', 'warn', { port: 1755 }),
  check('port-554', 'moderate', 'pass', { port: 554 }),
  check('port-80', 'moderate', 'fail', { port: 80 }),
  check('wire-rtsp-554', 'advanced', 'pass', { route: 'rtsp', port: 554 }),
  check('wire-mms-1755', 'advanced', 'skip', { route: 'mms', port: 1755 }),
];
const useRtsp = report('use-rtsp', useRtspChecks, 'rtsp://media.example.org/live');

describe('which checks matter to the verdict', () => {
  it('finds the working protocol and port in the tested address, or in the address itself for "ok"', () => {
    expect(workingWay(useRtsp)).toEqual({ route: 'rtsp', port: 554 });
    expect(workingWay(report('use-http', [], 'http://[2001:db8::1]:8080/live'))).toEqual({
      route: 'http',
      port: 8080,
    });
    expect(workingWay(report('ok', []))).toEqual({ route: 'mms', port: 1755 });
    expect(workingWay(report('ports-filtered', []))).toBeNull();
    // An https address without a port works on 443, not on plain HTTP's 80.
    expect(workingWay(report('use-http', [], 'https://media.example.org/live'))).toEqual({
      route: 'http',
      port: 443,
    });
  });

  it('under a working address, only the checks of that protocol and port, and the general ones, matter', () => {
    const matters = useRtspChecks.filter((c) => mattersToVerdict(c, useRtsp)).map((c) => c.id);
    expect(matters).toEqual(['url-scheme', 'route-rtsp', 'port-554', 'wire-rtsp-554']);
    expect(mattersToVerdict({ id: 'windows.firewall-client' }, useRtsp)).toBe(true);
    expect(mattersToVerdict({ id: 'dns' }, useRtsp)).toBe(true);
  });

  it('reads what a check is about from its scope, never from its id', () => {
    // A report from an older build (or another check) named like a route check, with no scope: it matters.
    const unscoped = report(
      'use-rtsp',
      [check('route-mms', 'simple', 'fail')],
      'rtsp://media.example.org/live',
    );
    expect(mattersToVerdict({ id: 'route-mms' }, unscoped)).toBe(true);
    const scoped = report(
      'use-rtsp',
      [check('any-name', 'simple', 'fail', { route: 'mms' })],
      'rtsp://media.example.org/live',
    );
    expect(mattersToVerdict({ id: 'any-name' }, scoped)).toBe(false);
  });

  it('under a verdict that found no working address, every check matters', () => {
    const filtered = report('ports-filtered', useRtspChecks);
    expect(useRtspChecks.every((c) => mattersToVerdict(c, filtered))).toBe(true);
  });
});

describe('tier colours agree with the verdict', () => {
  it('a failure the working address does not need does not turn its tier red', () => {
    const run = finished(useRtsp);
    const simple = summarizeTier(run.checks, 'simple', useRtsp);
    expect(simple).toMatchObject({ tone: 'warn', failed: 0, notNeeded: 2, toNote: 1, passed: 1 });
    // The warning that colours it is the address's own scheme, which matters; port 1755's does not.
    const moderate = summarizeTier(run.checks, 'moderate', useRtsp);
    // A warning the working address does not need is not one "to note" either: it counts as not needed.
    expect(moderate).toMatchObject({ tone: 'good', failed: 0, notNeeded: 2, toNote: 0, passed: 1 });
  });

  it('a failure that matters turns its tier red', () => {
    const filtered = report('ports-filtered', useRtspChecks);
    expect(summarizeTier(finished(filtered).checks, 'moderate', filtered)).toMatchObject({
      tone: 'bad',
      failed: 1,
      notNeeded: 0,
    });
  });

  it('a tier where nothing was checked is neither green nor red', () => {
    const skipped = report('ports-filtered', [
      check('a', 'advanced', 'skip'),
      check('b', 'advanced', 'skip'),
    ]);
    expect(summarizeTier(finished(skipped).checks, 'advanced', skipped).tone).toBe('neutral');
  });

  it('while the run goes on (no verdict yet), every failure counts', () => {
    let run = newRun('run-1', 'mms://media.example.org/live', 0);
    run = applyRunEvent(
      run,
      { type: 'check-finished', check: check('route-mms', 'simple', 'fail', { route: 'mms' }) },
      1,
    );
    expect(summarizeTier(run.checks, 'simple', null)).toMatchObject({ tone: 'bad', failed: 1 });
  });
});

describe('tiers open by themselves where something that matters failed', () => {
  it('all closed under a working address whose failures do not matter: the verdict comes first', () => {
    expect(tiersToOpen(finished(useRtsp), null)).toEqual([]);
  });

  it('the tiers with failures that matter', () => {
    const filtered = report('ports-filtered', [
      check('route-rtsp', 'simple', 'fail', { route: 'rtsp' }),
      check('port-554', 'moderate', 'fail', { port: 554 }),
      check('wire-rtsp-554', 'advanced', 'skip', { route: 'rtsp', port: 554 }),
    ]);
    expect(tiersToOpen(finished(filtered), null)).toEqual(['simple', 'moderate']);
  });

  it('the tier of a warning that matters when nothing failed and no address works', () => {
    const auth = report('auth-required', [
      check('route-rtsp', 'simple', 'warn', { route: 'rtsp' }),
      check('port-554', 'moderate', 'pass', { port: 554 }),
    ]);
    expect(tiersToOpen(finished(auth), null)).toEqual(['simple']);
  });

  it('a check that could not run (error) is unknown: it neither opens its tier nor turns it red', () => {
    const filtered = report('ports-filtered', [
      check('port-554', 'moderate', 'fail', { port: 554 }),
      check('windows.wmp-version', 'advanced', 'error'),
      check('wire-rtsp-554', 'advanced', 'skip', { route: 'rtsp', port: 554 }),
    ]);
    const run = finished(filtered);
    expect(tiersToOpen(run, null)).toEqual(['moderate']);
    expect(summarizeTier(run.checks, 'advanced', filtered)).toMatchObject({
      tone: 'warn',
      failed: 0,
      couldNotCheck: 1,
    });
  });

  it('every tier down to the one IT staff asked for', () => {
    expect(tiersToOpen(finished(useRtsp), 'moderate')).toEqual(['simple', 'moderate']);
    expect(tiersToOpen(newRun('run-1', 'mms://x/live', 0), null)).toEqual(['simple']);
  });
});

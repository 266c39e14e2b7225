import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { Check, DiagnosisReport, RunEvent, StillWaitingEvent } from '../../electron/ipc/contract';
import { applyRunEvent, newRun, progressOf, type RunView } from './run-state';
import { summarizeTier } from './verdict-tiers';

const target = {
  scheme: 'mms',
  host: '127.0.0.1',
  displayHost: '127.0.0.1',
  hostKind: 'ipv4',
  port: 1755,
  explicitPort: false,
  path: '/live',
  url: 'mms://127.0.0.1/live',
  hadCredentials: false,
} as const;

const check = (id: string, tier: Check['tier'], status: Check['status']): Check => ({
  id,
  tier,
  title: `Title ${id}`,
  status,
  summary: `Summary ${id}`,
  command: '',
});

function report(checks: Check[], code: DiagnosisReport['verdict']['code']): DiagnosisReport {
  return {
    schemaVersion: 1,
    tool: { name: 'stream-doctor', version: '0.1.0' },
    startedAt: '2025-01-01T00:00:00.000Z',
    durationMs: 10,
    input: { url: target.url, errorCode: null, expectIp: null, timeoutMs: 3000 },
    error: null,
    target: { scheme: 'mms', host: '127.0.0.1', port: 1755, path: '/live' },
    dns: { status: 'literal', addresses: ['127.0.0.1'], durationMs: 0 },
    probes: [],
    knownGood: null,
    checks,
    verdict: { code, summary: 's', reason: 'r', fix: 'f', suggestedUrl: null, adminNote: null },
  };
}

function started(): RunView {
  return applyRunEvent(
    newRun('run-1', target.url, 0),
    {
      type: 'run-started',
      target,
      checks: [
        { id: 'a', tier: 'simple', title: 'Title a' },
        { id: 'b', tier: 'moderate', title: 'Title b' },
        { id: 'c', tier: 'advanced', title: 'Title c' },
      ],
    },
    0,
  );
}

describe('run state from events', () => {
  it('goes pending → running (with its start time) → finished (with its end time)', () => {
    let run = started();
    expect(run.checks.map((c) => c.state)).toEqual(['pending', 'pending', 'pending']);
    run = applyRunEvent(run, { type: 'check-started', id: 'a', tier: 'simple', title: 'Title a' }, 100);
    expect(run.checks[0]).toMatchObject({ state: 'running', startedAt: 100 });
    run = applyRunEvent(run, { type: 'check-finished', check: check('a', 'simple', 'fail') }, 350);
    expect(run.checks[0]).toMatchObject({ state: 'fail', startedAt: 100, finishedAt: 350 });
    expect(progressOf(run)).toEqual({ done: 1, total: 3 });
  });

  it('keeps the early no-answer notice until a probe hears from the host', () => {
    const waiting: StillWaitingEvent = {
      type: 'still-waiting',
      host: '127.0.0.1',
      ports: [1755, 554],
      afterMs: 1000,
      deadlineMs: 3000,
    };
    let run = applyRunEvent(started(), waiting, 1000);
    expect(run.waiting).toEqual(waiting);
    const probe = (reachability: 'timeout' | 'refused') =>
      ({
        type: 'probe-finished',
        probe: {
          protocol: 'mms',
          port: 1755,
          address: '127.0.0.1',
          reachability,
          reachabilityReason: reachability,
          speaks: false,
          server: null,
          status: null,
          detail: reachability,
          durationMs: 3000,
          replyKind: 'nothing',
          ending: null,
          evidence: { sent: '', received: '' },
        },
      }) as const;
    run = applyRunEvent(run, probe('timeout'), 3000);
    expect(run.waiting).toEqual(waiting);
    run = applyRunEvent(run, probe('refused'), 3001);
    expect(run.waiting).toBeNull();
  });

  it('adds checks it was not told about (Windows checks re-run after a fix)', () => {
    const run = applyRunEvent(
      started(),
      { type: 'check-finished', check: check('firewall', 'moderate', 'pass') },
      5,
    );
    expect(run.checks.map((c) => c.id)).toEqual(['a', 'b', 'c', 'firewall']);
  });

  it('takes the report as the truth when the run finishes', () => {
    const final = report(
      [check('a', 'simple', 'pass'), check('b', 'moderate', 'fail'), check('c', 'advanced', 'skip')],
      'ports-filtered',
    );
    const run = applyRunEvent(started(), { type: 'run-finished', report: final }, 900);
    expect(run.phase).toBe('finished');
    expect(run.checks.map((c) => c.state)).toEqual(['pass', 'fail', 'skip']);
    expect(summarizeTier(run.checks, 'moderate', final)).toMatchObject({
      total: 1,
      done: 1,
      passed: 0,
      toNote: 0,
      failed: 1,
      skipped: 0,
    });
  });

  it('marks unfinished checks cancelled, keeps finished ones', () => {
    let run = applyRunEvent(started(), { type: 'check-finished', check: check('a', 'simple', 'pass') }, 10);
    run = applyRunEvent(run, { type: 'check-started', id: 'b', tier: 'moderate', title: 'Title b' }, 20);
    run = applyRunEvent(run, { type: 'run-cancelled' }, 30);
    expect(run.phase).toBe('cancelled');
    expect(run.checks.map((c) => c.state)).toEqual(['pass', 'cancelled', 'cancelled']);
    expect(progressOf(run)).toEqual({ done: 3, total: 3 });
  });

  it('reads checks that end while cancelling as cancelled, not failed', () => {
    const cancelling: RunView = { ...started(), phase: 'cancelling' };
    const run = applyRunEvent(
      cancelling,
      { type: 'check-finished', check: check('a', 'simple', 'fail') },
      10,
    );
    expect(run.checks[0]).toMatchObject({ state: 'cancelled', check: { status: 'fail' } });
  });

  it('keeps a pass that arrives while cancelling: stopping cannot make a port answer', () => {
    const cancelling: RunView = { ...started(), phase: 'cancelling' };
    const run = applyRunEvent(
      cancelling,
      { type: 'check-finished', check: check('a', 'moderate', 'pass') },
      10,
    );
    expect(run.checks[0]).toMatchObject({ state: 'pass' });
  });
});

const heading = (id: string, tier: Check['tier'] = 'simple') => ({ id, tier, title: `Title ${id}` });

describe('the progress bar', () => {
  it('does not move back when checks nobody announced turn up (2 of 9 → 2 of 22)', () => {
    let run = applyRunEvent(
      newRun('run-1', target.url, 0),
      { type: 'run-started', target, checks: Array.from({ length: 9 }, (_, i) => heading(`n${i}`)) },
      0,
    );
    run = applyRunEvent(run, { type: 'check-finished', check: check('n0', 'simple', 'pass') }, 1);
    run = applyRunEvent(run, { type: 'check-finished', check: check('n1', 'simple', 'pass') }, 2);
    const before = run.barFraction;
    expect(before).toBeCloseTo(2 / 9);
    for (let i = 0; i < 13; i++)
      run = applyRunEvent(run, { type: 'check-started', id: `w${i}`, tier: 'moderate', title: `W ${i}` }, 3);
    expect(progressOf(run)).toEqual({ done: 2, total: 22 });
    expect(run.barFraction).toBeGreaterThanOrEqual(before);
  });

  it('keeps a check that reported before the list of checks arrived', () => {
    let run = applyRunEvent(
      newRun('run-1', target.url, 0),
      { type: 'check-finished', check: check('early', 'moderate', 'pass') },
      1,
    );
    run = applyRunEvent(run, { type: 'run-started', target, checks: [heading('a')] }, 2);
    expect(run.checks.map((c) => c.id)).toEqual(['a', 'early']);
    expect(progressOf(run)).toEqual({ done: 1, total: 2 });
  });

  it('is full once the run is over, whatever way it ended', () => {
    expect(applyRunEvent(started(), { type: 'run-cancelled' }, 1).barFraction).toBe(1);
    expect(applyRunEvent(started(), { type: 'run-failed', message: 'x' }, 1).barFraction).toBe(1);
    const final = report([check('a', 'simple', 'pass')], 'ok');
    expect(applyRunEvent(started(), { type: 'run-finished', report: final }, 1).barFraction).toBe(1);
  });

  const ids = ['a', 'b', 'c', 'd', 'e', 'f', 'g'];
  const tierArb = fc.constantFrom<Check['tier']>('simple', 'moderate', 'advanced');
  const statusArb = fc.constantFrom<Check['status']>('pass', 'warn', 'fail', 'skip', 'error');
  const checkArb = fc
    .tuple(fc.constantFrom(...ids), tierArb, statusArb)
    .map(([id, tier, status]) => check(id, tier, status));
  /** Any order of anything main could send, plus the store's own switch to "cancelling". */
  const stepArb: fc.Arbitrary<RunEvent | 'cancel-pressed'> = fc.oneof(
    fc
      .uniqueArray(fc.tuple(fc.constantFrom(...ids), tierArb), { selector: ([id]) => id })
      .map((list): RunEvent => ({
        type: 'run-started',
        target,
        checks: list.map(([id, tier]) => heading(id, tier)),
      })),
    fc
      .tuple(fc.constantFrom(...ids), tierArb)
      .map(([id, tier]): RunEvent => ({ type: 'check-started', id, tier, title: `Title ${id}` })),
    checkArb.map((c): RunEvent => ({ type: 'check-finished', check: c })),
    fc
      .uniqueArray(checkArb, { selector: (c) => c.id })
      .map((checks): RunEvent => ({ type: 'run-finished', report: report(checks, 'ok') })),
    fc.constant<RunEvent>({ type: 'run-cancelled' }),
    fc.constant<RunEvent>({ type: 'run-failed', message: 'broke' }),
    fc.constant('cancel-pressed' as const),
  );

  it('never moves backwards and stays between 0 and 1, over any sequence of events', () => {
    fc.assert(
      fc.property(fc.array(stepArb, { maxLength: 40 }), (steps) => {
        let run = newRun('run-1', target.url, 0);
        let previous = run.barFraction;
        steps.forEach((step, time) => {
          run =
            step === 'cancel-pressed'
              ? run.phase === 'running'
                ? { ...run, phase: 'cancelling' }
                : run
              : applyRunEvent(run, step, time);
          expect(run.barFraction).toBeGreaterThanOrEqual(previous);
          expect(run.barFraction).toBeLessThanOrEqual(1);
          const { done, total } = progressOf(run);
          expect(done).toBeLessThanOrEqual(total);
          previous = run.barFraction;
        });
      }),
      { numRuns: 500 },
    );
  });
});

// The full run (network + this computer's checks) with fake local checks and, where it matters, the real
// network engine against real servers: a Windows Media RTSP simulator and a filtered host in a namespace.
import { afterAll, describe, expect, it } from 'vitest';
import type { Check, DiagnosisReport } from '../diagnosis/types';
import { startRtspServer } from '../test-support/rtsp-server';
import { createFilteredHost } from '../test-support/peers/netns';
import type { CheckHeading, DiagnosisEvent } from './events';
import {
  compareChecks,
  runFullDiagnosis,
  withLocalChecks,
  type FullRunEvent,
  type LocalChecks,
  type NetworkRun,
} from './full-run';
import { DiagnosisCancelled, validateRequest, type ValidRequest } from './run-diagnosis';
import { reportForRequest } from './test-support/report-for';
import { useNamespaceHost } from '../test-support/peers/namespace-host';

const closers: Array<() => Promise<void>> = [];
afterAll(async () => {
  await Promise.all(closers.map((close) => close()));
});

function valid(url: string, timeoutMs = 1500): ValidRequest {
  const validation = validateRequest({ url, timeoutMs });
  if (!validation.ok) throw new Error(validation.message);
  return validation.value;
}

const firewallHeading: CheckHeading = { id: 'firewall-client', tier: 'moderate', title: 'Firewall' };
const firewallCheck = (status: Check['status']): Check => ({
  ...firewallHeading,
  status,
  summary: status === 'fail' ? 'A rule blocks TCP 554.' : 'Nothing blocks the ports.',
  command: 'netsh advfirewall firewall show rule name=all verbose',
});

/** Local checks that answer after `delayMs`, or only when stopped with `hang`; they record the signal. */
function fakeLocal(options: { delayMs?: number; hang?: boolean; throws?: boolean } = {}) {
  const signals: AbortSignal[] = [];
  const local: LocalChecks<string> = {
    plan: () => [firewallHeading],
    async inspect(_target, signal) {
      signals.push(signal);
      if (options.throws) throw new Error('netsh vanished');
      if (options.hang) {
        await new Promise<void>((resolve) =>
          signal.addEventListener('abort', () => resolve(), { once: true }),
        );
        return { checks: [], fixes: [] };
      }
      await new Promise((resolve) => setTimeout(resolve, options.delayMs ?? 1));
      return { checks: [firewallCheck('fail')], fixes: ['disable-rule:block-554'] };
    },
  };
  return { local, signals };
}

function reportOf(request: ValidRequest, checks: Check[]): DiagnosisReport {
  return reportForRequest(request, checks, {
    code: 'ports-filtered',
    summary: 's',
    reason: 'r',
    fix: 'f',
    suggestedUrl: null,
    adminNote: null,
  });
}

/** A network run that sends its probes to `ports` and hears nothing until `silentMs` have passed. */
function silentNetwork(ports: number[], silentMs: number, answerFirst = false): NetworkRun {
  return async (request, options) => {
    const emit = (event: DiagnosisEvent): void => options.onEvent?.(event);
    emit({ type: 'run-started', target: request.target, checks: [] });
    for (const port of ports) emit({ type: 'probe-started', protocol: 'rtsp', port });
    const finish = (port: number, reachability: 'refused' | 'timeout'): void =>
      emit({
        type: 'probe-finished',
        probe: {
          protocol: 'rtsp',
          port,
          address: request.target.host,
          reachability,
          reachabilityReason: reachability,
          speaks: false,
          server: null,
          status: null,
          detail: reachability,
          durationMs: 0,
          replyKind: 'nothing',
          ending: null,
          evidence: { sent: '', received: '' },
        },
      });
    if (answerFirst) finish(ports[0]!, 'refused');
    await new Promise((resolve) => setTimeout(resolve, silentMs));
    for (const port of answerFirst ? ports.slice(1) : ports) finish(port, 'timeout');
    const report = reportOf(request, []);
    emit({ type: 'run-finished', report });
    return report;
  };
}

describe('runFullDiagnosis', () => {
  it('announces every check of both parts at the start, and finishes once with the merged report', async () => {
    const rtsp = await startRtspServer({ streams: { '/live': 'ok' } });
    closers.push(() => rtsp.close());
    const { local } = fakeLocal();
    const events: FullRunEvent[] = [];
    const inspected: string[][] = [];
    const result = await runFullDiagnosis(
      valid(`rtsp://127.0.0.1:${rtsp.port}/live`),
      { local },
      {
        onEvent: (event) => events.push(event),
        onLocalInspection: ({ fixes }) => inspected.push([...fixes, `events so far: ${events.length}`]),
      },
    );
    const types = events.map((e) => e.type);
    expect(types[0]).toBe('run-started');
    expect(types.filter((t) => t === 'run-started')).toHaveLength(1);
    expect(types.filter((t) => t === 'run-finished')).toHaveLength(1);
    expect(types.at(-1)).toBe('run-finished');
    const started = events[0] as Extract<FullRunEvent, { type: 'run-started' }>;
    const announced = started.checks.map((c) => c.id);
    expect(announced.at(-1)).toBe('firewall-client');
    // The total never grows: every check that starts or finishes was announced at the start.
    for (const event of events) {
      if (event.type === 'check-started') expect(announced).toContain(event.id);
      if (event.type === 'check-finished') expect(announced).toContain(event.check.id);
    }
    expect(result.report.verdict.code).toBe('ok');
    expect(result.report.checks.map((c) => c.id)).toEqual(announced);
    expect(result.localChecks).toEqual([firewallCheck('fail')]);
    expect(result.fixes).toEqual(['disable-rule:block-554']);
    // The fixes are handed over before run-finished goes out.
    expect(inspected).toEqual([['disable-rule:block-554', `events so far: ${events.length - 1}`]]);
    const finished = events.at(-1) as Extract<FullRunEvent, { type: 'run-finished' }>;
    expect(finished.report).toEqual(result.report);
  });

  it('cancels both parts: rejects only after the local checks stopped, with one run-cancelled', async () => {
    const { local, signals } = fakeLocal({ hang: true });
    const controller = new AbortController();
    const events: FullRunEvent[] = [];
    const network: NetworkRun = async (request, options) => {
      options.onEvent?.({ type: 'run-started', target: request.target, checks: [] });
      await new Promise<void>((resolve) =>
        options.signal?.addEventListener('abort', () => resolve(), { once: true }),
      );
      options.onEvent?.({ type: 'run-cancelled' });
      throw new DiagnosisCancelled();
    };
    const run = runFullDiagnosis(
      valid('mms://127.0.0.1/live'),
      { local, network },
      { signal: controller.signal, onEvent: (e) => events.push(e) },
    );
    await new Promise((resolve) => setTimeout(resolve, 20));
    controller.abort();
    await expect(run).rejects.toBeInstanceOf(DiagnosisCancelled);
    expect(signals).toHaveLength(1);
    expect(signals[0]!.aborted).toBe(true);
    expect(events.filter((e) => e.type === 'run-cancelled')).toHaveLength(1);
    expect(events.at(-1)?.type).toBe('run-cancelled');
    expect(events.map((e) => e.type)).not.toContain('run-finished');
  });

  it('passes a broken network run on as its error and stops the local checks', async () => {
    const { local, signals } = fakeLocal({ hang: true });
    const network: NetworkRun = async (request, options) => {
      options.onEvent?.({ type: 'run-started', target: request.target, checks: [] });
      await new Promise((resolve) => setTimeout(resolve, 5));
      throw new Error('socket exploded');
    };
    await expect(runFullDiagnosis(valid('mms://127.0.0.1/live'), { local, network })).rejects.toThrow(
      'socket exploded',
    );
    expect(signals[0]!.aborted).toBe(true);
  });

  it('turns local checks that throw into checks with status error, and the run still finishes', async () => {
    const { local } = fakeLocal({ throws: true });
    const result = await runFullDiagnosis(valid('mms://127.0.0.1/live'), {
      local,
      network: silentNetwork([], 0),
    });
    expect(result.localChecks).toEqual([
      { ...firewallHeading, status: 'error', summary: 'This check failed: netsh vanished', command: '' },
    ]);
    expect(result.report.checks.map((c) => c.id)).toEqual(['firewall-client']);
  });
});

describe('the early warning when no port answers', () => {
  it('says which ports are still waiting, and the deadline, before any probe ends', async () => {
    const { local } = fakeLocal();
    const events: FullRunEvent[] = [];
    await runFullDiagnosis(
      valid('mms://192.0.2.1/live', 3000),
      { local, network: silentNetwork([1755, 554, 80], 150) },
      { onEvent: (e) => events.push(e), stillWaitingAfterMs: 30 },
    );
    const waiting = events.filter((e) => e.type === 'still-waiting');
    expect(waiting).toEqual([
      { type: 'still-waiting', host: '192.0.2.1', ports: [1755, 554, 80], afterMs: 30, deadlineMs: 3000 },
    ]);
    const order = events.map((e) => e.type);
    expect(order.indexOf('still-waiting')).toBeLessThan(order.indexOf('probe-finished'));
  });

  it('stays quiet when a port has answered, or when the run ends first', async () => {
    const { local } = fakeLocal();
    for (const network of [silentNetwork([1755, 554], 120, true), silentNetwork([1755], 0)]) {
      const events: FullRunEvent[] = [];
      await runFullDiagnosis(
        valid('mms://192.0.2.1/live', 3000),
        { local, network },
        { onEvent: (e) => events.push(e), stillWaitingAfterMs: 30 },
      );
      expect(events.map((e) => e.type)).not.toContain('still-waiting');
    }
    // Nor when the deadline is no later than the warning would be.
    const events: FullRunEvent[] = [];
    await runFullDiagnosis(
      valid('mms://192.0.2.1/live', 250),
      { local, network: silentNetwork([1755], 120) },
      { onEvent: (e) => events.push(e), stillWaitingAfterMs: 300 },
    );
    expect(events.map((e) => e.type)).not.toContain('still-waiting');
  });

  describe('against a real filtered host (network namespace with an iptables DROP rule)', () => {
    const namespaceHost = useNamespaceHost(createFilteredHost, 'filtered-host');

    it('warns while the probes still wait, and the verdict keeps its full deadline', async (context) => {
      const host = namespaceHost();
      if (!host) return context.skip();
      const { local } = fakeLocal();
      const events: FullRunEvent[] = [];
      const result = await runFullDiagnosis(
        valid(`mms://${host.address}/live`, 2000),
        { local },
        { onEvent: (e) => events.push(e), stillWaitingAfterMs: 500 },
      );
      const waiting = events.find((e) => e.type === 'still-waiting');
      expect(waiting).toMatchObject({ host: host.address, afterMs: 500, deadlineMs: 2000 });
      expect((waiting as { ports: number[] }).ports).toEqual(expect.arrayContaining([1755, 554, 80]));
      const order = events.map((e) => e.type);
      expect(order.indexOf('still-waiting')).toBeLessThan(order.indexOf('probe-finished'));
      expect(result.report.verdict.code).toBe('ports-filtered');
    });
  });
});

describe('the pure helpers', () => {
  const network: Check = { ...firewallCheck('pass'), id: 'route-rtsp', tier: 'simple', title: 'RTSP' };
  it('replaces the local checks read before with the new reading, after the network checks', () => {
    const report = reportOf(valid('mms://127.0.0.1/live'), [network, firewallCheck('fail')]);
    const updated = withLocalChecks(report, [firewallCheck('fail')], [firewallCheck('pass')]);
    expect(updated.checks).toEqual([network, firewallCheck('pass')]);
    expect(report.checks).toEqual([network, firewallCheck('fail')]);
  });

  it('compares a fix’s checks before and after, naming ones that are gone', () => {
    expect(
      compareChecks(['firewall-client', 'gone'], [firewallCheck('fail')], [firewallCheck('pass')]),
    ).toEqual([
      {
        id: 'firewall-client',
        title: 'Firewall',
        before: firewallCheck('fail'),
        after: firewallCheck('pass'),
      },
      { id: 'gone', title: 'gone', before: null, after: null },
    ]);
  });
});

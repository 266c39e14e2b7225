// The store's support-bundle, open-report and self-test actions against a fake preload API.
import { describe, expect, it } from 'vitest';
import type { IpcResult, OpenedRun, StreamDoctorApi } from '../../electron/ipc/contract';
import { sampleReport } from '../../electron/bundle/test-support/sample-report';
import { createAppStore } from './store';

const ok = <T>(value: T): Promise<IpcResult<T>> => Promise.resolve({ ok: true, value });

function api(overrides: Partial<StreamDoctorApi>): { api: StreamDoctorApi; calls: string[] } {
  const calls: string[] = [];
  const handler = {
    get(_target: object, name: string) {
      if (name in overrides) return overrides[name as keyof StreamDoctorApi];
      if (name === 'onRunEvent') return () => () => undefined;
      return (...args: unknown[]) => {
        calls.push(`${name}(${args.map((a) => JSON.stringify(a)).join(', ')})`);
        return Promise.resolve({ ok: false, error: { code: 'failed', message: `${name} not faked` } });
      };
    },
  };
  return { api: new Proxy({}, handler) as StreamDoctorApi, calls };
}

const opened: OpenedRun = {
  kind: 'bundle',
  fileName: 'b.zip',
  report: sampleReport(),
  computerName: 'REMOTE-PC',
  createdAt: '2026-03-04T05:07:00.000Z',
  userErrorText: '0xC00D2EFA',
  systemFacts: null,
  appLog: [],
  warnings: ['report.json does not match the SHA-256 in the manifest'],
};

describe('opening a report or bundle', () => {
  it('shows the remote run finished, read-only, with every tier open and no fixes', async () => {
    const { api: fake } = api({ openReportOrBundle: () => ok({ opened: true as const, run: opened }) });
    const store = createAppStore(fake, () => 0);
    await store.getState().openReportOrBundle();
    const state = store.getState();
    expect(state.screen).toBe('wizard');
    expect(state.openedRun).toEqual(opened);
    expect(state.run?.phase).toBe('finished');
    expect(state.run?.report).toEqual(opened.report);
    expect(state.run?.checks.map((c) => [c.id, c.state])).toEqual([
      ['route-rtsp', 'pass'],
      ['windows.firewall-client', 'skip'],
    ]);
    expect((state.run?.finishedAt ?? 0) - (state.run?.startedAt ?? 0)).toBe(opened.report.durationMs);
    expect(state.openTiers).toEqual(['simple', 'moderate', 'advanced']);
    expect(state.fixes).toEqual([]);
    // No bundle of someone else's run; Close goes back to the start and forgets it.
    await state.saveSupportBundle();
    expect(store.getState().savedBundle).toBeNull();
    store.getState().backToStart();
    expect(store.getState()).toMatchObject({ screen: 'start', openedRun: null });
  });

  it('stays on the start screen when the dialog is closed, and says why a file was refused', async () => {
    const closed = createAppStore(api({ openReportOrBundle: () => ok({ opened: false as const }) }).api);
    await closed.getState().openReportOrBundle();
    expect(closed.getState()).toMatchObject({ screen: 'start', openedRun: null, notice: null });
    const refused = createAppStore(
      api({
        openReportOrBundle: () =>
          Promise.resolve({ ok: false, error: { code: 'failed', message: 'made by a newer Stream Doctor' } }),
      }).api,
    );
    await refused.getState().openReportOrBundle();
    expect(refused.getState()).toMatchObject({
      screen: 'start',
      notice: { tone: 'error', text: 'made by a newer Stream Doctor' },
    });
  });
});

describe('saving a support bundle and the self-test', () => {
  it('saves the finished run by its id, then shows that bundle in its folder by the id main gave', async () => {
    const calls: string[] = [];
    const { api: fake } = api({
      saveSupportBundle: (runId) => {
        calls.push(`save ${runId}`);
        return ok({ bundleId: 'bundle-1', path: 'C:\\Tools\\b.zip', fileName: 'b.zip' });
      },
      showSavedBundle: (bundleId) => {
        calls.push(`show ${bundleId}`);
        return ok({ shown: true as const });
      },
    });
    const store = createAppStore(fake, () => 0);
    store.setState({
      screen: 'wizard',
      run: {
        runId: 'run-1',
        url: 'mms://x/y',
        phase: 'finished',
        startedAt: 0,
        finishedAt: 1,
        checks: [],
        report: sampleReport(),
        failure: null,
      } as never,
    });
    await store.getState().saveSupportBundle();
    await store.getState().showSavedBundle();
    expect(calls).toEqual(['save run-1', 'show bundle-1']);
    expect(store.getState().notice?.text).toMatch(
      /^Support bundle saved to C:\\Tools\\b\.zip\. Nothing was sent/,
    );
  });

  it('keeps the self-test result', async () => {
    const result = { passed: false, loopbackBlocked: true, steps: [], summary: 'blocked' };
    const store = createAppStore(api({ runSelfTest: () => ok(result) }).api);
    const running = store.getState().runSelfTest();
    expect(store.getState().selfTest.running).toBe(true);
    await running;
    expect(store.getState().selfTest).toEqual({ running: false, result });
  });
});

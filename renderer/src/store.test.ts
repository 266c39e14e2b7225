import { describe, expect, it } from 'vitest';
import type { Check, DiagnosisReport, IpcResult, StreamDoctorApi } from '../../electron/ipc/contract';
import { checkFormLocally, createAppStore } from './store';

type Calls = Array<[string, unknown[]]>;

function fakeApi(overrides: Partial<StreamDoctorApi> = {}): { api: StreamDoctorApi; calls: Calls } {
  const calls: Calls = [];
  const ok = <T>(value: T): Promise<IpcResult<T>> => Promise.resolve({ ok: true, value });
  const record =
    <A extends unknown[], T>(name: string, value: T) =>
    (...args: A) => {
      calls.push([name, args]);
      return ok(value);
    };
  const api: StreamDoctorApi = {
    startDiagnosis: record('startDiagnosis', { runId: 'run-1' }),
    cancelDiagnosis: record('cancelDiagnosis', { cancelled: true }),
    listFixes: record('listFixes', [
      {
        id: 'run-1/fix',
        title: 'Turn off rule',
        needsAdmin: true,
        applied: false,
        checkIds: ['fw'],
        doubt: null,
      },
    ]),
    previewFix: record('previewFix', {
      id: 'run-1/fix',
      title: 'Turn off rule',
      needsAdmin: true,
      applied: false,
      checkIds: ['fw'],
      doubt: null,
      description: 'd',
      changes: ['c'],
      commands: ['netsh …'],
      undoCommands: ['netsh … yes'],
    }),
    applyFix: record('applyFix', {
      fixId: 'run-1/fix',
      state: 'applied' as const,
      message: 'Updated 1 rule(s).',
      comparison: [],
    }),
    undoFix: record('undoFix', {
      fixId: 'run-1/fix',
      state: 'undone' as const,
      message: 'Updated 1 rule(s).',
      comparison: [],
    }),
    listAppliedChanges: record('listAppliedChanges', {
      changes: [
        {
          id: 'change-1',
          title: 'Turn off rule',
          appliedAt: '2025-01-01T00:00:00.000Z',
          needsAdmin: true,
          undoCommands: ['netsh … yes'],
          status: 'applied' as const,
          note: null,
        },
      ],
      notices: [],
    }),
    undoAppliedChange: record('undoAppliedChange', { message: 'Undone and verified.' }),
    exportReport: record('exportReport', { saved: true, path: '/tmp/r.html' }),
    getReport: record('getReport', {} as DiagnosisReport),
    copyText: record('copyText', { copied: true as const }),
    copySummary: record('copySummary', { text: 'summary' }),
    detectPlayers: record('detectPlayers', []),
    openInPlayer: record('openInPlayer', { opened: true as const }),
    openHelp: record('openHelp', { opened: true as const }),
    getStartupConfig: record('getStartupConfig', {
      prefill: {
        url: null,
        errorCode: null,
        expectIp: null,
        tier: null,
        timeoutMs: null,
        knownGoodUrl: null,
      },
      sources: [],
      problems: [],
    }),
    saveSupportBundle: record('saveSupportBundle', {
      bundleId: 'bundle-1',
      path: '/home/u/Documents/b.zip',
      fileName: 'b.zip',
    }),
    showSavedBundle: record('showSavedBundle', { shown: true as const }),
    openReportOrBundle: record('openReportOrBundle', { opened: false as const }),
    runSelfTest: record('runSelfTest', { passed: true, loopbackBlocked: false, steps: [], summary: 'works' }),
    onRunEvent: () => () => undefined,
    ...overrides,
  };
  return { api, calls };
}

const report = (code: DiagnosisReport['verdict']['code'], checks: Check[] = []): DiagnosisReport =>
  ({
    checks,
    verdict: { code, summary: 's', reason: 'r', fix: 'f', suggestedUrl: null, adminNote: null },
  }) as unknown as DiagnosisReport;

describe('the wizard store', () => {
  it('explains an empty or oversized address without asking main', async () => {
    expect(
      checkFormLocally({ url: '  ', errorCode: '', expectIp: '', knownGoodUrl: '', timeoutMs: null }).url,
    ).toMatch(/^Enter the stream address/);
    const { api, calls } = fakeApi();
    const store = createAppStore(api);
    store.getState().setField('url', 'y'.repeat(5000));
    await store.getState().submit();
    expect(store.getState().fieldErrors.url).toMatch(/5,000 characters long/);
    expect(calls.filter(([name]) => name === 'startDiagnosis')).toEqual([]);
    expect(store.getState().screen).toBe('start');
  });

  it('puts main’s explanation on the field it names', async () => {
    const { api } = fakeApi({
      startDiagnosis: () =>
        Promise.resolve({
          ok: false,
          error: { code: 'invalid-input', message: 'No IP.', field: 'expectIp' },
        }),
    });
    const store = createAppStore(api);
    store.getState().setField('url', 'mms://h/live');
    await store.getState().submit();
    expect(store.getState().fieldErrors).toEqual({ expectIp: 'No IP.' });
    store.getState().setField('expectIp', '1');
    expect(store.getState().fieldErrors.expectIp).toBeUndefined();
  });

  it('sends the known-good stream, trimmed, and shows main’s objection to it at its own field', async () => {
    const { api, calls } = fakeApi({
      startDiagnosis: (request) => {
        calls.push(['startDiagnosis', [request]]);
        return Promise.resolve({
          ok: false,
          error: { code: 'invalid-input', message: 'Known-good stream: no host.', field: 'knownGoodUrl' },
        });
      },
    });
    const store = createAppStore(api);
    store.getState().setField('url', 'mms://h/live');
    store.getState().setField('knownGoodUrl', '  rtsp://good.example/live ');
    await store.getState().submit();
    expect(calls.find(([name]) => name === 'startDiagnosis')?.[1]).toEqual([
      { url: 'mms://h/live', errorCode: null, expectIp: null, knownGoodUrl: 'rtsp://good.example/live' },
    ]);
    expect(store.getState().fieldErrors).toEqual({ knownGoodUrl: 'Known-good stream: no host.' });
    expect(store.getState().screen).toBe('start');
    store.getState().setField('knownGoodUrl', 'rtsp://good.example/');
    expect(store.getState().fieldErrors.knownGoodUrl).toBeUndefined();
  });

  it('fills the known-good stream in from the start-up settings', async () => {
    const { api } = fakeApi({
      getStartupConfig: () =>
        Promise.resolve({
          ok: true,
          value: {
            prefill: {
              url: 'mms://h/live',
              errorCode: null,
              expectIp: null,
              tier: null,
              timeoutMs: null,
              knownGoodUrl: 'mms://good.example/live',
            },
            sources: ['command line'],
            problems: [],
          },
        }),
    });
    const store = createAppStore(api);
    await store.getState().init();
    expect(store.getState().form.knownGoodUrl).toBe('mms://good.example/live');
    expect(store.getState().form.url).toBe('mms://h/live');
  });

  it('starts a run, follows only its own events, opens only the tiers that failed and fetches fixes when it ends', async () => {
    const { api, calls } = fakeApi();
    let clock = 1000;
    const store = createAppStore(api, () => clock);
    store.getState().setField('url', ' mms://h/live ');
    store.getState().setField('errorCode', '0xC00D2EFA');
    await store.getState().submit();
    expect(calls.find(([name]) => name === 'startDiagnosis')?.[1]).toEqual([
      { url: 'mms://h/live', errorCode: '0xC00D2EFA', expectIp: null, knownGoodUrl: null },
    ]);
    expect(store.getState().screen).toBe('wizard');
    expect(store.getState().recentUrls).toEqual(['mms://h/live']);

    store.getState().receive({ runId: 'other-run', event: { type: 'run-finished', report: report('ok') } });
    expect(store.getState().run?.phase).toBe('running');
    clock = 4000;
    store
      .getState()
      .receive({ runId: 'run-1', event: { type: 'run-started', target: {} as never, checks: [] } });
    expect(store.getState().openTiers).toEqual(['simple']);
    const portFailed: Check = {
      id: 'port-554',
      tier: 'moderate',
      title: 'TCP port 554 (RTSP)',
      status: 'fail',
      summary: 'No answer.',
      command: '',
    };
    store.getState().receive({
      runId: 'run-1',
      event: { type: 'run-finished', report: report('ports-filtered', [portFailed]) },
    });
    expect(store.getState().run?.phase).toBe('finished');
    expect(store.getState().run?.finishedAt).toBe(4000);
    // The verdict comes first: the simple tier watched during the run closes, the failed one opens.
    expect(store.getState().openTiers).toEqual(['moderate']);
    await Promise.resolve();
    await Promise.resolve();
    expect(store.getState().fixes.map((f) => f.id)).toEqual(['run-1/fix']);
  });

  it('cancels once, and does not go back to the start while the run is stopping', async () => {
    const { api, calls } = fakeApi();
    const store = createAppStore(api);
    store.getState().setField('url', 'mms://h/live');
    await store.getState().submit();
    const cancelling = store.getState().cancel();
    expect(store.getState().run?.phase).toBe('cancelling');
    store.getState().backToStart();
    expect(store.getState().screen).toBe('wizard');
    await cancelling;
    await store.getState().cancel();
    expect(calls.filter(([name]) => name === 'cancelDiagnosis')).toEqual([['cancelDiagnosis', ['run-1']]]);
  });

  it('walks the fix dialog: review → applied → undone, and keeps a failure in the dialog', async () => {
    const { api } = fakeApi();
    const store = createAppStore(api);
    await store.getState().openFix('run-1/fix');
    expect(store.getState().fixDialog?.phase).toBe('review');
    await store.getState().applyFix();
    expect(store.getState().fixDialog).toMatchObject({ phase: 'applied', message: 'Updated 1 rule(s).' });
    await store.getState().undoFix();
    expect(store.getState().fixDialog?.phase).toBe('undone');
    store.getState().closeFix();
    expect(store.getState().fixDialog).toBeNull();

    const failing = createAppStore(
      fakeApi({
        applyFix: () => Promise.resolve({ ok: false, error: { code: 'failed', message: 'Declined.' } }),
      }).api,
    );
    await failing.getState().openFix('run-1/fix');
    await failing.getState().applyFix();
    expect(failing.getState().fixDialog).toMatchObject({ phase: 'review', error: 'Declined.' });
  });
});

describe('changes applied earlier', () => {
  it('are loaded at start and undone from the start screen', async () => {
    const { api, calls } = fakeApi();
    const store = createAppStore(api);
    await store.getState().loadAppliedChanges();
    expect(store.getState().appliedChanges.map((c) => c.id)).toEqual(['change-1']);
    await store.getState().undoAppliedChange('change-1');
    expect(calls.filter(([name]) => name === 'undoAppliedChange')).toEqual([
      ['undoAppliedChange', ['change-1']],
    ]);
    expect(store.getState().notice?.text).toBe('Undone. Undone and verified.');
  });
});

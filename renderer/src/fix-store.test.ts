// The store's fix actions: Apply and Undo run once however often they are clicked (the buttons are disabled
// while they run), the start screen's Undo likewise, and after Apply the same address is diagnosed again.
import { describe, expect, it } from 'vitest';
import type {
  AppliedChanges,
  DiagnosisReport,
  FixPreview,
  IpcResult,
  StreamDoctorApi,
} from '../../electron/ipc/contract';
import { createAppStore } from './store';

const preview: FixPreview = {
  id: 'run-1/fix',
  title: 'Disable the outbound block rule "Disable Edge Updates"',
  needsAdmin: true,
  applied: false,
  checkIds: ['windows.firewall-client'],
  doubt: null,
  description: 'The rule blocks the streaming traffic.',
  changes: ['Windows Firewall outbound rule “Disable Edge Updates”: disabled'],
  commands: ['netsh advfirewall firewall set rule "name=Disable Edge Updates" dir=out new enable=no'],
  undoCommands: ['netsh advfirewall firewall set rule "name=Disable Edge Updates" dir=out new enable=yes'],
};

const journal: AppliedChanges = {
  changes: [
    {
      id: 'change-1',
      title: preview.title,
      appliedAt: '2026-01-02T03:04:05.000Z',
      needsAdmin: true,
      undoCommands: preview.undoCommands,
      status: 'applied',
      note: null,
    },
  ],
  notices: ['The fix journal could not be read (it is not JSON). It was kept as fix-journal.corrupt-x.json.'],
};

/** An API whose slow calls wait until `release()`; every call is counted. */
function slowApi() {
  const counts: Record<string, number> = {};
  const waiting: Array<() => void> = [];
  const slow =
    <T>(name: string, value: T) =>
    (..._args: unknown[]): Promise<IpcResult<T>> => {
      counts[name] = (counts[name] ?? 0) + 1;
      return new Promise((resolve) => waiting.push(() => resolve({ ok: true, value })));
    };
  const fast =
    <T>(name: string, value: T) =>
    (..._args: unknown[]): Promise<IpcResult<T>> => {
      counts[name] = (counts[name] ?? 0) + 1;
      return Promise.resolve({ ok: true, value });
    };
  const api = {
    previewFix: fast('previewFix', preview),
    applyFix: slow('applyFix', {
      fixId: preview.id,
      state: 'applied' as const,
      message: 'Done.',
      comparison: [],
    }),
    undoFix: slow('undoFix', {
      fixId: preview.id,
      state: 'undone' as const,
      message: 'Undone.',
      comparison: [],
    }),
    listFixes: fast('listFixes', []),
    listAppliedChanges: fast('listAppliedChanges', journal),
    undoAppliedChange: slow('undoAppliedChange', { message: 'Undone and verified.' }),
    startDiagnosis: fast('startDiagnosis', { runId: 'run-2' }),
    cancelDiagnosis: fast('cancelDiagnosis', { cancelled: true }),
  } as unknown as StreamDoctorApi;
  const release = async (): Promise<void> => {
    while (waiting.length > 0) waiting.shift()?.();
    for (let i = 0; i < 5; i++) await Promise.resolve();
  };
  return { api, counts, release };
}

describe('fix actions run once while they run', () => {
  it('Apply: a second click while it runs does nothing; the dialog says it is applying', async () => {
    const { api, counts, release } = slowApi();
    const store = createAppStore(api);
    await store.getState().openFix(preview.id);
    const first = store.getState().applyFix();
    void store.getState().applyFix();
    expect(store.getState().fixDialog?.phase).toBe('applying');
    store.getState().closeFix();
    expect(store.getState().fixDialog).not.toBeNull();
    await release();
    await first;
    expect(counts.applyFix).toBe(1);
    expect(store.getState().fixDialog?.phase).toBe('applied');
  });

  it('Undo in the dialog: once', async () => {
    const { api, counts, release } = slowApi();
    const store = createAppStore(api);
    await store.getState().openFix(preview.id);
    const applying = store.getState().applyFix();
    await release();
    await applying;
    const undoing = store.getState().undoFix();
    void store.getState().undoFix();
    expect(store.getState().fixDialog?.phase).toBe('undoing');
    await release();
    await undoing;
    expect(counts.undoFix).toBe(1);
  });

  it('the start screen’s Undo: once, and marked as running until it ends', async () => {
    const { api, counts, release } = slowApi();
    const store = createAppStore(api);
    await store.getState().loadAppliedChanges();
    expect(store.getState().journalNotices).toEqual(journal.notices);
    const first = store.getState().undoAppliedChange('change-1');
    void store.getState().undoAppliedChange('change-1');
    expect(store.getState().undoingChanges).toEqual(['change-1']);
    await release();
    await first;
    expect(counts.undoAppliedChange).toBe(1);
    expect(store.getState().undoingChanges).toEqual([]);
  });
});

describe('did this fix it?', () => {
  const finished = (code: DiagnosisReport['verdict']['code'], summary: string) => ({
    runId: 'run-2',
    event: {
      type: 'run-finished' as const,
      report: { checks: [], verdict: { code, summary } } as unknown as DiagnosisReport,
    },
  });

  it.each([
    ['use-rtsp', true],
    ['ports-filtered', false],
  ] as const)(
    'after Apply the same address is diagnosed again; verdict %s → plays: %s',
    async (code, plays) => {
      const { api, counts, release } = slowApi();
      const store = createAppStore(api);
      store.getState().setField('url', ' mms://media.example.org/live ');
      await store.getState().openFix(preview.id);
      const applying = store.getState().applyFix();
      await release();
      await applying;
      expect(counts.startDiagnosis).toBe(1);
      // A run of its own: the wizard keeps the run the fix belongs to.
      expect(store.getState().run).toBeNull();
      expect(store.getState().fixDialog?.recheck).toMatchObject({
        phase: 'running',
        runId: 'run-2',
        url: 'mms://media.example.org/live',
      });
      store.getState().receive(finished(code, 'The new verdict.'));
      expect(store.getState().fixDialog?.recheck).toMatchObject({
        phase: 'done',
        plays,
        summary: 'The new verdict.',
      });
    },
  );
});

it('closing the dialog stops a re-check still running', async () => {
  const { api, counts, release } = slowApi();
  const store = createAppStore(api);
  store.getState().setField('url', 'mms://media.example.org/live');
  await store.getState().openFix(preview.id);
  const applying = store.getState().applyFix();
  await release();
  await applying;
  store.getState().closeFix();
  expect(store.getState().fixDialog).toBeNull();
  expect(counts.cancelDiagnosis).toBe(1);
});

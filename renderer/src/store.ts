// The wizard's one store. Main's events come in through one subscription (connectRunEvents, set up once in
// main.tsx) and every action that needs main goes through the preload API; components select what they show.
import { create } from 'zustand';
import type {
  CheckComparison,
  FixPreview,
  FixSummary,
  AppliedChange,
  HelpTopic,
  InputField,
  OpenedRun,
  PlayerId,
  PlayerInfo,
  ReportFormat,
  RunEventMessage,
  SavedBundle,
  SelfTestResult,
  StartupConfig,
  StreamDoctorApi,
  Tier,
} from '../../electron/ipc/contract';
import { PLAYABLE_VERDICTS } from '../../electron/common/report';
import { applyRunEvent, newRun, TIERS, type RunView } from './run-state';
import { tiersToOpen } from './verdict-tiers';

export const MAX_URL_CHARS = 2048;
const RECENT_KEY = 'stream-doctor.recent-urls';
const MAX_RECENT = 5;

export interface FormState {
  url: string;
  errorCode: string;
  expectIp: string;
  knownGoodUrl: string;
  timeoutMs: number | null;
}

export type FixPhase = 'review' | 'applying' | 'applied' | 'undoing' | 'undone';

/**
 * "Did this fix it?": after Apply the same address is diagnosed again through the ordinary run channel (the
 * wizard behind the dialog shows that new run live), and the dialog says whether the stream now plays.
 */
export interface StreamRecheck {
  phase: 'running' | 'done' | 'failed';
  runId: string | null;
  url: string;
  /** Whether a playable route exists now (verdict ok, use-rtsp, use-http); null until known. */
  plays: boolean | null;
  /** The new verdict's summary, or why the check could not run. */
  summary: string | null;
}

export interface FixDialogState {
  preview: FixPreview;
  phase: FixPhase;
  comparison: CheckComparison[];
  message: string | null;
  error: string | null;
  recheck: StreamRecheck | null;
}

export interface Notice {
  id: number;
  text: string;
  tone: 'info' | 'error';
}

export interface AppState {
  screen: 'start' | 'wizard';
  form: FormState;
  fieldErrors: Partial<Record<InputField, string>>;
  formError: string | null;
  submitting: boolean;
  startup: StartupConfig | null;
  requestedTier: Tier | null;
  recentUrls: string[];
  players: PlayerInfo[];
  run: RunView | null;
  openTiers: Tier[];
  fixes: FixSummary[];
  /** Fixes applied earlier (this session or before a restart) that can still be undone. */
  appliedChanges: AppliedChange[];
  /** What the fix journal itself says (kept aside, unfinished changes settled). */
  journalNotices: string[];
  /** Journal entries whose Undo is running: their buttons stay disabled until it ends. */
  undoingChanges: string[];
  fixDialog: FixDialogState | null;
  notice: Notice | null;
  /** A report or bundle someone sent, shown read-only (no re-run, no fixes); null for the app's own runs. */
  openedRun: OpenedRun | null;
  /** The support bundle saved for the run on screen. */
  savedBundle: SavedBundle | null;
  bundleSaving: boolean;
  selfTest: { running: boolean; result: SelfTestResult | null };
}

export interface AppActions {
  init(): Promise<void>;
  setField(field: keyof Omit<FormState, 'timeoutMs'>, value: string): void;
  submit(): Promise<void>;
  receive(message: RunEventMessage): void;
  cancel(): Promise<void>;
  backToStart(): void;
  toggleTier(tier: Tier): void;
  copy(text: string, what: string): Promise<void>;
  copySummary(): Promise<void>;
  exportReport(format: ReportFormat): Promise<void>;
  openInPlayer(player: PlayerId, url: string): Promise<void>;
  openHelp(topic: HelpTopic): Promise<void>;
  openFix(fixId: string): Promise<void>;
  applyFix(): Promise<void>;
  undoFix(): Promise<void>;
  closeFix(): void;
  /** Diagnoses the same address again after a fix (see StreamRecheck). */
  recheckStream(): Promise<void>;
  loadAppliedChanges(): Promise<void>;
  undoAppliedChange(changeId: string): Promise<void>;
  notify(text: string, tone?: Notice['tone']): void;
  openReportOrBundle(): Promise<void>;
  saveSupportBundle(): Promise<void>;
  showSavedBundle(): Promise<void>;
  runSelfTest(): Promise<void>;
}

export type Store = AppState & AppActions;

const EMPTY_FORM: FormState = { url: '', errorCode: '', expectIp: '', knownGoodUrl: '', timeoutMs: null };

function loadRecent(): string[] {
  try {
    const parsed: unknown = JSON.parse(localStorage.getItem(RECENT_KEY) ?? '[]');
    return Array.isArray(parsed)
      ? parsed
          .filter((u): u is string => typeof u === 'string' && u.length <= MAX_URL_CHARS)
          .slice(0, MAX_RECENT)
      : [];
  } catch {
    return [];
  }
}

function saveRecent(urls: string[]): void {
  try {
    localStorage.setItem(RECENT_KEY, JSON.stringify(urls));
  } catch {
    // Storage full or disabled: recent URLs are a convenience only.
  }
}

/** Checks that need no parser: the rest is explained by main before anything runs. */
export function checkFormLocally(form: FormState): Partial<Record<InputField, string>> {
  const url = form.url.trim();
  if (url === '')
    return {
      url: 'Enter the stream address that Windows Media Player refused, for example mms://media.example.org/live.',
    };
  if (form.url.length > MAX_URL_CHARS) {
    return {
      url: `This is ${form.url.length.toLocaleString('en')} characters long — longer than any stream address (at most ${MAX_URL_CHARS.toLocaleString('en')}). Paste only the address, for example mms://media.example.org/live.`,
    };
  }
  return {};
}

/** The request the form stands for (what Start sends). */
function requestOf(form: FormState) {
  return {
    url: form.url.trim(),
    errorCode: form.errorCode.trim() || null,
    expectIp: form.expectIp.trim() || null,
    knownGoodUrl: form.knownGoodUrl.trim() || null,
    ...(form.timeoutMs !== null ? { timeoutMs: form.timeoutMs } : {}),
  };
}

/** Pure: the re-check of the stream after one event of its run; null while it goes on. */
export function recheckAfter(recheck: StreamRecheck, event: RunEventMessage['event']): StreamRecheck | null {
  if (event.type === 'run-finished') {
    const { verdict } = event.report;
    return {
      ...recheck,
      phase: 'done',
      plays: PLAYABLE_VERDICTS.has(verdict.code),
      summary: verdict.summary,
    };
  }
  if (event.type === 'run-failed') return { ...recheck, phase: 'failed', summary: event.message };
  if (event.type === 'run-cancelled')
    return { ...recheck, phase: 'failed', summary: 'The check was cancelled.' };
  return null;
}

let noticeCounter = 0;

export function createAppStore(api: StreamDoctorApi, now: () => number = () => Date.now()) {
  return create<Store>()((set, get) => {
    const failNotice = (message: string): void => get().notify(message, 'error');

    const refreshFixes = async (runId: string): Promise<void> => {
      const result = await api.listFixes(runId);
      if (result.ok && get().run?.runId === runId) set({ fixes: result.value });
    };

    return {
      screen: 'start',
      form: { ...EMPTY_FORM },
      fieldErrors: {},
      formError: null,
      submitting: false,
      startup: null,
      requestedTier: null,
      recentUrls: [],
      players: [],
      run: null,
      openTiers: ['simple'],
      fixes: [],
      appliedChanges: [],
      journalNotices: [],
      undoingChanges: [],
      fixDialog: null,
      notice: null,
      openedRun: null,
      savedBundle: null,
      bundleSaving: false,
      selfTest: { running: false, result: null },

      async init() {
        set({ recentUrls: loadRecent() });
        void get().loadAppliedChanges();
        const [startup, players] = await Promise.all([api.getStartupConfig(), api.detectPlayers()]);
        if (players.ok) set({ players: players.value });
        if (startup.ok) {
          const { prefill } = startup.value;
          set((state) => ({
            startup: startup.value,
            requestedTier: prefill.tier,
            form: {
              url: prefill.url ?? state.form.url,
              errorCode: prefill.errorCode ?? state.form.errorCode,
              expectIp: prefill.expectIp ?? state.form.expectIp,
              knownGoodUrl: prefill.knownGoodUrl ?? state.form.knownGoodUrl,
              timeoutMs: prefill.timeoutMs,
            },
          }));
        }
      },

      setField(field, value) {
        set((state) => ({
          form: { ...state.form, [field]: value },
          fieldErrors: { ...state.fieldErrors, [field]: undefined },
          formError: null,
        }));
      },

      async submit() {
        const { form, submitting, run } = get();
        if (submitting || run?.phase === 'running' || run?.phase === 'cancelling') return;
        const local = checkFormLocally(form);
        if (Object.keys(local).length > 0) {
          set({ fieldErrors: local, formError: null });
          return;
        }
        set({ submitting: true, fieldErrors: {}, formError: null });
        const result = await api.startDiagnosis({
          url: form.url.trim(),
          errorCode: form.errorCode.trim() || null,
          expectIp: form.expectIp.trim() || null,
          knownGoodUrl: form.knownGoodUrl.trim() || null,
          ...(form.timeoutMs !== null ? { timeoutMs: form.timeoutMs } : {}),
        });
        if (!result.ok) {
          const { error } = result;
          if (error.code === 'invalid-input' && error.field)
            set({ submitting: false, fieldErrors: { [error.field]: error.message } });
          else set({ submitting: false, formError: error.message });
          return;
        }
        const url = form.url.trim();
        const recentUrls = [url, ...get().recentUrls.filter((u) => u !== url)].slice(0, MAX_RECENT);
        saveRecent(recentUrls);
        const requested = get().requestedTier;
        set({
          submitting: false,
          screen: 'wizard',
          recentUrls,
          run: newRun(result.value.runId, url, now()),
          openedRun: null,
          savedBundle: null,
          openTiers: requested ? tiersToOpen(newRun('', url, 0), requested) : ['simple'],
          fixes: [],
          fixDialog: null,
        });
      },

      receive(message) {
        // The re-check after a fix is a run of its own: it answers the dialog, the wizard keeps its run.
        const dialog = get().fixDialog;
        if (dialog?.recheck?.phase === 'running' && dialog.recheck.runId === message.runId) {
          const recheck = recheckAfter(dialog.recheck, message.event);
          if (recheck) set({ fixDialog: { ...dialog, recheck } });
          return;
        }
        const { run } = get();
        // Events of an earlier run (cancelled, replaced) are not this wizard's business any more.
        if (!run || message.runId !== run.runId) return;
        const next = applyRunEvent(run, message.event, now());
        const update: Partial<AppState> = { run: next };
        if (message.event.type === 'run-finished') {
          // Once there is a verdict, the tiers close except where something that matters to it failed.
          update.openTiers = tiersToOpen(next, get().requestedTier);
          void refreshFixes(run.runId);
        }
        set(update);
      },

      async cancel() {
        const { run } = get();
        if (!run || run.phase !== 'running') return;
        set({ run: { ...run, phase: 'cancelling' } });
        const result = await api.cancelDiagnosis(run.runId);
        if (!result.ok) failNotice(result.error.message);
      },

      backToStart() {
        const { run } = get();
        if (run && (run.phase === 'running' || run.phase === 'cancelling')) return;
        set({ screen: 'start', fixDialog: null, openedRun: null, savedBundle: null });
        void get().loadAppliedChanges();
      },

      async loadAppliedChanges() {
        const result = await api.listAppliedChanges();
        if (result.ok) set({ appliedChanges: result.value.changes, journalNotices: result.value.notices });
      },

      async undoAppliedChange(changeId) {
        // A second click while the first Undo runs does nothing (main refuses it too).
        if (get().undoingChanges.includes(changeId)) return;
        set((state) => ({ undoingChanges: [...state.undoingChanges, changeId] }));
        try {
          const result = await api.undoAppliedChange(changeId);
          if (result.ok) get().notify(`Undone. ${result.value.message}`);
          else failNotice(result.error.message);
          await get().loadAppliedChanges();
        } finally {
          set((state) => ({ undoingChanges: state.undoingChanges.filter((id) => id !== changeId) }));
        }
      },

      toggleTier(tier) {
        set((state) => ({
          openTiers: state.openTiers.includes(tier)
            ? state.openTiers.filter((t) => t !== tier)
            : [...state.openTiers, tier],
        }));
      },

      async copy(text, what) {
        const result = await api.copyText(text);
        if (result.ok) get().notify(`${what} copied to the clipboard.`);
        else failNotice(result.error.message);
      },

      async copySummary() {
        const runId = get().run?.runId;
        if (!runId) return;
        const result = await api.copySummary(runId);
        if (result.ok) get().notify('Summary copied to the clipboard — paste it into your ticket.');
        else failNotice(result.error.message);
      },

      async exportReport(format) {
        const runId = get().run?.runId;
        if (!runId) return;
        const result = await api.exportReport({ runId, format });
        if (!result.ok) failNotice(result.error.message);
        else if (result.value.saved)
          get().notify(
            `${format === 'html' ? 'HTML' : 'JSON'} report saved to ${result.value.path ?? 'the chosen file'}.`,
          );
      },

      async openInPlayer(player, url) {
        const result = await api.openInPlayer({ player, url });
        const name = get().players.find((p) => p.id === player)?.name ?? player;
        if (result.ok) get().notify(`Opening ${url} in ${name}…`);
        else failNotice(result.error.message);
      },

      async openHelp(topic) {
        const result = await api.openHelp(topic);
        if (result.ok) get().notify('Opening the page in your web browser…');
        else failNotice(result.error.message);
      },

      async openFix(fixId) {
        const result = await api.previewFix(fixId);
        if (!result.ok) return failNotice(result.error.message);
        set({
          fixDialog: {
            preview: result.value,
            phase: result.value.applied ? 'applied' : 'review',
            comparison: [],
            message: null,
            error: null,
            recheck: null,
          },
        });
      },

      async applyFix() {
        const dialog = get().fixDialog;
        if (!dialog || (dialog.phase !== 'review' && dialog.phase !== 'undone')) return;
        set({ fixDialog: { ...dialog, phase: 'applying', error: null } });
        const result = await api.applyFix(dialog.preview.id);
        const current = get().fixDialog;
        if (!current) return;
        if (!result.ok) set({ fixDialog: { ...current, phase: dialog.phase, error: result.error.message } });
        else
          set({
            fixDialog: {
              ...current,
              phase: 'applied',
              comparison: result.value.comparison,
              message: result.value.message,
            },
          });
        const runId = get().run?.runId;
        if (result.ok && runId) await refreshFixes(runId);
        if (result.ok) await get().recheckStream();
      },

      async recheckStream() {
        const dialog = get().fixDialog;
        if (!dialog || dialog.recheck?.phase === 'running') return;
        const request = requestOf(get().form);
        const running: StreamRecheck = {
          phase: 'running',
          runId: null,
          url: request.url,
          plays: null,
          summary: null,
        };
        set({ fixDialog: { ...dialog, recheck: running } });
        const result = await api.startDiagnosis(request);
        const current = get().fixDialog;
        if (!current?.recheck || current.recheck.phase !== 'running') {
          // The dialog was closed or moved on meanwhile: nobody waits for this run.
          if (result.ok) void api.cancelDiagnosis(result.value.runId);
          return;
        }
        const recheck: StreamRecheck = result.ok
          ? { ...current.recheck, runId: result.value.runId }
          : { ...current.recheck, phase: 'failed', summary: result.error.message };
        set({ fixDialog: { ...current, recheck } });
      },

      async undoFix() {
        const dialog = get().fixDialog;
        if (!dialog || dialog.phase !== 'applied') return;
        const recheck = dialog.recheck;
        if (recheck?.phase === 'running' && recheck.runId) void api.cancelDiagnosis(recheck.runId);
        set({ fixDialog: { ...dialog, phase: 'undoing', error: null, recheck: null } });
        const result = await api.undoFix(dialog.preview.id);
        const current = get().fixDialog;
        if (!current) return;
        if (!result.ok) set({ fixDialog: { ...current, phase: 'applied', error: result.error.message } });
        else
          set({
            fixDialog: {
              ...current,
              phase: 'undone',
              comparison: result.value.comparison,
              message: result.value.message,
            },
          });
        const runId = get().run?.runId;
        if (result.ok && runId) await refreshFixes(runId);
      },

      closeFix() {
        const dialog = get().fixDialog;
        if (dialog && (dialog.phase === 'applying' || dialog.phase === 'undoing')) return;
        const recheck = dialog?.recheck;
        if (recheck?.phase === 'running' && recheck.runId) void api.cancelDiagnosis(recheck.runId);
        set({ fixDialog: null });
      },

      async openReportOrBundle() {
        const { run } = get();
        if (run && (run.phase === 'running' || run.phase === 'cancelling')) return;
        const result = await api.openReportOrBundle();
        if (!result.ok) return failNotice(result.error.message);
        if (!result.value.opened) return;
        const opened = result.value.run;
        // The remote run, replayed as the wizard's own finish: same view, every tier open for IT staff.
        const startedAt = Date.parse(opened.report.startedAt) || now();
        const view = applyRunEvent(
          newRun(`opened:${opened.fileName}`, opened.report.input.url, startedAt),
          { type: 'run-finished', report: opened.report },
          startedAt + opened.report.durationMs,
        );
        set({
          screen: 'wizard',
          run: view,
          openedRun: opened,
          openTiers: [...TIERS],
          fixes: [],
          fixDialog: null,
          savedBundle: null,
        });
      },

      async saveSupportBundle() {
        const { run, openedRun, bundleSaving } = get();
        if (!run || openedRun || bundleSaving || run.phase !== 'finished') return;
        set({ bundleSaving: true });
        const result = await api.saveSupportBundle(run.runId);
        set({ bundleSaving: false });
        if (!result.ok) return failNotice(result.error.message);
        set({ savedBundle: result.value });
        get().notify(
          `Support bundle saved to ${result.value.path}. Nothing was sent: send this file yourself.`,
        );
      },

      async showSavedBundle() {
        const bundle = get().savedBundle;
        if (!bundle) return;
        const result = await api.showSavedBundle(bundle.bundleId);
        if (!result.ok) failNotice(result.error.message);
      },

      async runSelfTest() {
        if (get().selfTest.running) return;
        set({ selfTest: { running: true, result: null } });
        const result = await api.runSelfTest();
        set({ selfTest: { running: false, result: result.ok ? result.value : null } });
        if (!result.ok) failNotice(result.error.message);
      },

      notify(text, tone = 'info') {
        set({ notice: { id: ++noticeCounter, text, tone } });
      },
    };
  });
}

export type AppStore = ReturnType<typeof createAppStore>;

/** The one subscription: main's events straight into the store. Returns the unsubscribe. */
export function connectRunEvents(api: StreamDoctorApi, store: AppStore): () => void {
  return api.onRunEvent((message) => store.getState().receive(message));
}

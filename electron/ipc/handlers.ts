// The handler table behind every IPC channel. Handlers validate, call and wrap: a diagnosis is the full run of
// electron/engine/full-run.ts (the same one the CLI runs), whose events go to the window that asked; the table
// keeps only the bookkeeping of runs and fixes per window. Everything it touches comes in as a dependency (the
// Windows layer, clipboard, file saving, players, the browser), so the SAME table serves ipcMain in Electron and
// Playwright bindings in the browser tests. One wrapper checks the caller and the arguments of every call and
// turns every outcome into `{ ok, value | error }`; no handler can forget either.
import type { Check, DiagnosisReport } from '../diagnosis/types';
import { compareChecks, runFullDiagnosis, withLocalChecks, type NetworkRun } from '../engine/full-run';
import type { DiagnosisRequest, ValidRequest, Validation } from '../engine/run-diagnosis';
import type { ParseResult, StreamScheme, StreamTarget } from '../input/types';
import { withoutSteering } from '../common/server-text';
import {
  EVENT_CHANNELS,
  INVOKE_CHANNELS,
  type ExportOutcome,
  type FixOutcome,
  type FixSummary,
  type InputField,
  type InvokeArgs,
  type InvokeName,
  type InvokeValue,
  type IpcError,
  type IpcResult,
  type ReportFormat,
  type RunEvent,
  type RunEventMessage,
  type StartupConfig,
} from './contract';
import { buildBundle, bundleFileName } from '../bundle/build-bundle';
import { openReportOrBundle } from '../bundle/read-bundle';
import type { BundlePort } from './bundle-port';
import type { PlayerPort } from './players';
import { reportFileName, reportSummary, reportToHtml, reportToJson } from './report-formats';
import { HELP_PAGES, isAllowedHelpUrl, type CallerIdentity } from './security';
import { ARGUMENT_CHECKS } from './validate-args';
import type { LocalFix, WindowsPort } from './windows-port';

/** The sender of a call: who it is, and how to reach it with events. */
export interface Caller extends CallerIdentity {
  send(channel: string, payload: unknown): void;
}

export interface EngineDeps {
  validateRequest(request: DiagnosisRequest): Validation;
  /** The network part of a run; the full run's own (engine/full-run.ts) when absent. Tests replace it. */
  network?: NetworkRun;
}

export interface SaveRequest {
  suggestedName: string;
  format: ReportFormat;
  content: string;
}

export interface HandlerDeps {
  isTrustedCaller(caller: CallerIdentity): boolean;
  engine: EngineDeps;
  windows: WindowsPort;
  clipboard: { writeText(text: string): void | Promise<void> };
  /** Asks where to save (a dialog in the app) and writes the file. */
  saveFile(request: SaveRequest): Promise<ExportOutcome>;
  players: PlayerPort;
  openExternal(url: string): Promise<void>;
  startupConfig(): StartupConfig | Promise<StartupConfig>;
  parseStreamUrl(text: string): ParseResult<StreamTarget>;
  /** Support bundles, opening reports and bundles, the self-test; absent, those calls say not-available. */
  bundle?: BundlePort;
}

export interface HandlerTable {
  /** Runs one call: caller check, argument check, the handler, errors as data. Never rejects. */
  invoke(name: string, caller: Caller, args: unknown[]): Promise<IpcResult<unknown>>;
  /** The channel name of every entry, for registering them with ipcMain. */
  readonly channels: ReadonlyArray<{ name: InvokeName; channel: string }>;
  /** Runs still going (tests use it to prove that a cancel leaves nothing behind). */
  activeRuns(): number;
  /** Cancels every run and waits for them to stop (window closing, app quitting, end of a test). */
  dispose(): Promise<void>;
}

/** Schemes a player may be handed: the stream protocols, nothing that could open a file or a web page. */
export const PLAYABLE_SCHEMES: ReadonlySet<StreamScheme> = new Set([
  'mms',
  'mmst',
  'mmsu',
  'mmsh',
  'rtsp',
  'rtspt',
  'rtspu',
  'http',
]);
const PLAYER_SCHEMES: Record<'wmp' | 'vlc', ReadonlySet<StreamScheme>> = {
  // Windows Media Player does not know VLC's mmst/mmsu/mmsh names.
  wmp: new Set(['mms', 'rtsp', 'rtspt', 'rtspu', 'http']),
  vlc: PLAYABLE_SCHEMES,
};

const MAX_KEPT_RUNS = 10;

interface RunState {
  id: string;
  callerId: number;
  target: StreamTarget;
  controller: AbortController;
  /** Settles when the full run (network and Windows checks) has stopped. */
  done: Promise<void>;
  running: boolean;
  report: DiagnosisReport | null;
  localChecks: Check[];
  /** The error code or message as the person typed it, for the support bundle. */
  errorText: string | null;
}

interface FixState {
  runId: string;
  fix: LocalFix;
  applied: boolean;
  /** The Windows layer's journal entry while applied. */
  changeId: string | null;
  busy: boolean;
}

const err = (
  code: IpcError['code'],
  message: string,
  field?: InputField,
): { ok: false; error: IpcError } => ({
  ok: false,
  error: field ? { code, message, field } : { code, message },
});
const ok = <T>(value: T): { ok: true; value: T } => ({ ok: true, value });

export function createHandlers(deps: HandlerDeps): HandlerTable {
  const runs = new Map<string, RunState>();
  const fixes = new Map<string, FixState>();
  // Journal entries being undone from the start screen: a second click waits for nothing and runs nothing.
  const undoing = new Set<string>();
  let runCounter = 0;
  let bundleCounter = 0;
  /** Bundles written in this session, by id: "Show in folder" names one, never a path. */
  const savedBundles = new Map<string, string>();

  const send = (caller: Caller, runId: string, event: RunEvent): void => {
    // The last guard before the screen: whatever a check read, no control or bidi character reaches the window.
    const message: RunEventMessage = { runId, event: withoutSteering(event) };
    logRunEvent(deps.bundle?.log, runId, event);
    try {
      caller.send(EVENT_CHANNELS.runEvent, message);
    } catch {
      // The window went away; the run still finishes and is kept for a moment.
    }
  };

  const forget = (): void => {
    const finished = [...runs.values()].filter((r) => !r.running);
    for (const run of finished.slice(0, Math.max(0, runs.size - MAX_KEPT_RUNS))) {
      runs.delete(run.id);
      for (const [id, fix] of fixes) if (fix.runId === run.id) fixes.delete(id);
    }
  };

  const startRun = (caller: Caller, target: StreamTarget, valid: ValidRequest): RunState => {
    const id = `run-${++runCounter}-${Date.now().toString(36)}`;
    const controller = new AbortController();
    const run: RunState = {
      id,
      callerId: caller.id,
      target,
      controller,
      done: Promise.resolve(),
      running: true,
      report: null,
      localChecks: [],
      errorText: null,
    };
    run.done = (async () => {
      try {
        await runFullDiagnosis(
          valid,
          { local: deps.windows, ...(deps.engine.network ? { network: deps.engine.network } : {}) },
          {
            signal: controller.signal,
            onEvent: (event) => {
              if (event.type === 'run-finished') {
                // Kept before the wizard hears of it, so its getReport finds the report.
                run.report = event.report;
                run.running = false;
              }
              send(caller, id, event);
            },
            // Before run-finished goes out, so the wizard's first listFixes already sees them.
            onLocalInspection: (inspection) => {
              run.localChecks = inspection.checks;
              registerFixes(id, inspection.fixes);
            },
          },
        );
      } catch (error) {
        run.running = false;
        // A cancelled run has said run-cancelled itself.
        if (!controller.signal.aborted)
          send(caller, id, {
            type: 'run-failed',
            message: `The diagnosis stopped unexpectedly: ${describe(error)}`,
          });
      } finally {
        run.running = false;
        forget();
      }
    })();
    runs.set(id, run);
    return run;
  };

  const registerFixes = (runId: string, found: LocalFix[]): void => {
    for (const fix of found) {
      const fixId = `${runId}/${fix.id}`;
      if (!fixes.has(fixId)) fixes.set(fixId, { runId, fix, applied: false, changeId: null, busy: false });
    }
  };

  const summaryOf = (fixId: string, state: FixState): FixSummary => ({
    id: fixId,
    title: state.fix.title,
    needsAdmin: state.fix.needsAdmin,
    applied: state.applied,
    checkIds: [...state.fix.checkIds],
    doubt: state.fix.doubt,
  });

  const ownRun = (caller: Caller, runId: string): RunState | null => {
    const run = runs.get(runId);
    return run && run.callerId === caller.id ? run : null;
  };

  const ownFix = (caller: Caller, fixId: string): { state: FixState; run: RunState } | null => {
    const state = fixes.get(fixId);
    const run = state ? ownRun(caller, state.runId) : null;
    return state && run ? { state, run } : null;
  };

  /** Apply or undo, then read the fix's checks again and show before and after. */
  const changeFix = async (
    caller: Caller,
    fixId: string,
    action: 'apply' | 'undo',
  ): Promise<IpcResult<FixOutcome>> => {
    const found = ownFix(caller, fixId);
    if (!found) return err('not-found', 'This fix is no longer available; run the diagnosis again.');
    const { state, run } = found;
    if (state.busy) return err('busy', 'This fix is being changed already.');
    if (action === 'apply' && state.applied) return err('failed', 'This fix has been applied already.');
    if (action === 'undo' && !state.applied)
      return err('failed', 'This fix has not been applied, so there is nothing to undo.');
    state.busy = true;
    try {
      const before = run.localChecks;
      const result =
        action === 'apply' ? await deps.windows.apply(state.fix) : await deps.windows.undo(state.fix);
      if (!result.ok) return err('failed', result.message);
      state.applied = action === 'apply';
      state.changeId = action === 'apply' && 'changeId' in result ? (result.changeId ?? null) : null;
      const recheck = await deps.windows.inspect(run.target, new AbortController().signal);
      run.localChecks = recheck.checks;
      registerFixes(run.id, recheck.fixes);
      if (run.report) run.report = withLocalChecks(run.report, before, recheck.checks);
      const comparison = compareChecks(state.fix.checkIds, before, recheck.checks);
      for (const check of recheck.checks) send(caller, run.id, { type: 'check-finished', check });
      return ok({ fixId, state: state.applied ? 'applied' : 'undone', message: result.message, comparison });
    } finally {
      state.busy = false;
    }
  };

  const finishedReport = (caller: Caller, runId: string): IpcResult<DiagnosisReport> => {
    const run = ownRun(caller, runId);
    if (!run) return err('not-found', 'That diagnosis is no longer available; run it again.');
    if (!run.report) return err('not-found', 'The diagnosis has not finished yet.');
    return ok(run.report);
  };

  type Implementation = {
    [K in InvokeName]: (caller: Caller, ...args: InvokeArgs<K>) => Promise<IpcResult<InvokeValue<K>>>;
  };

  const implementation: Implementation = {
    async startDiagnosis(caller, request) {
      if ([...runs.values()].some((r) => r.running && r.callerId === caller.id)) {
        return err('busy', 'A diagnosis is already running; cancel it or wait for it to finish.');
      }
      const validation = deps.engine.validateRequest({
        url: request.url,
        errorCode: request.errorCode,
        expectIp: request.expectIp,
        knownGoodUrl: request.knownGoodUrl ?? null,
        ...(request.timeoutMs !== undefined ? { timeoutMs: request.timeoutMs } : {}),
      });
      // Every field the engine can name is a field of the form, so its message shows where it belongs.
      if (!validation.ok) return err('invalid-input', validation.message, validation.field);
      const run = startRun(caller, validation.value.target, validation.value);
      run.errorText = request.errorCode;
      return ok({ runId: run.id });
    },
    async cancelDiagnosis(caller, runId) {
      const run = ownRun(caller, runId);
      if (!run) return err('not-found', 'That diagnosis is not running.');
      if (!run.running) return ok({ cancelled: false });
      run.controller.abort();
      await run.done;
      return ok({ cancelled: true });
    },
    async listFixes(caller, runId) {
      if (!ownRun(caller, runId)) return err('not-found', 'That diagnosis is no longer available.');
      return ok([...fixes].filter(([, s]) => s.runId === runId).map(([id, s]) => summaryOf(id, s)));
    },
    async previewFix(caller, fixId) {
      const found = ownFix(caller, fixId);
      if (!found) return err('not-found', 'This fix is no longer available; run the diagnosis again.');
      const { fix } = found.state;
      return ok({
        ...summaryOf(fixId, found.state),
        description: fix.description,
        changes: [...fix.changes],
        commands: [...fix.commands],
        undoCommands: [...fix.undoCommands],
      });
    },
    applyFix: (caller, fixId) => changeFix(caller, fixId, 'apply'),
    undoFix: (caller, fixId) => changeFix(caller, fixId, 'undo'),
    async listAppliedChanges() {
      return ok(await deps.windows.appliedChanges());
    },
    async undoAppliedChange(_caller, changeId) {
      if (undoing.has(changeId)) return err('busy', 'This change is being undone already.');
      undoing.add(changeId);
      const result = await deps.windows.undoChange(changeId).finally(() => undoing.delete(changeId));
      if (!result.ok) return err('failed', result.message);
      // A fix of a run still on screen is no longer applied.
      for (const state of fixes.values())
        if (state.applied && state.changeId === changeId) {
          state.applied = false;
          state.changeId = null;
        }
      return ok({ message: result.message });
    },
    async exportReport(caller, { runId, format }) {
      const report = finishedReport(caller, runId);
      if (!report.ok) return report;
      const content = format === 'html' ? reportToHtml(report.value) : reportToJson(report.value);
      return ok(
        await deps.saveFile({ suggestedName: reportFileName(report.value, format), format, content }),
      );
    },
    async getReport(caller, runId) {
      return finishedReport(caller, runId);
    },
    async copyText(_caller, text) {
      await deps.clipboard.writeText(text);
      return ok({ copied: true as const });
    },
    async copySummary(caller, runId) {
      const report = finishedReport(caller, runId);
      if (!report.ok) return report;
      const text = reportSummary(report.value);
      await deps.clipboard.writeText(text);
      return ok({ text });
    },
    async detectPlayers() {
      return ok(await deps.players.detect());
    },
    async openInPlayer(_caller, { player, url }) {
      const parsed = deps.parseStreamUrl(url);
      if (!parsed.ok) return err('invalid-input', parsed.message, 'url');
      if (!PLAYER_SCHEMES[player].has(parsed.value.scheme)) {
        return err(
          'invalid-input',
          `${parsed.value.scheme}:// addresses cannot be opened in ${player === 'wmp' ? 'Windows Media Player' : 'VLC'}.`,
          'url',
        );
      }
      const available = (await deps.players.detect()).find((p) => p.id === player);
      if (!available?.available)
        return err('not-available', `${available?.name ?? player} is not installed on this computer.`);
      await deps.players.open(player, parsed.value.url);
      return ok({ opened: true as const });
    },
    async openHelp(_caller, topic) {
      const url = HELP_PAGES[topic];
      if (!isAllowedHelpUrl(url)) return err('not-available', 'That help page is not allowed.');
      await deps.openExternal(url);
      return ok({ opened: true as const });
    },
    async getStartupConfig() {
      return ok(await deps.startupConfig());
    },
    async saveSupportBundle(caller, runId) {
      const bundle = deps.bundle;
      if (!bundle) return err('not-available', 'Support bundles are not available in this build.');
      const report = finishedReport(caller, runId);
      if (!report.ok) return report;
      const errorText = ownRun(caller, runId)?.errorText ?? null;
      const createdAt = bundle.now?.() ?? new Date();
      const systemFacts = await bundle.systemFacts();
      const bytes = buildBundle({
        report: report.value,
        userErrorText: errorText,
        systemFacts,
        appLog: bundle.log.entries(),
        createdAt,
        computerName: bundle.computerName(),
      });
      const fileName = bundleFileName(report.value, createdAt);
      const path = await bundle.save(fileName, bytes);
      const bundleId = `bundle-${++bundleCounter}`;
      savedBundles.set(bundleId, path);
      bundle.log.info(`Support bundle saved: ${fileName}`);
      return ok({ bundleId, path, fileName });
    },
    async showSavedBundle(_caller, bundleId) {
      const path = savedBundles.get(bundleId);
      if (!deps.bundle || !path) return err('not-found', 'That bundle was not saved in this session.');
      await deps.bundle.showInFolder(path);
      return ok({ shown: true as const });
    },
    async openReportOrBundle() {
      const bundle = deps.bundle;
      if (!bundle) return err('not-available', 'Opening reports is not available in this build.');
      const chosen = await bundle.chooseFileToOpen();
      if (!chosen) return ok({ opened: false as const });
      const opened = openReportOrBundle(chosen.bytes, chosen.name);
      if (!opened.ok) return err('failed', opened.message);
      bundle.log.info(`Opened ${opened.value.kind} ${opened.value.fileName} (read-only)`);
      return ok({ opened: true as const, run: opened.value });
    },
    async runSelfTest() {
      const bundle = deps.bundle;
      if (!bundle) return err('not-available', 'The self-test is not available in this build.');
      const result = await bundle.selfTest();
      bundle.log[result.passed ? 'info' : 'warn'](`Self-test: ${result.summary}`);
      return ok(result);
    },
  };

  const channels = (Object.keys(INVOKE_CHANNELS) as InvokeName[]).map((name) => ({
    name,
    channel: INVOKE_CHANNELS[name],
  }));

  return {
    channels,
    async invoke(name, caller, args) {
      if (!Object.hasOwn(INVOKE_CHANNELS, name)) return err('invalid-argument', 'Unknown call.');
      const key = name as InvokeName;
      let trusted = false;
      try {
        trusted = deps.isTrustedCaller(caller);
      } catch {
        trusted = false;
      }
      if (!trusted) return err('untrusted-sender', 'This call did not come from the Stream Doctor window.');
      if (!Array.isArray(args)) return err('invalid-argument', 'Arguments must be a list.');
      const checked = ARGUMENT_CHECKS[key](args);
      if (!checked.ok) return err('invalid-argument', `Bad arguments for ${key}: ${checked.message}.`);
      try {
        const handler = implementation[key] as (
          caller: Caller,
          ...args: unknown[]
        ) => Promise<IpcResult<unknown>>;
        // Every answer is data for the screen: no control or bidi character in it (fix titles name rules, too).
        return withoutSteering(await handler(caller, ...(checked.value as unknown[])));
      } catch (error) {
        deps.bundle?.log.error(`${key} failed: ${describe(error)}`);
        return err('failed', describe(error));
      }
    },
    activeRuns: () => [...runs.values()].filter((r) => r.running).length,
    async dispose() {
      const active = [...runs.values()].filter((r) => r.running);
      for (const run of active) run.controller.abort();
      await Promise.all(active.map((r) => r.done));
    },
  };
}

/** The turns of a run in the app log (the support bundle's app-log.txt); probes in one line each. */
function logRunEvent(log: BundlePort['log'] | undefined, runId: string, event: RunEvent): void {
  if (!log) return;
  if (event.type === 'run-started') log.info(`${runId}: diagnosis started for ${event.target.url}`);
  else if (event.type === 'probe-finished')
    log.info(
      `${runId}: ${event.probe.protocol} probe, port ${event.probe.port}: ${event.probe.reachability}`,
    );
  else if (event.type === 'run-finished')
    log.info(`${runId}: finished in ${event.report.durationMs} ms, verdict ${event.report.verdict.code}`);
  else if (event.type === 'run-cancelled') log.warn(`${runId}: cancelled`);
  else if (event.type === 'run-failed') log.error(`${runId}: ${event.message}`);
}

function describe(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

// The one IPC contract. Main (handlers.ts), the preload and the renderer all import this file, so a channel
// name or a payload shape cannot drift between them: adding a channel is one entry in InvokeContract and one
// in INVOKE_CHANNELS, and the renderer's API type is derived from it, never written twice.
// Types and plain constants only — no Node or Electron import — because the renderer bundle includes it.
import type { OpenedRun } from '../bundle/types';
import type { SelfTestResult } from '../self-test/types';
import type { DiagnosisReport, Tier } from '../common/report';
import type { CheckComparison, FullRunEvent } from '../common/run-events';

export type { FactSection, OpenedRun, SystemFacts } from '../bundle/types';
export type { SelfTestResult, SelfTestStep } from '../self-test/types';

export type {
  Check,
  CheckStatus,
  DiagnosisEvent,
  DiagnosisReport,
  Tier,
  Verdict,
  VerdictCode,
} from '../common/report';
export type { CheckComparison, FullRunEvent, StillWaitingEvent } from '../common/run-events';

/** Errors cross IPC as data: a thrown Error would reach the renderer with nothing but its message. */
export type IpcErrorCode =
  | 'untrusted-sender' // the call did not come from our own window
  | 'invalid-argument' // the arguments are not the shape the channel takes (a bug or a hostile page)
  | 'invalid-input' // the user's input is not usable; `field` says which and `message` how to fix it
  | 'not-found' // the run, fix or report named does not exist (any more)
  | 'busy' // a diagnosis is already running
  | 'not-available' // the feature does not exist here (no VLC, not Windows…)
  | 'failed'; // it was tried and did not work; `message` says why

export interface IpcError {
  code: IpcErrorCode;
  message: string;
  /** For invalid-input: the field of StartDiagnosisRequest the message is about. */
  field?: InputField;
}

export type IpcResult<T> = { ok: true; value: T } | { ok: false; error: IpcError };

export type InputField = 'url' | 'errorCode' | 'expectIp' | 'timeoutMs' | 'knownGoodUrl';

export interface StartDiagnosisRequest {
  url: string;
  /** The error code or the pasted message, as typed; null or '' when not given. */
  errorCode: string | null;
  expectIp: string | null;
  /** Bound for each probe; the engine's default when absent. */
  timeoutMs?: number;
  /** A stream known to play at this site, probed alongside to tell a local problem from a server one. */
  knownGoodUrl?: string | null;
}

export interface RunHandle {
  runId: string;
}

/**
 * What main tells the wizard about a run: the full run's events (engine/full-run.ts: the network checks and the
 * Windows checks in the same shapes, and `still-waiting` when no port has answered yet), plus `run-failed` for
 * a run that broke instead of finishing.
 */
export type RunEvent = FullRunEvent | { type: 'run-failed'; message: string };

export interface RunEventMessage {
  runId: string;
  event: RunEvent;
}

/** A change the app can make on this computer, found by the Windows checks. */
export interface FixSummary {
  id: string;
  title: string;
  needsAdmin: boolean;
  /** Applied and not undone: the dialog offers Undo. */
  applied: boolean;
  /** The checks this fix is about; they run again after Apply and Undo. */
  checkIds: string[];
  /** Why the fix may not apply, when the evidence is uncertain (never the primary action then); else null. */
  doubt: string | null;
}

export interface FixPreview extends FixSummary {
  /** Why, in plain words. */
  description: string;
  /** What will change, one line each. */
  changes: string[];
  /** The exact commands Apply runs, as a person would type them. */
  commands: string[];
  /** The exact commands Undo runs. */
  undoCommands: string[];
}

export interface FixOutcome {
  fixId: string;
  state: 'applied' | 'undone';
  message: string;
  /** The fix's checks before and after it, run again on the spot. */
  comparison: CheckComparison[];
}

/** A fix applied earlier (maybe before a restart), still in the journal and not undone. */
export interface AppliedChange {
  id: string;
  title: string;
  /** ISO time. */
  appliedAt: string;
  needsAdmin: boolean;
  /** The exact commands Undo runs, rebuilt from the entry's checked facts (empty when unreadable). */
  undoCommands: string[];
  /**
   * `applied`: Undo offered. `uncertain`: a change that failed half-way or could not be confirmed; Undo offered.
   * `unreadable`: the entry failed its check; listed with `note` as the reason, nothing of it ever runs.
   */
  status: 'applied' | 'uncertain' | 'unreadable';
  note: string | null;
}

export interface AppliedChanges {
  changes: AppliedChange[];
  /** What the journal itself needs to say: kept aside, unfinished changes settled at start. */
  notices: string[];
}

export type ReportFormat = 'html' | 'json';

export interface ExportRequest {
  runId: string;
  format: ReportFormat;
}

export interface ExportOutcome {
  /** False when the person closed the save dialog. */
  saved: boolean;
  path: string | null;
}

export type PlayerId = 'wmp' | 'vlc';

export interface PlayerInfo {
  id: PlayerId;
  name: string;
  available: boolean;
}

export interface OpenInPlayerRequest {
  player: PlayerId;
  url: string;
}

/**
 * Help pages open in the browser only through these names; main maps them to allow-listed https URLs.
 * `wmp-help` and `vlc` are for everyone; `windows-firewall` and `protocols` are for IT staff.
 */
export type HelpTopic = 'protocols' | 'windows-firewall' | 'vlc' | 'wmp-help';

export interface StartupPrefill {
  url: string | null;
  errorCode: string | null;
  expectIp: string | null;
  /** The deepest tier to open on its own (IT staff who want everything at once say `advanced`). */
  tier: Tier | null;
  timeoutMs: number | null;
  knownGoodUrl: string | null;
}

export interface StartupProblem {
  /** Where the bad value came from: "command line", "stream-doctor.json next to the app", a file path. */
  source: string;
  message: string;
}

export interface StartupConfig {
  prefill: StartupPrefill;
  /** Where the values came from, in the order they were applied (later ones win). */
  sources: string[];
  problems: StartupProblem[];
}

/** A support bundle the app wrote. `bundleId` names it for "Show in folder": the renderer never hands main a path. */
export interface SavedBundle {
  bundleId: string;
  /** Where it is, to tell the person (next to the portable exe when writable, else Documents). */
  path: string;
  fileName: string;
}

/** False when the person closed the file dialog. */
export type OpenOutcome = { opened: false } | { opened: true; run: OpenedRun };

/** Every request/response channel: its arguments and the value of a successful result. */
export interface InvokeContract {
  startDiagnosis: { args: [request: StartDiagnosisRequest]; value: RunHandle };
  /** Resolves once every probe of the run has stopped. */
  cancelDiagnosis: { args: [runId: string]; value: { cancelled: boolean } };
  listFixes: { args: [runId: string]; value: FixSummary[] };
  previewFix: { args: [fixId: string]; value: FixPreview };
  applyFix: { args: [fixId: string]; value: FixOutcome };
  undoFix: { args: [fixId: string]; value: FixOutcome };
  /** Fixes applied earlier and not undone, from the journal (so Undo survives a restart). */
  listAppliedChanges: { args: []; value: AppliedChanges };
  undoAppliedChange: { args: [changeId: string]; value: { message: string } };
  exportReport: { args: [request: ExportRequest]; value: ExportOutcome };
  /** The run's report as the JSON export holds it (for the wizard's own summary). */
  getReport: { args: [runId: string]; value: DiagnosisReport };
  copyText: { args: [text: string]; value: { copied: true } };
  /** Copies a short summary of the run for a ticket; returns the text copied. */
  copySummary: { args: [runId: string]; value: { text: string } };
  detectPlayers: { args: []; value: PlayerInfo[] };
  /** Only mms/rtsp/http-family URLs that pass the stream URL parser. */
  openInPlayer: { args: [request: OpenInPlayerRequest]; value: { opened: true } };
  openHelp: { args: [topic: HelpTopic]; value: { opened: true } };
  getStartupConfig: { args: []; value: StartupConfig };
  /** Writes the run's support bundle (report, this computer's facts, the app log, a hashed manifest). */
  saveSupportBundle: { args: [runId: string]; value: SavedBundle };
  /** Shows a bundle saved in this session in its folder (Explorer / the file manager). */
  showSavedBundle: { args: [bundleId: string]; value: { shown: true } };
  /** Asks which report or bundle to open (a dialog in main), checks it, and returns the run to show read-only. */
  openReportOrBundle: { args: []; value: OpenOutcome };
  /** Runs the probes against the app's own loopback responders. */
  runSelfTest: { args: []; value: SelfTestResult };
}

export type InvokeName = keyof InvokeContract;
export type InvokeArgs<K extends InvokeName> = InvokeContract[K]['args'];
export type InvokeValue<K extends InvokeName> = InvokeContract[K]['value'];

export const INVOKE_CHANNELS: { readonly [K in InvokeName]: string } = {
  startDiagnosis: 'stream-doctor:start-diagnosis',
  cancelDiagnosis: 'stream-doctor:cancel-diagnosis',
  listFixes: 'stream-doctor:list-fixes',
  previewFix: 'stream-doctor:preview-fix',
  applyFix: 'stream-doctor:apply-fix',
  undoFix: 'stream-doctor:undo-fix',
  listAppliedChanges: 'stream-doctor:list-applied-changes',
  undoAppliedChange: 'stream-doctor:undo-applied-change',
  exportReport: 'stream-doctor:export-report',
  getReport: 'stream-doctor:get-report',
  copyText: 'stream-doctor:copy-text',
  copySummary: 'stream-doctor:copy-summary',
  detectPlayers: 'stream-doctor:detect-players',
  openInPlayer: 'stream-doctor:open-in-player',
  openHelp: 'stream-doctor:open-help',
  getStartupConfig: 'stream-doctor:get-startup-config',
  saveSupportBundle: 'stream-doctor:save-support-bundle',
  showSavedBundle: 'stream-doctor:show-saved-bundle',
  openReportOrBundle: 'stream-doctor:open-report-or-bundle',
  runSelfTest: 'stream-doctor:run-self-test',
};

/** Main → renderer messages (fire and forget). */
export interface EventContract {
  runEvent: RunEventMessage;
}

export type EventName = keyof EventContract;

export const EVENT_CHANNELS: { readonly [K in EventName]: string } = {
  runEvent: 'stream-doctor:run-event',
};

/** The name under which the preload exposes the API: `window.streamDoctor`. */
export const API_GLOBAL = 'streamDoctor';

type InvokeApi = {
  [K in InvokeName]: (...args: InvokeArgs<K>) => Promise<IpcResult<InvokeValue<K>>>;
};

/** What the renderer sees: one function per channel, and a subscription that returns its unsubscribe. */
export type StreamDoctorApi = InvokeApi & {
  onRunEvent(listener: (message: EventContract['runEvent']) => void): () => void;
};

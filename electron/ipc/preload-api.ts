// Builds the renderer's API from a transport. The preload passes one over ipcRenderer; nothing else of
// ipcRenderer (and no IPC event object, whose `sender` would hand it out) ever reaches the page.
// No Node or Electron import here: the preload is sandboxed and bundled, and tests build the same API.
import {
  EVENT_CHANNELS,
  INVOKE_CHANNELS,
  type EventContract,
  type EventName,
  type InvokeName,
  type IpcResult,
  type StreamDoctorApi,
} from './contract';

export interface PreloadTransport {
  invoke(channel: string, args: unknown[]): Promise<unknown>;
  /** Delivers the payload only (the transport drops the IPC event); returns the unsubscribe. */
  subscribe(channel: string, listener: (payload: unknown) => void): () => void;
}

export function createStreamDoctorApi(transport: PreloadTransport): StreamDoctorApi {
  const call =
    (name: InvokeName) =>
    (...args: unknown[]): Promise<IpcResult<never>> =>
      transport.invoke(INVOKE_CHANNELS[name], args).then(asResult, (error: unknown) => ({
        ok: false,
        error: { code: 'failed', message: error instanceof Error ? error.message : String(error) },
      }));
  const on =
    <K extends EventName>(name: K) =>
    (listener: (message: EventContract[K]) => void): (() => void) => {
      if (typeof listener !== 'function') throw new TypeError('listener must be a function');
      return transport.subscribe(EVENT_CHANNELS[name], (payload) => listener(payload as EventContract[K]));
    };
  // Written out name by name so the exposed object is a flat set of named functions.
  return {
    startDiagnosis: call('startDiagnosis'),
    cancelDiagnosis: call('cancelDiagnosis'),
    listFixes: call('listFixes'),
    previewFix: call('previewFix'),
    applyFix: call('applyFix'),
    undoFix: call('undoFix'),
    listAppliedChanges: call('listAppliedChanges'),
    undoAppliedChange: call('undoAppliedChange'),
    exportReport: call('exportReport'),
    getReport: call('getReport'),
    copyText: call('copyText'),
    copySummary: call('copySummary'),
    detectPlayers: call('detectPlayers'),
    openInPlayer: call('openInPlayer'),
    openHelp: call('openHelp'),
    getStartupConfig: call('getStartupConfig'),
    saveSupportBundle: call('saveSupportBundle'),
    showSavedBundle: call('showSavedBundle'),
    openReportOrBundle: call('openReportOrBundle'),
    runSelfTest: call('runSelfTest'),
    onRunEvent: on('runEvent'),
  };
}

/** Main always answers `{ ok, value | error }`; anything else is reported as a failure, not passed on. */
function asResult(reply: unknown): IpcResult<never> {
  if (typeof reply === 'object' && reply !== null && 'ok' in reply && typeof reply.ok === 'boolean') {
    return reply as IpcResult<never>;
  }
  return { ok: false, error: { code: 'failed', message: 'The app’s main process gave no usable answer.' } };
}

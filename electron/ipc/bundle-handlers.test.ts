// The bundle, open and self-test channels of the real handler table, with a recording BundlePort.
import { strToU8 } from 'fflate';
import { describe, expect, it } from 'vitest';
import { createAppLog } from '../bundle/app-log';
import { openReportOrBundle } from '../bundle/read-bundle';
import { unavailableFacts } from '../bundle/system-facts';
import { sampleReport } from '../bundle/test-support/sample-report';
import { validateRequest } from '../engine/run-diagnosis';
import { parseStreamUrl } from '../input/stream-url';
import { runSelfTest } from '../self-test/run-self-test';
import { EVENT_CHANNELS, type IpcResult, type RunEventMessage } from './contract';
import type { BundlePort, ChosenFile } from './bundle-port';
import { createHandlers, type Caller, type HandlerDeps } from './handlers';
import { NO_WINDOWS } from './windows-port';

const APP_URL = 'app://stream-doctor/index.html';

function caller(id = 1): Caller & { finished: Promise<void> } {
  let done: () => void = () => undefined;
  const finished = new Promise<void>((resolve) => (done = resolve));
  return {
    id,
    frameUrl: APP_URL,
    isMainFrame: true,
    finished,
    send(channel, payload) {
      const { event } = payload as RunEventMessage;
      if (channel === EVENT_CHANNELS.runEvent && event.type === 'run-finished') done();
    },
  };
}

function setup(chosen: ChosenFile | null = null) {
  const saved: Array<{ fileName: string; bytes: Uint8Array }> = [];
  const shown: string[] = [];
  const log = createAppLog(() => new Date('2026-01-01T00:00:00.000Z'));
  const port: BundlePort = {
    log,
    computerName: () => 'HELPDESK-TEST',
    systemFacts: async () =>
      unavailableFacts({
        computerName: 'HELPDESK-TEST',
        collectedAt: '2026-01-01T00:00:00.000Z',
        platform: 'linux',
      }),
    async save(fileName, bytes) {
      saved.push({ fileName, bytes });
      return `/home/user/Documents/${fileName}`;
    },
    showInFolder: (file) => void shown.push(file),
    chooseFileToOpen: async () => chosen,
    selfTest: () => runSelfTest(),
    now: () => new Date('2026-01-01T00:00:01.000Z'),
  };
  const deps: HandlerDeps = {
    isTrustedCaller: (c) => c.id === 1,
    engine: {
      validateRequest,
      async network(request, options) {
        options.onEvent?.({ type: 'run-started', target: request.target, checks: [] });
        const report = sampleReport({ input: request.input });
        options.onEvent?.({ type: 'run-finished', report });
        return report;
      },
    },
    windows: NO_WINDOWS,
    clipboard: { writeText: () => undefined },
    saveFile: async () => ({ saved: false, path: null }),
    players: { detect: async () => [], open: async () => undefined },
    openExternal: async () => undefined,
    startupConfig: () => ({
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
    parseStreamUrl,
    bundle: port,
  };
  return { table: createHandlers(deps), saved, shown, log };
}

function value<T>(result: IpcResult<unknown>): T {
  if (!result.ok) throw new Error(`${result.error.code}: ${result.error.message}`);
  return result.value as T;
}

describe('support bundle channels', () => {
  it('saves the run with the error text as typed and the app log, then shows it in its folder by id', async () => {
    const { table, saved, shown } = setup();
    const me = caller();
    const { runId } = value<{ runId: string }>(
      await table.invoke('startDiagnosis', me, [
        { url: 'mms://media.example.org/live', errorCode: 'c00d2efa', expectIp: null },
      ]),
    );
    await me.finished;
    await table.dispose();
    const bundle = value<{ bundleId: string; path: string; fileName: string }>(
      await table.invoke('saveSupportBundle', me, [runId]),
    );
    expect(bundle.path).toBe(`/home/user/Documents/${bundle.fileName}`);
    expect(bundle.fileName).toMatch(/^stream-doctor-bundle-media\.example\.org-2026-01-01T00-00-01Z\.zip$/);
    const opened = openReportOrBundle(saved[0]!.bytes, bundle.fileName);
    expect(opened.ok && opened.value.userErrorText).toBe('c00d2efa');
    expect(opened.ok && opened.value.computerName).toBe('HELPDESK-TEST');
    expect(opened.ok && opened.value.appLog.join('\n')).toMatch(
      /diagnosis started for mms:\/\/media\.example\.org\/live[\s\S]*verdict use-rtsp/,
    );
    value(await table.invoke('showSavedBundle', me, [bundle.bundleId]));
    expect(shown).toEqual([bundle.path]);
  });

  it('refuses a run of another window, an unknown bundle id and a path where an id belongs', async () => {
    const { table, shown } = setup();
    expect(await table.invoke('saveSupportBundle', caller(), ['run-99'])).toMatchObject({
      ok: false,
      error: { code: 'not-found' },
    });
    expect(
      await table.invoke('showSavedBundle', caller(), ['C:\\Windows\\System32\\calc.exe']),
    ).toMatchObject({
      ok: false,
      error: { code: 'not-found' },
    });
    expect(await table.invoke('showSavedBundle', caller(), [{ path: '/etc' }])).toMatchObject({
      ok: false,
      error: { code: 'invalid-argument' },
    });
    expect(await table.invoke('openReportOrBundle', caller(), ['/etc/passwd'])).toMatchObject({
      ok: false,
      error: { code: 'invalid-argument' },
    });
    expect(await table.invoke('runSelfTest', caller(2), [])).toMatchObject({
      ok: false,
      error: { code: 'untrusted-sender' },
    });
    expect(shown).toEqual([]);
  });

  it('opens a chosen report read-only, says when the person cancelled, and explains a refusal', async () => {
    const report = setup({ name: 'r.json', bytes: strToU8(JSON.stringify(sampleReport())) });
    expect(value(await report.table.invoke('openReportOrBundle', caller(), []))).toMatchObject({
      opened: true,
      run: { kind: 'report', fileName: 'r.json', report: { verdict: { code: 'use-rtsp' } } },
    });
    expect(value(await setup(null).table.invoke('openReportOrBundle', caller(), []))).toEqual({
      opened: false,
    });
    const newer = setup({
      name: 'n.json',
      bytes: strToU8(JSON.stringify({ ...sampleReport(), schemaVersion: 2 })),
    });
    const refused = await newer.table.invoke('openReportOrBundle', caller(), []);
    expect(refused).toMatchObject({ ok: false, error: { code: 'failed' } });
    expect(!refused.ok && refused.error.message).toMatch(/newer Stream Doctor/);
  });

  it('runs the self-test and logs its outcome', async () => {
    const { table, log } = setup();
    expect(value(await table.invoke('runSelfTest', caller(), []))).toMatchObject({ passed: true });
    expect(log.entries().at(-1)?.message).toMatch(/^Self-test: Stream Doctor works on this computer/);
  });

  it('says not-available when the build has no bundle port', async () => {
    const bare = createHandlers({ ...({} as HandlerDeps), isTrustedCaller: () => true });
    expect(await bare.invoke('runSelfTest', caller(), [])).toMatchObject({
      ok: false,
      error: { code: 'not-available' },
    });
  });
});

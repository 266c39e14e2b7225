import { describe, expect, it } from 'vitest';
import type { Check, DiagnosisReport } from '../diagnosis/types';
import type { DiagnosisEvent } from '../engine/events';
import {
  validateRequest,
  type RunOptions,
  type ValidRequest,
  type Validation,
} from '../engine/run-diagnosis';
import { parseStreamUrl } from '../input/stream-url';
import { EVENT_CHANNELS, INVOKE_CHANNELS, type IpcResult, type RunEventMessage } from './contract';
import { createHandlers, type Caller, type HandlerDeps, type SaveRequest } from './handlers';
import type { LocalFix, WindowsPort } from './windows-port';
import { reportForRequest } from '../engine/test-support/report-for';

const APP_URL = 'app://stream-doctor/index.html';

function fakeCaller(id = 1, overrides: Partial<Caller> = {}): Caller & { messages: RunEventMessage[] } {
  const messages: RunEventMessage[] = [];
  return {
    id,
    frameUrl: APP_URL,
    isMainFrame: true,
    send(channel, payload) {
      if (channel === EVENT_CHANNELS.runEvent) messages.push(payload as RunEventMessage);
    },
    messages,
    ...overrides,
  };
}

function validate(request: {
  url: string;
  errorCode?: string | null;
  expectIp?: string | null;
  timeoutMs?: number;
  knownGoodUrl?: string | null;
}): Validation {
  const target = parseStreamUrl(request.url);
  if (!target.ok) return { ok: false, field: 'url', message: target.message };
  if (request.expectIp === 'not-an-ip')
    return { ok: false, field: 'expectIp', message: 'That is not an IP address.' };
  const knownGood = request.knownGoodUrl ? parseStreamUrl(request.knownGoodUrl) : null;
  if (knownGood && !knownGood.ok)
    return { ok: false, field: 'knownGoodUrl', message: `Known-good stream: ${knownGood.message}` };
  const timeoutMs = request.timeoutMs ?? 3000;
  const input = { url: target.value.url, errorCode: null, expectIp: null, timeoutMs };
  return {
    ok: true,
    value: {
      input,
      target: target.value,
      error: null,
      expectIp: null,
      timeoutMs,
      knownGood: knownGood?.value ?? null,
    },
  };
}

function reportFor(request: ValidRequest, checks: Check[]): DiagnosisReport {
  return reportForRequest(request, checks, {
    code: 'use-rtsp',
    summary: `Use rtsp://${request.target.host}/live`,
    reason: 'RTSP answers.',
    fix: 'Open the rtsp:// address.',
    suggestedUrl: `rtsp://${request.target.host}/live`,
    adminNote: null,
  });
}

const simpleCheck: Check = {
  id: 'route-rtsp',
  tier: 'simple',
  title: 'The stream over RTSP',
  status: 'pass',
  summary: 'RTSP works.',
  command: 'ffprobe …',
};

/** An engine that emits like the real one; with `hang`, it waits for the abort and then rejects. */
function fakeEngine(options: { hang?: boolean } = {}) {
  const calls: ValidRequest[] = [];
  let aborted = 0;
  return {
    calls,
    aborted: () => aborted,
    engine: {
      validateRequest: validate,
      async network(request: ValidRequest, run: RunOptions): Promise<DiagnosisReport> {
        calls.push(request);
        const emit = (event: DiagnosisEvent): void => run.onEvent?.(event);
        emit({
          type: 'run-started',
          target: request.target,
          checks: [{ id: 'route-rtsp', tier: 'simple', title: simpleCheck.title }],
        });
        emit({ type: 'check-started', id: 'route-rtsp', tier: 'simple', title: simpleCheck.title });
        if (options.hang) {
          await new Promise<void>((resolve) =>
            run.signal?.addEventListener('abort', () => resolve(), { once: true }),
          );
          await new Promise((resolve) => setTimeout(resolve, 20));
          aborted++;
          emit({ type: 'run-cancelled' });
          throw new Error('The diagnosis was cancelled.');
        }
        await new Promise((resolve) => setTimeout(resolve, 5));
        emit({ type: 'check-finished', check: simpleCheck });
        const report = reportFor(request, [simpleCheck]);
        emit({ type: 'run-finished', report });
        return report;
      },
    },
  };
}

const blockingRule = (enabled: boolean): Check => ({
  id: 'firewall-rules',
  tier: 'moderate',
  title: 'Windows Firewall rules for the stream’s ports',
  status: enabled ? 'fail' : 'pass',
  summary: enabled
    ? 'The rule "localsend" blocks outbound TCP.'
    : 'No enabled rule blocks the stream’s ports.',
  command: 'netsh advfirewall firewall show rule name=all verbose',
});

const disableRule: LocalFix = {
  id: 'disable-rule:localsend',
  title: 'Disable the firewall rule “localsend”',
  description: 'It blocks outbound traffic to the stream’s ports.',
  needsAdmin: true,
  changes: ['Rule “localsend”: enabled → disabled'],
  commands: ['netsh advfirewall firewall set rule name="localsend" new enable=no'],
  undoCommands: ['netsh advfirewall firewall set rule name="localsend" new enable=yes'],
  checkIds: ['firewall-rules'],
  doubt: null,
};

function fakeWindows(options: { applyFails?: boolean } = {}): WindowsPort & { applied: string[] } {
  let ruleEnabled = true;
  const applied: string[] = [];
  return {
    applied,
    plan: () => [{ id: 'firewall-rules', tier: 'moderate', title: blockingRule(true).title }],
    async inspect() {
      await new Promise((resolve) => setTimeout(resolve, 1));
      return { checks: [blockingRule(ruleEnabled)], fixes: ruleEnabled ? [disableRule] : [] };
    },
    async apply(fix) {
      if (options.applyFails)
        return { ok: false, message: 'The administrator prompt was declined; nothing was changed.' };
      applied.push(`apply ${fix.id}`);
      ruleEnabled = false;
      return { ok: true, message: 'Updated 1 rule(s).', changeId: 'change-1' };
    },
    async undo(fix) {
      applied.push(`undo ${fix.id}`);
      ruleEnabled = true;
      return { ok: true, message: 'Updated 1 rule(s).' };
    },
    async appliedChanges() {
      const changes = ruleEnabled
        ? []
        : [
            {
              id: 'change-1',
              title: disableRule.title,
              appliedAt: '2025-01-01T00:00:00.000Z',
              needsAdmin: true,
              undoCommands: disableRule.undoCommands,
              status: 'applied' as const,
              note: null,
            },
          ];
      return { changes, notices: [] };
    },
    async undoChange(changeId) {
      if (changeId !== 'change-1' || ruleEnabled)
        return { ok: false, message: 'This change is not in the journal.' };
      // An undo takes a while (an administrator prompt, then commands).
      await new Promise((resolve) => setTimeout(resolve, 5));
      applied.push(`undo ${changeId}`);
      ruleEnabled = true;
      return { ok: true, message: 'Undone and verified.' };
    },
  };
}

function setup(overrides: Partial<HandlerDeps> = {}, engineOptions: { hang?: boolean } = {}) {
  const engine = fakeEngine(engineOptions);
  const windows = fakeWindows();
  const clipboard: string[] = [];
  const saved: SaveRequest[] = [];
  const opened: string[] = [];
  const launched: Array<[string, string]> = [];
  const deps: HandlerDeps = {
    isTrustedCaller: (caller) => caller.id === 1 || caller.id === 2,
    engine: engine.engine,
    windows,
    clipboard: { writeText: (text) => void clipboard.push(text) },
    saveFile: async (request) => {
      saved.push(request);
      return { saved: true, path: `/tmp/${request.suggestedName}` };
    },
    players: {
      detect: async () => [
        { id: 'wmp', name: 'Windows Media Player', available: true },
        { id: 'vlc', name: 'VLC media player', available: false },
      ],
      open: async (player, url) => void launched.push([player, url]),
    },
    openExternal: async (url) => void opened.push(url),
    startupConfig: () => ({
      prefill: {
        url: 'mms://a.example/live',
        errorCode: null,
        expectIp: null,
        tier: null,
        timeoutMs: null,
        knownGoodUrl: null,
      },
      sources: ['command line'],
      problems: [],
    }),
    parseStreamUrl,
    ...overrides,
  };
  return { table: createHandlers(deps), engine, windows, clipboard, saved, opened, launched };
}

async function finishedRun(
  table: ReturnType<typeof createHandlers>,
  caller: Caller & { messages: RunEventMessage[] },
  url = 'mms://127.0.0.1/live',
) {
  const started = await table.invoke('startDiagnosis', caller, [{ url, errorCode: null, expectIp: null }]);
  if (!started.ok) throw new Error(started.error.message);
  const { runId } = started.value as { runId: string };
  await waitFor(() => caller.messages.some((m) => m.runId === runId && m.event.type === 'run-finished'));
  return runId;
}

async function waitFor(condition: () => boolean, timeoutMs = 2000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error('condition not met in time');
    await new Promise((resolve) => setTimeout(resolve, 2));
  }
}

function errorOf(result: IpcResult<unknown>) {
  if (result.ok) throw new Error(`expected an error, got ${JSON.stringify(result.value)}`);
  return result.error;
}

describe('the handler table', () => {
  it('registers one channel per contract entry', () => {
    const { table } = setup();
    expect(table.channels.map((c) => c.channel).sort()).toEqual(Object.values(INVOKE_CHANNELS).sort());
  });

  it('refuses callers that are not our window, before looking at anything', async () => {
    const { table, engine } = setup();
    const stranger = fakeCaller(7);
    for (const { name } of table.channels) {
      const result = await table.invoke(name, stranger, []);
      expect(errorOf(result).code).toBe('untrusted-sender');
    }
    const result = await table.invoke('startDiagnosis', stranger, [
      { url: 'mms://127.0.0.1/live', errorCode: null, expectIp: null },
    ]);
    expect(errorOf(result).code).toBe('untrusted-sender');
    expect(engine.calls).toHaveLength(0);
  });

  it('uses the trust rule it is given, which sees frame and URL', async () => {
    const { table } = setup({ isTrustedCaller: (c) => c.isMainFrame && c.frameUrl === APP_URL });
    expect(errorOf(await table.invoke('detectPlayers', fakeCaller(1, { isMainFrame: false }), [])).code).toBe(
      'untrusted-sender',
    );
    expect(
      errorOf(await table.invoke('detectPlayers', fakeCaller(1, { frameUrl: 'https://evil.example/' }), []))
        .code,
    ).toBe('untrusted-sender');
    expect((await table.invoke('detectPlayers', fakeCaller(1), [])).ok).toBe(true);
  });

  it('treats a trust check that throws as untrusted', async () => {
    const { table } = setup({
      isTrustedCaller: () => {
        throw new Error('frame destroyed');
      },
    });
    expect(errorOf(await table.invoke('detectPlayers', fakeCaller(1), [])).code).toBe('untrusted-sender');
  });

  it('rejects unknown channels and malformed arguments with invalid-argument', async () => {
    const { table, engine } = setup();
    const caller = fakeCaller();
    const bad: Array<[string, unknown[]]> = [
      ['constructor', []],
      ['__proto__', []],
      ['startDiagnosis', []],
      ['startDiagnosis', ['mms://host/live']],
      ['startDiagnosis', [{ url: 42 }]],
      ['startDiagnosis', [{ url: 'mms://host/live', errorCode: 5 }]],
      ['startDiagnosis', [{ url: 'mms://host/live', shell: 'calc.exe' }]],
      ['startDiagnosis', [{ url: 'x'.repeat(20_000) }]],
      ['startDiagnosis', [{ url: 'mms://host/live', timeoutMs: 'soon' }]],
      ['startDiagnosis', [{ url: 'mms://host/live', knownGoodUrl: ['rtsp://h/'] }]],
      ['startDiagnosis', [{ url: 'mms://host/live', knownGoodUrl: 'k'.repeat(20_000) }]],
      ['cancelDiagnosis', []],
      ['cancelDiagnosis', [{ runId: 'run-1' }]],
      ['previewFix', ['']],
      ['exportReport', [{ runId: 'run-1', format: 'pdf' }]],
      ['exportReport', [{ runId: 'run-1', format: 'html', path: '/etc/passwd' }]],
      ['copyText', ['']],
      ['copyText', [123]],
      ['openInPlayer', [{ player: 'cmd', url: 'rtsp://h/' }]],
      ['openHelp', ['https://evil.example/']],
      ['detectPlayers', ['extra']],
    ];
    for (const [name, args] of bad) {
      const error = errorOf(await table.invoke(name, caller, args));
      expect(error.code, `${name} ${JSON.stringify(args).slice(0, 60)}`).toBe('invalid-argument');
      expect(typeof error.message).toBe('string');
    }
    expect(engine.calls).toHaveLength(0);
  });

  it('explains bad input on its field and runs nothing', async () => {
    const { table, engine } = setup();
    const caller = fakeCaller();
    for (const url of ['mms://', 'rtsp://[::1', 'a'.repeat(5000)]) {
      const error = errorOf(
        await table.invoke('startDiagnosis', caller, [{ url, errorCode: null, expectIp: null }]),
      );
      expect(error.code).toBe('invalid-input');
      expect(error.field).toBe('url');
      expect(error.message.length).toBeGreaterThan(10);
    }
    const ip = errorOf(
      await table.invoke('startDiagnosis', caller, [
        { url: 'mms://127.0.0.1/x', errorCode: null, expectIp: 'not-an-ip' },
      ]),
    );
    expect(ip).toMatchObject({ code: 'invalid-input', field: 'expectIp' });
    expect(engine.calls).toHaveLength(0);
    expect(caller.messages).toHaveLength(0);
  });

  it('passes the known-good stream to the engine, and explains a bad one at its own field', async () => {
    const { table, engine } = setup();
    const caller = fakeCaller();
    const started = await table.invoke('startDiagnosis', caller, [
      { url: 'mms://127.0.0.1/live', errorCode: null, expectIp: null, knownGoodUrl: 'rtsp://127.0.0.2/good' },
    ]);
    expect(started.ok).toBe(true);
    await waitFor(() => caller.messages.some((m) => m.event.type === 'run-finished'));
    expect(engine.calls).toHaveLength(1);
    expect(engine.calls[0]!.knownGood).toMatchObject({ scheme: 'rtsp', host: '127.0.0.2', path: '/good' });

    // With the engine's real validation: its field is the form's field, not the stream address.
    const real = setup({ engine: { ...fakeEngine().engine, validateRequest } });
    const bad = errorOf(
      await real.table.invoke('startDiagnosis', caller, [
        { url: 'mms://127.0.0.1/live', errorCode: null, expectIp: null, knownGoodUrl: 'rtsp://[::1' },
      ]),
    );
    expect(bad.code).toBe('invalid-input');
    expect(bad.field).toBe('knownGoodUrl');
    expect(bad.message).toMatch(/^Known-good stream: /);
    expect(real.engine.calls).toHaveLength(0);
  });

  it('streams a run to its caller, with the Windows checks announced and merged into the report', async () => {
    const { table } = setup();
    const caller = fakeCaller();
    const runId = await finishedRun(table, caller);
    const types = caller.messages.map((m) => m.event.type);
    expect(types[0]).toBe('run-started');
    expect(types.at(-1)).toBe('run-finished');
    expect(types.filter((t) => t === 'run-finished')).toHaveLength(1);
    const started = caller.messages[0]!.event;
    expect(started.type === 'run-started' && started.checks.map((c) => c.id)).toEqual([
      'route-rtsp',
      'firewall-rules',
    ]);
    const finished = caller.messages.at(-1)!.event;
    expect(finished.type === 'run-finished' && finished.report.checks.map((c) => c.id)).toEqual([
      'route-rtsp',
      'firewall-rules',
    ]);
    expect(caller.messages.every((m) => m.runId === runId)).toBe(true);
    expect(table.activeRuns()).toBe(0);
    const report = await table.invoke('getReport', caller, [runId]);
    expect(report.ok && (report.value as DiagnosisReport).checks).toHaveLength(2);
  });

  it('forwards the early warning that no port has answered yet to the window', async () => {
    const { table } = setup({
      engine: {
        validateRequest: validate,
        async network(request, run) {
          run.onEvent?.({ type: 'run-started', target: request.target, checks: [] });
          run.onEvent?.({ type: 'probe-started', protocol: 'mms', port: 1755 });
          await new Promise((resolve) => setTimeout(resolve, 1200));
          const report = reportFor(request, []);
          run.onEvent?.({ type: 'run-finished', report });
          return report;
        },
      },
    });
    const caller = fakeCaller();
    const started = await table.invoke('startDiagnosis', caller, [
      { url: 'mms://127.0.0.1/live', errorCode: null, expectIp: null, timeoutMs: 3000 },
    ]);
    expect(started.ok).toBe(true);
    await waitFor(() => caller.messages.some((m) => m.event.type === 'run-finished'), 5000);
    const types = caller.messages.map((m) => m.event.type);
    expect(types.indexOf('still-waiting')).toBeGreaterThan(0);
    expect(types.indexOf('still-waiting')).toBeLessThan(types.indexOf('run-finished'));
    expect(caller.messages.find((m) => m.event.type === 'still-waiting')!.event).toEqual({
      type: 'still-waiting',
      host: '127.0.0.1',
      ports: [1755],
      afterMs: 1000,
      deadlineMs: 3000,
    });
  });

  it('sends the window no control or bidi character, whatever a check read (a last guard)', async () => {
    const steering = 'Block\x1b[2J\x1b]0;pwned\x07\u202Eexe.gnp\x00\rX';
    const windows = fakeWindows();
    const dirty: WindowsPort = {
      ...windows,
      plan: () => [{ id: 'firewall-rules', tier: 'moderate', title: `Firewall ${steering}` }],
      inspect: async () => ({
        checks: [{ ...blockingRule(true), summary: `The rule "${steering}" blocks outbound TCP.` }],
        fixes: [],
      }),
    };
    const { table } = setup({ windows: dirty });
    const caller = fakeCaller();
    const runId = await finishedRun(table, caller);
    const report = (await table.invoke('getReport', caller, [runId])) as { ok: true; value: DiagnosisReport };
    for (const text of [JSON.stringify(caller.messages), JSON.stringify(report.value)]) {
      expect(text).toContain('pwned');
      expect(text).not.toMatch(/\\u00(0|1|7f|8|9)|\\r(?!\\n)|\u202e/i);
    }
  });

  it('keeps runs private to the window that started them', async () => {
    const { table } = setup();
    const owner = fakeCaller(1);
    const other = fakeCaller(2);
    const runId = await finishedRun(table, owner);
    expect(errorOf(await table.invoke('getReport', other, [runId])).code).toBe('not-found');
    expect(errorOf(await table.invoke('copySummary', other, [runId])).code).toBe('not-found');
    expect(errorOf(await table.invoke('listFixes', other, [runId])).code).toBe('not-found');
    expect(other.messages).toHaveLength(0);
  });

  it('cancels: resolves only after the run stopped, announces run-cancelled once, leaves nothing running', async () => {
    const { table, engine } = setup({}, { hang: true });
    const caller = fakeCaller();
    const started = await table.invoke('startDiagnosis', caller, [
      { url: 'mms://127.0.0.1/live', errorCode: null, expectIp: null },
    ]);
    const { runId } = (started as { ok: true; value: { runId: string } }).value;
    expect(table.activeRuns()).toBe(1);
    const busy = await table.invoke('startDiagnosis', caller, [
      { url: 'mms://127.0.0.1/live', errorCode: null, expectIp: null },
    ]);
    expect(errorOf(busy).code).toBe('busy');
    const cancelled = await table.invoke('cancelDiagnosis', caller, [runId]);
    expect(cancelled).toEqual({ ok: true, value: { cancelled: true } });
    expect(engine.aborted()).toBe(1);
    expect(table.activeRuns()).toBe(0);
    const types = caller.messages.map((m) => m.event.type);
    expect(types.filter((t) => t === 'run-cancelled')).toHaveLength(1);
    expect(types).not.toContain('run-finished');
    expect(types.at(-1)).toBe('run-cancelled');
    expect(await table.invoke('cancelDiagnosis', caller, [runId])).toEqual({
      ok: true,
      value: { cancelled: false },
    });
  });

  it('reports an engine failure as run-failed, not as a crash', async () => {
    const { table } = setup({
      engine: {
        validateRequest: validate,
        network: async () => {
          throw new Error('socket exploded');
        },
      },
    });
    const caller = fakeCaller();
    const started = await table.invoke('startDiagnosis', caller, [
      { url: 'mms://127.0.0.1/live', errorCode: null, expectIp: null },
    ]);
    expect(started.ok).toBe(true);
    await waitFor(() => caller.messages.length > 0);
    expect(caller.messages.at(-1)!.event).toEqual({
      type: 'run-failed',
      message: expect.stringContaining('socket exploded'),
    });
    expect(table.activeRuns()).toBe(0);
  });

  it('exports the finished report as JSON and HTML through the save dependency', async () => {
    const { table, saved } = setup();
    const caller = fakeCaller();
    const runId = await finishedRun(table, caller);
    const json = await table.invoke('exportReport', caller, [{ runId, format: 'json' }]);
    expect(json.ok).toBe(true);
    const html = await table.invoke('exportReport', caller, [{ runId, format: 'html' }]);
    expect(html.ok).toBe(true);
    expect(saved.map((s) => s.format)).toEqual(['json', 'html']);
    const parsed = JSON.parse(saved[0]!.content) as DiagnosisReport;
    expect(parsed.verdict.code).toBe('use-rtsp');
    expect(parsed.checks.map((c) => c.id)).toEqual(['route-rtsp', 'firewall-rules']);
    expect(saved[0]!.suggestedName).toMatch(/^stream-doctor-127\.0\.0\.1-.*\.json$/);
    expect(saved[1]!.content).toContain('The rule &quot;localsend&quot; blocks outbound TCP.');
  });

  it('copies text and a summary to the clipboard', async () => {
    const { table, clipboard } = setup();
    const caller = fakeCaller();
    const runId = await finishedRun(table, caller);
    expect(await table.invoke('copyText', caller, ['rtsp://127.0.0.1/live'])).toEqual({
      ok: true,
      value: { copied: true },
    });
    const summary = await table.invoke('copySummary', caller, [runId]);
    expect(summary.ok).toBe(true);
    expect(clipboard[0]).toBe('rtsp://127.0.0.1/live');
    expect(clipboard[1]).toContain('Verdict (use-rtsp)');
    expect(clipboard[1]).toContain('[Fail] Windows Firewall rules');
  });

  it('lists, previews, applies and undoes a fix, re-checking before and after', async () => {
    const { table, windows } = setup();
    const caller = fakeCaller();
    const runId = await finishedRun(table, caller);
    const list = await table.invoke('listFixes', caller, [runId]);
    const fixes = (list as { ok: true; value: Array<{ id: string; needsAdmin: boolean }> }).value;
    expect(fixes).toHaveLength(1);
    expect(fixes[0]!.needsAdmin).toBe(true);
    const fixId = fixes[0]!.id;
    const preview = await table.invoke('previewFix', caller, [fixId]);
    expect(preview.ok && (preview.value as { commands: string[] }).commands).toEqual(disableRule.commands);

    caller.messages.length = 0;
    const applied = await table.invoke('applyFix', caller, [fixId]);
    expect(applied.ok).toBe(true);
    const outcome = (
      applied as { ok: true; value: { state: string; comparison: Array<{ before: Check; after: Check }> } }
    ).value;
    expect(outcome.state).toBe('applied');
    expect(outcome.comparison[0]!.before.status).toBe('fail');
    expect(outcome.comparison[0]!.after.status).toBe('pass');
    expect(caller.messages.map((m) => m.event)).toEqual([
      { type: 'check-finished', check: blockingRule(false) },
    ]);
    const report = (await table.invoke('getReport', caller, [runId])) as { ok: true; value: DiagnosisReport };
    expect(report.value.checks.find((c) => c.id === 'firewall-rules')!.status).toBe('pass');

    expect(errorOf(await table.invoke('applyFix', caller, [fixId])).code).toBe('failed');
    const reopened = await table.invoke('previewFix', caller, [fixId]);
    expect(reopened.ok && (reopened.value as { applied: boolean }).applied).toBe(true);
    const undone = await table.invoke('undoFix', caller, [fixId]);
    expect(undone.ok && (undone.value as { state: string }).state).toBe('undone');
    expect(windows.applied).toEqual(['apply disable-rule:localsend', 'undo disable-rule:localsend']);
    expect(errorOf(await table.invoke('undoFix', caller, [fixId])).code).toBe('failed');
  });

  it('lists changes applied earlier and undoes one, which the run’s fix then knows', async () => {
    const { table, windows } = setup();
    const caller = fakeCaller();
    const runId = await finishedRun(table, caller);
    expect(await table.invoke('listAppliedChanges', caller, [])).toEqual({
      ok: true,
      value: { changes: [], notices: [] },
    });
    const list = (await table.invoke('listFixes', caller, [runId])) as {
      ok: true;
      value: Array<{ id: string }>;
    };
    const fixId = list.value[0]!.id;
    expect((await table.invoke('applyFix', caller, [fixId])).ok).toBe(true);
    const changes = (await table.invoke('listAppliedChanges', caller, [])) as {
      ok: true;
      value: { changes: Array<{ id: string }> };
    };
    expect(changes.value.changes.map((c) => c.id)).toEqual(['change-1']);
    expect(await table.invoke('undoAppliedChange', caller, ['change-1'])).toEqual({
      ok: true,
      value: { message: 'Undone and verified.' },
    });
    expect(windows.applied).toEqual([`apply ${disableRule.id}`, 'undo change-1']);
    const preview = (await table.invoke('previewFix', caller, [fixId])) as {
      ok: true;
      value: { applied: boolean };
    };
    expect(preview.value.applied).toBe(false);
    expect(errorOf(await table.invoke('undoAppliedChange', caller, ['change-1']))).toEqual({
      code: 'failed',
      message: 'This change is not in the journal.',
    });
    expect(errorOf(await table.invoke('undoAppliedChange', caller, [])).code).toBe('invalid-argument');
  });

  it('runs an undo of the journal once when it is asked for twice at the same time (a double click)', async () => {
    const { table, windows } = setup();
    const caller = fakeCaller();
    const runId = await finishedRun(table, caller);
    const list = (await table.invoke('listFixes', caller, [runId])) as {
      ok: true;
      value: Array<{ id: string }>;
    };
    expect((await table.invoke('applyFix', caller, [list.value[0]!.id])).ok).toBe(true);
    const [first, second] = await Promise.all([
      table.invoke('undoAppliedChange', caller, ['change-1']),
      table.invoke('undoAppliedChange', caller, ['change-1']),
    ]);
    expect(first.ok).toBe(true);
    expect(errorOf(second).code).toBe('busy');
    expect(windows.applied.filter((a) => a.startsWith('undo'))).toEqual(['undo change-1']);
  });

  it('passes a failed fix on as a message and changes nothing', async () => {
    const windows = fakeWindows({ applyFails: true });
    const { table } = setup({ windows });
    const caller = fakeCaller();
    const runId = await finishedRun(table, caller);
    const list = (await table.invoke('listFixes', caller, [runId])) as {
      ok: true;
      value: Array<{ id: string }>;
    };
    const result = errorOf(await table.invoke('applyFix', caller, [list.value[0]!.id]));
    expect(result).toEqual({
      code: 'failed',
      message: 'The administrator prompt was declined; nothing was changed.',
    });
    expect(errorOf(await table.invoke('undoFix', caller, [list.value[0]!.id])).code).toBe('failed');
  });

  it('opens only parsed stream URLs, in a player that is there and knows the scheme', async () => {
    const { table, launched } = setup();
    const caller = fakeCaller();
    expect(
      errorOf(
        await table.invoke('openInPlayer', caller, [{ player: 'wmp', url: 'https://evil.example/x.exe' }]),
      ).code,
    ).toBe('invalid-input');
    expect(
      errorOf(
        await table.invoke('openInPlayer', caller, [
          { player: 'wmp', url: 'file:///C:/Windows/System32/calc.exe' },
        ]),
      ).code,
    ).toBe('invalid-input');
    expect(
      errorOf(await table.invoke('openInPlayer', caller, [{ player: 'wmp', url: 'mmst://127.0.0.1/live' }]))
        .code,
    ).toBe('invalid-input');
    expect(
      errorOf(await table.invoke('openInPlayer', caller, [{ player: 'vlc', url: 'rtsp://127.0.0.1/live' }]))
        .code,
    ).toBe('not-available');
    expect(
      await table.invoke('openInPlayer', caller, [{ player: 'wmp', url: 'RTSP://127.0.0.1:8554/live' }]),
    ).toEqual({ ok: true, value: { opened: true } });
    expect(launched).toEqual([['wmp', 'rtsp://127.0.0.1:8554/live']]);
  });

  it('opens help pages by topic only, on allow-listed https origins', async () => {
    const { table, opened } = setup();
    const caller = fakeCaller();
    for (const topic of ['protocols', 'windows-firewall', 'vlc', 'wmp-help'])
      expect((await table.invoke('openHelp', caller, [topic])).ok).toBe(true);
    expect(opened.every((url) => url.startsWith('https://'))).toBe(true);
    expect(opened).toHaveLength(4);
    // End users get Microsoft's support page for the player, not a protocol specification.
    expect(opened[3]).toMatch(/^https:\/\/support\.microsoft\.com\//);
  });

  it('turns a dependency that throws into a failed result', async () => {
    const { table } = setup({
      clipboard: {
        writeText: () => {
          throw new Error('clipboard locked');
        },
      },
    });
    expect(await table.invoke('copyText', fakeCaller(), ['x'])).toEqual({
      ok: false,
      error: { code: 'failed', message: 'clipboard locked' },
    });
  });

  it('hands out the start-up configuration', async () => {
    const { table } = setup();
    const result = await table.invoke('getStartupConfig', fakeCaller(), []);
    expect(result.ok && (result.value as { prefill: { url: string } }).prefill.url).toBe(
      'mms://a.example/live',
    );
  });

  it('survives a window that vanished mid-run', async () => {
    const { table } = setup();
    const caller = fakeCaller(1, {
      send: () => {
        throw new Error('Object has been destroyed');
      },
    });
    const started = await table.invoke('startDiagnosis', caller, [
      { url: 'mms://127.0.0.1/live', errorCode: null, expectIp: null },
    ]);
    expect(started.ok).toBe(true);
    await waitFor(() => table.activeRuns() === 0);
    const runId = (started as { ok: true; value: { runId: string } }).value.runId;
    expect((await table.invoke('getReport', caller, [runId])).ok).toBe(true);
  });
});

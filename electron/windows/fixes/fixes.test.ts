// Fix actions through the replaying runner: exact argument arrays, verification by reading the state again,
// undo from the journal (also after a "restart"), declined elevation, roll-back after a failed command.
//
// Recorded outputs: netsh's "Ok.", "Updated 1 rule(s).", "Deleted 1 rule(s).", sc's "ChangeServiceConfig
// SUCCESS", "FAILED 1053/1062" and the `sc start` state are real captures (fixtures/). The states *after*
// a change (our rule present, a rule disabled, WMServer running) were never captured anywhere; they are
// DERIVED from real captures by changing only the values the change changes (see each helper), never
// written from scratch.
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { parseNetshProfiles } from '../netsh-profiles';
import { parseNetshRules, type FirewallRule } from '../netsh-rules';
import { createReplayRunner, type Recording } from '../replay-runner';
import { parseSc, type ServiceInfo } from '../sc';
import { fixtureText } from '../test-support/fixtures';
import { applyFix, undoFix, type FixDeps } from './apply';
import {
  planAddStreamingRule,
  planDisableBlockingRule,
  planEnableAllowRule,
  planRemoveAppRules,
  planRestartWmserver,
  planStartWmserver,
  WMS_RULE_NAME,
} from './catalogue';
import { createRunnerElevator, createUacElevator, ERROR_CANCELLED } from './elevation';
import { readJournal } from './journal';
import type { JournalEntry } from './types';
import { proposeFixes } from './propose';
import type { FixPlan } from './types';

const realOk = fixtureText('netsh-transcript-add-show-delete-set-en-1.txt').split('\n')[1] + '\n'; // "Ok."
const realUpdated = fixtureText('netsh-msg-updated-en-1.txt').split('\n').slice(1, 4).join('\n'); // "\nUpdated 1 rule(s).\nOk."
const realDeleted = fixtureText('netsh-msg-deleted-en-1.txt').split('\n').slice(1).join('\n');
const realNoRules = fixtureText('netsh-msg-norules-de-1.txt');
const realConfigOk = fixtureText('sc-config-start-en-1.txt');
const realNotStarted = fixtureText('sc-stop-1062-en-1.txt');
const realStartFailed = fixtureText('sc-start-1053-en-1.txt');
const scStopStart = fixtureText('sc-stop-start-en-1.txt');
const realStopOutput = scStopStart.slice(0, scStopStart.indexOf('```'));
const realStartPending = scStopStart.slice(scStopStart.lastIndexOf('sc start'));

/** The real "web" rule block of the Hackback capture, as our rule: name, port and group changed. */
function derivedWmsRuleOutput(protocols: string[]): string {
  const text = fixtureText('netsh-showrule-en-1.txt');
  const web = text.slice(text.indexOf('Rule Name:                            web'), text.indexOf('Ok.'));
  const blocks = protocols.map((protocol) =>
    web
      .replace('web', WMS_RULE_NAME)
      .replace('80,64831,6666', '1755')
      .replace(
        'Grouping:                             ',
        'Grouping:                             Stream Doctor',
      )
      .replace(
        'Protocol:                             TCP',
        `Protocol:                             ${protocol}`,
      ),
  );
  return `\n${blocks.join('\n')}Ok.\n`;
}

/** The real "Disable Edge Updates" block (enabled block rule), or the same with Enabled: No. */
function edgeRuleOutput(enabled: boolean): string {
  const text = fixtureText('netsh-transcript-show-set-en-2.txt');
  const first = text.slice(text.indexOf('\n    Rule Name:'), text.indexOf('Ok.') + 3);
  return enabled
    ? first
    : first.replace('Enabled:                              Yes', 'Enabled:                              No');
}

/** Real sc blocks renamed to WMServer: mpssvc (RUNNING) / MSDTC (STOPPED) from `sc query state= all`. */
function wmserverQueryOutput(state: 'running' | 'stopped'): string {
  const list = fixtureText('sc-query-list-en-new-1.txt');
  const name = state === 'running' ? 'mpssvc' : 'MSDTC';
  const start = list.indexOf(`SERVICE_NAME: ${name}`);
  const end = list.indexOf('\n\n', start);
  return list
    .slice(start, end < 0 ? undefined : end)
    .replace(`SERVICE_NAME: ${name}`, 'SERVICE_NAME: WMServer')
    .replace(/DISPLAY_NAME: .*/, 'DISPLAY_NAME: Windows Media Services');
}

/** The real `sc qc AppReadiness` answer renamed to WMServer, start type as given. */
function wmserverConfigOutput(startType: 'AUTO_START' | 'DEMAND_START'): string {
  const text = fixtureText('sc-qc-en-1.txt');
  return text
    .slice(text.indexOf('[SC]'))
    .replace('SERVICE_NAME: AppReadiness', 'SERVICE_NAME: WMServer')
    .replace('3   DEMAND_START', startType === 'AUTO_START' ? '2   AUTO_START' : '3   DEMAND_START');
}

const showRule = (name: string, dir: 'in' | 'out') => ({
  file: 'netsh',
  args: ['advfirewall', 'firewall', 'show', 'rule', `name=${name}`, `dir=${dir}`, 'verbose'],
});
const scQuery = { file: 'sc', args: ['query', 'WMServer'] };
const scQc = { file: 'sc', args: ['qc', 'WMServer'] };

let workDir: string;
let journalFile: string;
beforeEach(async () => {
  workDir = await mkdtemp(path.join(tmpdir(), 'stream-doctor-fixes-'));
  journalFile = path.join(workDir, 'journal', 'fixes.json');
});
afterEach(async () => {
  await rm(workDir, { recursive: true, force: true });
});

function deps(
  recordings: Recording[],
  decline = false,
): FixDeps & { runner: ReturnType<typeof createReplayRunner> } {
  const runner = createReplayRunner(recordings);
  return {
    runner,
    elevator: createRunnerElevator(runner, { decline }),
    journalFile,
    verifyAttempts: 2,
    verifyDelayMs: 0,
    now: () => new Date('2026-01-02T03:04:05Z'),
  };
}

/** The readable entries of the journal. */
async function entries(): Promise<JournalEntry[]> {
  return (await readJournal(journalFile)).records.flatMap((r) => (r.readable ? [r.entry] : []));
}

const argv = (runner: ReturnType<typeof createReplayRunner>) =>
  runner.calls.map((call) => [call.file, ...call.args]);

function mustPlan(result: { ok: true; plan: FixPlan } | { ok: false; reason: string }): FixPlan {
  if (!result.ok) throw new Error(result.reason);
  return result.plan;
}

describe('add the inbound "WMS Streaming (1755)" rule', () => {
  const before = parseNetshRules(realNoRules).rules;
  const plan = mustPlan(planAddStreamingRule(before));

  it('shows the exact commands before anything runs, and needs administrator rights', () => {
    expect(plan.needsAdmin).toBe(true);
    expect(plan.commands.map((command) => command.spec.args)).toEqual([
      [
        'advfirewall',
        'firewall',
        'add',
        'rule',
        'name=WMS Streaming (1755)',
        'dir=in',
        'action=allow',
        'localport=1755',
        'profile=any',
        'enable=yes',
        'protocol=TCP',
      ],
      [
        'advfirewall',
        'firewall',
        'add',
        'rule',
        'name=WMS Streaming (1755)',
        'dir=in',
        'action=allow',
        'localport=1755',
        'profile=any',
        'enable=yes',
        'protocol=UDP',
      ],
      ['-NoProfile', '-NonInteractive', '-EncodedCommand', plan.commands[2]?.spec.args[3]],
    ]);
    expect(plan.commands[0]?.display).toBe(
      'netsh advfirewall firewall add rule "name=WMS Streaming (1755)" dir=in action=allow localport=1755 profile=any enable=yes protocol=TCP',
    );
    const script = Buffer.from(plan.commands[2]?.spec.args[3] ?? '', 'base64').toString('utf16le');
    expect(script).toContain("$rule.Name -eq 'WMS Streaming (1755)' -and $rule.Direction -eq 1");
    expect(script).toContain("$rule.Grouping = 'Stream Doctor'");
    expect(plan.commands[2]?.display).toContain('HNetCfg.FwPolicy2');
  });

  it('applies, verifies by reading the rules again, journals, and undoes from the journal', async () => {
    const d = deps([
      { ...plan.commands[0]!.spec, exitCode: 0, stdout: realOk },
      { ...plan.commands[1]!.spec, exitCode: 0, stdout: realOk },
      { ...plan.commands[2]!.spec, exitCode: 0, stdout: '' },
      { ...showRule(WMS_RULE_NAME, 'in'), exitCode: 0, stdout: derivedWmsRuleOutput(['TCP', 'UDP']) },
      { ...showRule(WMS_RULE_NAME, 'in'), exitCode: 1, stdout: realNoRules },
      { ...plan.undo[0]!.spec, exitCode: 0, stdout: realDeleted },
    ]);
    const applied = await applyFix(plan, d);
    expect(applied).toMatchObject({ status: 'applied' });
    expect(argv(d.runner).map((call) => call.slice(0, 5))).toEqual([
      ['netsh', 'advfirewall', 'firewall', 'add', 'rule'],
      ['netsh', 'advfirewall', 'firewall', 'add', 'rule'],
      ['powershell', '-NoProfile', '-NonInteractive', '-EncodedCommand', plan.commands[2]?.spec.args[3]],
      ['netsh', 'advfirewall', 'firewall', 'show', 'rule'],
    ]);
    const [entry] = await entries();
    // Facts only: the commands are built again by the catalogue when undo runs.
    expect(entry).toEqual({
      id: expect.stringMatching(/^[0-9a-f-]{36}$/),
      facts: { fixId: 'add-wms-streaming-rule', protocols: ['TCP', 'UDP'] },
      state: 'applied',
      recordedAt: '2026-01-02T03:04:05.000Z',
      updatedAt: '2026-01-02T03:04:05.000Z',
    });

    const undone = await undoFix(entry?.id ?? '', d);
    expect(undone.status).toBe('undone');
    expect(argv(d.runner).slice(4)).toEqual([
      ['netsh', 'advfirewall', 'firewall', 'delete', 'rule', 'name=WMS Streaming (1755)', 'dir=in'],
      ['netsh', 'advfirewall', 'firewall', 'show', 'rule', 'name=WMS Streaming (1755)', 'dir=in', 'verbose'],
    ]);
    expect((await entries())[0]?.state).toBe('undone');
    expect((await undoFix(entry?.id ?? '', d)).status).toBe('not-found');
  });

  it('changes nothing when the administrator prompt is declined', async () => {
    const d = deps([], true);
    const outcome = await applyFix(plan, d);
    expect(outcome).toEqual({
      status: 'declined',
      message: 'Administrator rights were not granted, so nothing was changed.',
    });
    expect(d.runner.calls).toEqual([]);
    expect((await entries()).map((e) => e.state)).toEqual(['declined']);
  });

  it('rolls back when the new state is not found, and says so', async () => {
    const d = deps([
      { ...plan.commands[0]!.spec, exitCode: 0, stdout: realOk },
      { ...plan.commands[1]!.spec, exitCode: 0, stdout: realOk },
      { ...plan.commands[2]!.spec, exitCode: 0, stdout: '' },
      // Only the TCP rule shows up (twice read: two verification attempts), then none after the roll-back.
      { ...showRule(WMS_RULE_NAME, 'in'), exitCode: 0, stdout: derivedWmsRuleOutput(['TCP']) },
      { ...showRule(WMS_RULE_NAME, 'in'), exitCode: 0, stdout: derivedWmsRuleOutput(['TCP']) },
      { ...showRule(WMS_RULE_NAME, 'in'), exitCode: 1, stdout: realNoRules },
      { ...plan.undo[0]!.spec, exitCode: 0, stdout: realDeleted },
    ]);
    const outcome = await applyFix(plan, d);
    expect(outcome.status).toBe('unverified');
    expect(outcome).toMatchObject({ rolledBack: true });
    expect(outcome.message).toContain('1 rule(s) instead of 2');
    expect(argv(d.runner).filter((call) => call.includes('delete'))).toHaveLength(1);
    expect((await entries()).map((e) => e.state)).toEqual(['rolled-back']);
  });

  it('is refused when the rule already exists', () => {
    const existing = parseNetshRules(derivedWmsRuleOutput(['TCP', 'UDP'])).rules;
    expect(planAddStreamingRule(existing)).toMatchObject({ ok: false });
  });

  it('removes the app group and can put it back', () => {
    const ours = parseNetshRules(derivedWmsRuleOutput(['TCP', 'UDP']), { direction: 'in' }).rules;
    const removal = mustPlan(planRemoveAppRules(ours));
    expect(removal.commands.map((c) => c.spec.args)).toEqual([
      ['advfirewall', 'firewall', 'delete', 'rule', 'name=WMS Streaming (1755)', 'dir=in'],
    ]);
    expect(removal.undo.map((c) => c.spec.args.at(-1))).toEqual([
      'protocol=TCP',
      'protocol=UDP',
      removal.undo[2]?.spec.args[3],
    ]);
    expect(planRemoveAppRules(parseNetshRules(fixtureText('netsh-showrule-en-1.txt')).rules)).toMatchObject({
      ok: false,
    });
  });
});

describe('disable a rule that blocks streaming, enable a disabled allow rule', () => {
  const edge = parseNetshRules(edgeRuleOutput(true), { direction: 'out' }).rules;
  const plan = mustPlan(planDisableBlockingRule(edge[0] as FirewallRule, edge));
  const edgeShow = showRule('Disable Edge Updates', 'out');

  it('uses name and direction, and its undo switches the rule back on', () => {
    expect(plan.commands.map((c) => c.spec)).toEqual([
      {
        file: 'netsh',
        args: [
          'advfirewall',
          'firewall',
          'set',
          'rule',
          'name=Disable Edge Updates',
          'dir=out',
          'new',
          'enable=no',
        ],
      },
    ]);
    expect(plan.undo.map((c) => c.spec.args.at(-1))).toEqual(['enable=yes']);
  });

  it('applies, verifies, and undo restores the prior state', async () => {
    const d = deps([
      { ...plan.commands[0]!.spec, exitCode: 0, stdout: realUpdated },
      { ...edgeShow, exitCode: 0, stdout: edgeRuleOutput(false) },
      { ...plan.undo[0]!.spec, exitCode: 0, stdout: realUpdated },
      { ...edgeShow, exitCode: 0, stdout: edgeRuleOutput(true) },
    ]);
    const applied = await applyFix(plan, d);
    expect(applied.status).toBe('applied');
    const entryId = applied.status === 'applied' ? applied.entryId : '';
    // A new process (after a restart) knows only the journal file.
    const afterRestart: FixDeps = { ...d, elevator: createRunnerElevator(d.runner) };
    expect((await undoFix(entryId, afterRestart)).status).toBe('undone');
    expect(argv(d.runner)).toEqual([
      [
        'netsh',
        'advfirewall',
        'firewall',
        'set',
        'rule',
        'name=Disable Edge Updates',
        'dir=out',
        'new',
        'enable=no',
      ],
      ['netsh', 'advfirewall', 'firewall', 'show', 'rule', 'name=Disable Edge Updates', 'dir=out', 'verbose'],
      [
        'netsh',
        'advfirewall',
        'firewall',
        'set',
        'rule',
        'name=Disable Edge Updates',
        'dir=out',
        'new',
        'enable=yes',
      ],
      ['netsh', 'advfirewall', 'firewall', 'show', 'rule', 'name=Disable Edge Updates', 'dir=out', 'verbose'],
    ]);
  });

  it('refuses what it could not undo exactly, or could not pass safely', () => {
    // WinRM rules of two real machines: same name, one enabled, one disabled.
    const enabled = parseNetshRules(fixtureText('netsh-showrule-en-chaps-srv2016-cmd.txt'))
      .rules[0] as FirewallRule;
    const disabled = parseNetshRules(fixtureText('netsh-showrule-en-chaps-win10-cmd.txt'))
      .rules[0] as FirewallRule;
    expect(planEnableAllowRule(disabled, [enabled, disabled])).toMatchObject({ ok: false });
    expect(planEnableAllowRule(disabled, [disabled])).toMatchObject({ ok: true });
    expect(planDisableBlockingRule(enabled, [enabled])).toMatchObject({ ok: false }); // an allow rule
    const quoted: FirewallRule = { ...(edge[0] as FirewallRule), name: "Block 'everything'" };
    const refused = planDisableBlockingRule(quoted, [quoted]);
    expect(refused.ok).toBe(false);
    expect(refused.ok ? '' : refused.reason).toMatch(/wf\.msc/);
  });
});

describe('Windows Media Services', () => {
  const stoppedManual: ServiceInfo = {
    ...(parseSc(wmserverQueryOutput('stopped')).services[0] as ServiceInfo),
    startType: 'demand',
  };
  const plan = mustPlan(planStartWmserver(stoppedManual));

  it('plans sc config start= auto and sc start, with the exact undo', () => {
    expect(plan.commands.map((c) => c.spec)).toEqual([
      { file: 'sc', args: ['config', 'WMServer', 'start=', 'auto'] },
      { file: 'sc', args: ['start', 'WMServer'] },
    ]);
    expect(plan.undo.map((c) => c.spec)).toEqual([
      { file: 'sc', args: ['stop', 'WMServer'] },
      { file: 'sc', args: ['config', 'WMServer', 'start=', 'demand'] },
    ]);
    expect(plan.undoExpect).toEqual([
      { kind: 'service', service: 'WMServer', state: 'stopped', startType: 'demand' },
    ]);
  });

  it('starts the service, waits for RUNNING, and undo stops it and restores the start type', async () => {
    const d = deps([
      { ...plan.commands[0]!.spec, exitCode: 0, stdout: realConfigOk },
      { ...plan.commands[1]!.spec, exitCode: 0, stdout: realStartPending },
      // First reading: still START_PENDING (the real `sc start` answer); second: RUNNING.
      {
        ...scQuery,
        exitCode: 0,
        stdout: realStartPending.replace(/AdvancedSystemCareService9/g, 'WMServer'),
      },
      { ...scQuery, exitCode: 0, stdout: wmserverQueryOutput('running') },
      { ...scQuery, exitCode: 0, stdout: wmserverQueryOutput('stopped') },
      { ...scQc, exitCode: 0, stdout: wmserverConfigOutput('AUTO_START') },
      { ...scQc, exitCode: 0, stdout: wmserverConfigOutput('AUTO_START') },
      { ...scQc, exitCode: 0, stdout: wmserverConfigOutput('DEMAND_START') },
      { ...plan.undo[0]!.spec, exitCode: 0, stdout: realStopOutput },
      { ...plan.undo[1]!.spec, exitCode: 0, stdout: realConfigOk },
    ]);
    const applied = await applyFix(plan, d);
    expect(applied.status).toBe('applied');
    expect(argv(d.runner)).toEqual([
      ['sc', 'config', 'WMServer', 'start=', 'auto'],
      ['sc', 'start', 'WMServer'],
      ['sc', 'query', 'WMServer'],
      ['sc', 'qc', 'WMServer'],
      ['sc', 'query', 'WMServer'],
      ['sc', 'qc', 'WMServer'],
    ]);
    const undone = await undoFix(applied.status === 'applied' ? applied.entryId : '', d);
    expect(undone.status).toBe('undone');
    expect(argv(d.runner).slice(6)).toEqual([
      ['sc', 'stop', 'WMServer'],
      ['sc', 'config', 'WMServer', 'start=', 'demand'],
      ['sc', 'query', 'WMServer'],
      ['sc', 'qc', 'WMServer'],
    ]);
  });

  it('rolls back the start type when the service fails to start', async () => {
    const d = deps([
      { ...plan.commands[0]!.spec, exitCode: 0, stdout: realConfigOk },
      { ...plan.commands[1]!.spec, exitCode: 1053, stdout: realStartFailed },
      { ...plan.undo[0]!.spec, exitCode: 1062, stdout: realNotStarted },
      { ...plan.undo[1]!.spec, exitCode: 0, stdout: realConfigOk },
      { ...scQuery, exitCode: 0, stdout: wmserverQueryOutput('stopped') },
      { ...scQc, exitCode: 0, stdout: wmserverConfigOutput('DEMAND_START') },
    ]);
    const outcome = await applyFix(plan, d);
    expect(outcome).toMatchObject({ status: 'failed', rolledBack: true });
    expect(outcome.message).toContain(
      '"sc start WMServer" ended with exit code 1053: [SC] StartService FAILED 1053:',
    );
    expect(outcome.message).toContain('The previous state was restored.');
    // The roll-back ran both undo commands although "sc stop" failed (the service had not started).
    expect(argv(d.runner).slice(2, 4)).toEqual([
      ['sc', 'stop', 'WMServer'],
      ['sc', 'config', 'WMServer', 'start=', 'demand'],
    ]);
    expect((await entries()).map((e) => e.state)).toEqual(['rolled-back']);
  });

  it('is refused when there is nothing to do or nothing installed, and restart has no undo', () => {
    const running: ServiceInfo = {
      ...(parseSc(wmserverQueryOutput('running')).services[0] as ServiceInfo),
      startType: 'auto',
    };
    expect(planStartWmserver(running)).toMatchObject({ ok: false });
    expect(planStartWmserver(null)).toMatchObject({ ok: false });
    const restart = mustPlan(planRestartWmserver(running));
    expect(restart.commands.map((c) => c.display)).toEqual([
      'powershell -NoProfile -NonInteractive -Command "Restart-Service -Name WMServer -Force"',
    ]);
    expect(restart.undo).toEqual([]);
    expect(planRestartWmserver(stoppedManual)).toMatchObject({ ok: false });
  });
});

describe('UAC elevation of one action', () => {
  const commands = [
    {
      file: 'netsh',
      args: ['advfirewall', 'firewall', 'set', 'rule', 'name=x', 'dir=out', 'new', 'enable=no'],
    },
  ];

  function uac(exitCode: number, resultFile: Buffer | null) {
    const runner = createReplayRunner([]);
    const calls: string[] = [];
    const elevator = createUacElevator({
      runner: {
        run: (spec, options) => {
          calls.push(Buffer.from(spec.args.at(-1) ?? '', 'base64').toString('utf16le'));
          void runner.run(spec, options);
          return Promise.resolve({
            file: spec.file,
            args: [...spec.args],
            exitCode,
            stdout: Buffer.alloc(0),
            stderr: Buffer.alloc(0),
            timedOut: false,
            truncated: false,
            aborted: false,
            error: null,
            durationMs: 0,
          });
        },
      },
      workDir: 'C:\\Users\\me\\AppData\\Roaming\\Stream Doctor',
      readFile: () => (resultFile ? Promise.resolve(resultFile) : Promise.reject(new Error('ENOENT'))),
      removeFile: () => Promise.resolve(),
      windowsDirectory: 'C:\\Windows',
    });
    return { elevator, calls };
  }

  it('asks once, for this action only, and reads the results the elevated process wrote', async () => {
    const results = Buffer.from(JSON.stringify([{ exitCode: 0, output: 'Updated 1 rule(s).\r\nOk.\r\n' }]));
    const { elevator, calls } = uac(0, results);
    const run = await elevator.run(commands);
    expect(run.declined).toBe(false);
    expect(run.results.map((r) => [r.exitCode, r.stdout.toString()])).toEqual([
      [0, 'Updated 1 rule(s).\r\nOk.\r\n'],
    ]);
    expect(calls).toHaveLength(1);
    const outer = calls[0] ?? '';
    expect(outer).toContain('Start-Process -FilePath $powershell -Verb RunAs -Wait');
    const inner = Buffer.from(/'-EncodedCommand','([^']+)'/.exec(outer)?.[1] ?? '', 'base64').toString(
      'utf16le',
    );
    const payload = /FromBase64String\('([^']+)'\)/.exec(inner)?.[1] ?? '';
    expect(JSON.parse(Buffer.from(payload, 'base64').toString('utf8'))).toMatchObject({
      commands: [{ program: 'netsh.exe', args: commands[0]?.args }],
    });
    expect(inner).toContain('if ($LASTEXITCODE -ne 0) { break }');
  });

  it('reports a declined prompt (ERROR_CANCELLED) as declined', async () => {
    const { elevator } = uac(ERROR_CANCELLED, null);
    expect(await elevator.run(commands)).toEqual({ declined: true, results: [], error: null });
  });

  it('reports a run that left no result as an error, not a success', async () => {
    const { elevator } = uac(1, null);
    const run = await elevator.run(commands);
    expect(run.declined).toBe(false);
    expect(run.error).toMatch(/left no result/);
  });
});

it('keeps the journal readable JSON on disk', async () => {
  const d = deps([]);
  const edge = parseNetshRules(edgeRuleOutput(true), { direction: 'out' }).rules;
  const plan = mustPlan(planDisableBlockingRule(edge[0] as FirewallRule, edge));
  const recorded = deps([
    { ...plan.commands[0]!.spec, exitCode: 0, stdout: realUpdated },
    { ...showRule('Disable Edge Updates', 'out'), exitCode: 0, stdout: edgeRuleOutput(false) },
  ]);
  await applyFix(plan, recorded);
  const raw = JSON.parse(await readFile(journalFile, 'utf8')) as {
    format: string;
    version: number;
    entries: unknown[];
  };
  expect(raw.format).toBe('stream-doctor-fix-journal');
  expect(raw.version).toBe(2);
  expect(raw.entries).toHaveLength(1);
  expect(d.runner.calls).toEqual([]);
});

describe('fixes proposed from the checks', () => {
  const profiles = parseNetshProfiles(fixtureText('netsh-showprofile-all-en-chaps-srv2019-cmd.txt'));
  const running: ServiceInfo = {
    ...(parseSc(wmserverQueryOutput('running')).services[0] as ServiceInfo),
    startType: 'auto',
  };
  const wmserver = (service: ServiceInfo) => ({
    command: 'sc query WMServer',
    value: { query: { services: [service], errorCode: null, notInstalled: false }, config: null },
    error: null,
  });
  const ok = <T>(value: T) => ({ command: 'test', value, error: null });
  const titles = (results: ReturnType<typeof proposeFixes>) =>
    results.map((r) => (r.ok ? r.plan.fixId : `refused: ${r.reason}`));

  it('offers the streaming rule on a server whose firewall blocks 1755 (Hackback rules, WMServer running)', () => {
    const proposals = proposeFixes({
      rules: ok(parseNetshRules(fixtureText('netsh-showrule-en-1.txt')).rules),
      profiles: ok(profiles),
      wmserver: wmserver(running),
    });
    expect(titles(proposals)).toEqual(['add-wms-streaming-rule']);
  });

  it('offers to disable a block rule that surely covers the player, and to start a stopped WMServer', () => {
    // The real "Disable Edge Updates" rule as `verbose` shows it without a Program line (parsed value).
    const edge = {
      ...(parseNetshRules(edgeRuleOutput(true), { direction: 'out' }).rules[0] as FirewallRule),
      detailed: true,
    };
    const stopped: ServiceInfo = { ...running, state: 'stopped', startType: 'demand' };
    const proposals = proposeFixes({
      rules: ok([edge]),
      profiles: ok(profiles),
      wmserver: wmserver(stopped),
    });
    expect(titles(proposals)).toEqual([
      'disable-blocking-rule',
      'add-wms-streaming-rule',
      'start-wmserver-automatic',
    ]);
  });

  it('offers to enable a disabled allow rule instead of adding a new one', () => {
    // The real disabled "WeChat" allow rule (Any protocol, no port), as `verbose` would show it without a program.
    const wechat = {
      ...(parseNetshRules(fixtureText('netsh-transcript-set-show-en-1.txt')).rules[0] as FirewallRule),
      detailed: true,
    };
    const proposals = proposeFixes({
      rules: ok([wechat]),
      profiles: ok(profiles),
      wmserver: wmserver(running),
    });
    expect(titles(proposals)).toEqual(['enable-allow-rule']);
    expect(proposals[0]?.ok && proposals[0].plan.commands[0]?.spec.args).toEqual([
      'advfirewall',
      'firewall',
      'set',
      'rule',
      'name=WeChat',
      'dir=in',
      'new',
      'enable=yes',
    ]);
  });

  it('offers nothing on a client without Windows Media Services and without blocking rules', () => {
    expect(
      proposeFixes({
        rules: ok(parseNetshRules(fixtureText('netsh-showrule-verbose-en-3.txt')).rules),
        profiles: ok(profiles),
      }),
    ).toEqual([]);
  });
});

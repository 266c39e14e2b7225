import { mkdtemp, readFile, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseStreamUrl } from '../input/stream-url';
import type { StreamTarget } from '../input/types';
import { WINDOWS_CHECKS } from '../windows/checks';
import { createRunnerElevator } from '../windows/fixes/elevation';
import { parseNetshRules, type FirewallRule } from '../windows/netsh-rules';
import { createReplayRunner, type Recording } from '../windows/replay-runner';
import {
  BLOCKING_RULE_NAME,
  fixtureOutput,
  setRuleSpec,
  showRuleSpec,
  windowsClientRecordings,
} from './test-support/windows-recordings';
import { fixPlans } from '../windows/fixes/policy';
import { createWindowsPort } from './windows-adapter';

function target(url: string): StreamTarget {
  const parsed = parseStreamUrl(url);
  if (!parsed.ok) throw new Error(parsed.message);
  return parsed.value;
}

const signal = new AbortController().signal;
const stream = target('mms://10.231.1.2/live');

async function windowsClient(recordings: Recording[] = windowsClientRecordings(), decline = false) {
  const runner = createReplayRunner(recordings);
  const journalFile = path.join(await mkdtemp(path.join(os.tmpdir(), 'sd-journal-')), 'fix-journal.json');
  const port = createWindowsPort({
    runner,
    platform: 'win32',
    journalFile,
    elevator: createRunnerElevator(runner, { decline }),
    verifyDelayMs: 0,
  });
  return { runner, port, journalFile };
}

const changes = (runner: { calls: Array<{ args: readonly string[] }> }) =>
  runner.calls.filter((c) => c.args.includes('set'));

describe('the Windows port on the Windows layer', () => {
  it('announces every Windows check and, outside Windows, reports them all as not available', async () => {
    const runner = createReplayRunner([]);
    const port = createWindowsPort({ runner, platform: 'linux', journalFile: '/nonexistent/journal.json' });
    expect(port.plan(stream).map((h) => h.id)).toEqual(Object.values(WINDOWS_CHECKS).map((c) => c.id));
    const inspection = await port.inspect(stream, signal);
    expect(inspection.fixes).toEqual([]);
    expect(
      inspection.checks.every((c) => c.status === 'skip' && /not available on this system/i.test(c.summary)),
    ).toBe(true);
    expect(await port.appliedChanges()).toEqual({ changes: [], notices: [] });
    expect(runner.calls).toEqual([]);
  });

  it('reads the replayed real outputs: the Edge block rule may stop WMP, and a fix is offered with that doubt', async () => {
    const { port } = await windowsClient();
    const { checks, fixes } = await port.inspect(stream, signal);
    const client = checks.find((c) => c.id === WINDOWS_CHECKS.firewallClient.id);
    expect(client?.status).toBe('warn');
    expect(client?.summary).toContain(`possibly blocked by "${BLOCKING_RULE_NAME}"`);
    expect(checks.find((c) => c.id === WINDOWS_CHECKS.os.id)?.summary).toContain('Windows 10 Enterprise');
    expect(fixes).toHaveLength(1);
    expect(fixes[0]).toMatchObject({
      title: `Disable the outbound block rule "${BLOCKING_RULE_NAME}"`,
      needsAdmin: true,
      changes: [`Windows Firewall outbound rule “${BLOCKING_RULE_NAME}” (2 rules of that name): disabled`],
      commands: [`netsh advfirewall firewall set rule "name=${BLOCKING_RULE_NAME}" dir=out new enable=no`],
      undoCommands: [
        `netsh advfirewall firewall set rule "name=${BLOCKING_RULE_NAME}" dir=out new enable=yes`,
      ],
      checkIds: [WINDOWS_CHECKS.firewallClient.id],
    });
    expect(fixes[0]?.doubt).toMatch(
      /may not be the one in the way \(.*verbose.*\): if it is meant for another program, leave it on\./,
    );
  });

  it('applies with the exact argument arrays, verifies, journals; the re-check sees it; undo restores it', async () => {
    const { runner, port, journalFile } = await windowsClient();
    const [fix] = (await port.inspect(stream, signal)).fixes;
    const applied = await port.apply(fix!);
    expect(applied).toMatchObject({ ok: true, message: expect.stringMatching(/^Done and verified/) });
    expect(applied.ok && applied.changeId).toMatch(/^[0-9a-f-]{36}$/);
    expect(changes(runner)).toEqual([setRuleSpec(false)]);
    expect(
      runner.calls.filter((c) => c.args.includes('show') && c.args.includes(`name=${BLOCKING_RULE_NAME}`)),
    ).toEqual([showRuleSpec()]);
    const journal = JSON.parse(await readFile(journalFile, 'utf8')) as {
      entries: Array<{ facts: unknown; state: string }>;
    };
    expect(journal.entries).toMatchObject([
      {
        facts: { fixId: 'disable-blocking-rule', ruleName: BLOCKING_RULE_NAME, direction: 'out', count: 2 },
        state: 'applied',
      },
    ]);
    expect((await port.appliedChanges()).changes.map((c) => c.title)).toEqual([fix!.title]);

    const after = await port.inspect(stream, signal);
    expect(after.checks.find((c) => c.id === WINDOWS_CHECKS.firewallClient.id)?.status).toBe('pass');
    expect(after.fixes).toEqual([]);

    expect(await port.undo(fix!)).toMatchObject({
      ok: true,
      message: expect.stringMatching(/^Undone and verified/),
    });
    expect(changes(runner)).toEqual([setRuleSpec(false), setRuleSpec(true)]);
    expect((await port.appliedChanges()).changes).toEqual([]);
    const again = await port.inspect(stream, signal);
    expect(again.checks.find((c) => c.id === WINDOWS_CHECKS.firewallClient.id)?.status).toBe('warn');
  });

  it('undoes from the journal alone, as after a restart', async () => {
    const first = await windowsClient();
    const [fix] = (await first.port.inspect(stream, signal)).fixes;
    expect((await first.port.apply(fix!)).ok).toBe(true);
    // A new port (a restarted app) on the same journal: it has never seen the fix, only the journal.
    // It can only undo: no recording for switching the rule off, nor for reading it switched off.
    const runner = createReplayRunner(
      windowsClientRecordings().filter(
        (r) => !r.args.includes('enable=no') && !r.source?.startsWith('derived'),
      ),
    );
    const restarted = createWindowsPort({
      runner,
      platform: 'win32',
      journalFile: first.journalFile,
      elevator: createRunnerElevator(runner),
      verifyDelayMs: 0,
    });
    const [change] = (await restarted.appliedChanges()).changes;
    expect(change).toMatchObject({
      title: fix!.title,
      needsAdmin: true,
      undoCommands: fix!.undoCommands,
      status: 'applied',
    });
    const undone = await restarted.undoChange(change!.id);
    expect(changes(runner)).toEqual([setRuleSpec(true)]);
    expect(undone.ok).toBe(true);
    expect((await restarted.appliedChanges()).changes).toEqual([]);
  });

  it('a declined administrator prompt changes nothing and says so', async () => {
    const { runner, port } = await windowsClient(windowsClientRecordings(), true);
    const [fix] = (await port.inspect(stream, signal)).fixes;
    expect(await port.apply(fix!)).toEqual({
      ok: false,
      message: 'Administrator rights were not granted, so nothing was changed.',
    });
    expect(changes(runner)).toEqual([]);
    expect((await port.appliedChanges()).changes).toEqual([]);
  });

  it('passes netsh’s own refusal on and rolls back', async () => {
    const elevation = fixtureOutput('netsh-msg-elevation-en-1.txt').toString('utf8').split(/\r?\n/)[1] ?? '';
    const recordings = windowsClientRecordings().map((r) =>
      r.args.includes('enable=no') ? { ...r, exitCode: 1, stdout: `${elevation}\r\n` } : r,
    );
    const { port } = await windowsClient(recordings);
    const [fix] = (await port.inspect(stream, signal)).fixes;
    const result = await port.apply(fix!);
    expect(result.ok).toBe(false);
    expect(result.message).toContain('The requested operation requires elevation (Run as administrator).');
  });

  it('offers a may-apply rule only through the catalogue, and never one it could not undo exactly', () => {
    // A real block rule (Edge updates, outbound), narrowed to TCP 554 so the port logic is exercised.
    const text = fixtureOutput('netsh-transcript-show-set-en-2.txt').toString('utf8');
    const [edge] = parseNetshRules(text, { direction: 'out' }).rules;
    const rule: FirewallRule = {
      ...edge!,
      name: 'Block media',
      protocol: 'TCP',
      remotePorts: ['554'],
      program: null,
    };
    const none = () => [];
    const titles = (rules: FirewallRule[], streamPort?: number) =>
      fixPlans(rules, none, streamPort ? { streamPort } : {}).map((p) => p.plan.title);
    expect(titles([rule])).toEqual(['Disable the outbound block rule "Block media"']);
    expect(fixPlans([rule], none, {})[0]?.doubts.join(' ')).toContain('verbose');
    expect(titles([rule, { ...rule, enabled: false }])).toEqual([]);
    expect(titles([{ ...rule, name: 'x" & calc' }])).toEqual([]);
    expect(titles([{ ...rule, remotePorts: ['8080'] }])).toEqual([]);
    expect(titles([{ ...rule, remotePorts: ['8080'] }], 8080)).toHaveLength(1);
    expect(titles([{ ...rule, action: 'allow' }])).toEqual([]);
    // What the Windows layer proposes itself comes first and is not offered twice.
    const proposal = fixPlans([rule], none, {})[0]!.plan;
    expect(fixPlans([rule], () => [{ ok: true, plan: proposal }], {})).toEqual([
      { plan: proposal, doubts: [] },
    ]);
  });
});

describe('the start screen’s journal list', () => {
  it('settles an entry left "applying" at start, lists it for undo, and lists a tampered one as unreadable', async () => {
    const { port, runner, journalFile } = await windowsClient(
      // The live state: the rule is off, as the unfinished change meant it to be.
      windowsClientRecordings()
        .filter((r) => !r.args.includes('enable=no'))
        .map((r) =>
          r.args.includes(`name=${BLOCKING_RULE_NAME}`) && r.args.includes('show')
            ? { ...r, stdout: r.stdout.toString().replace(/^(\s*Enabled:\s+)Yes(\s*)$/gm, '$1No$2') }
            : r,
        ),
    );
    const at = '2026-01-02T03:04:05.000Z';
    const facts = {
      fixId: 'disable-blocking-rule',
      ruleName: BLOCKING_RULE_NAME,
      direction: 'out',
      count: 2,
    };
    await writeFile(
      journalFile,
      JSON.stringify({
        format: 'stream-doctor-fix-journal',
        version: 2,
        entries: [
          {
            id: '0b5c4a1e-1111-4222-8333-444455556666',
            facts,
            state: 'applying',
            recordedAt: at,
            updatedAt: at,
          },
          {
            id: '1b5c4a1e-1111-4222-8333-444455556666',
            facts: { ...facts, fixId: 'format-disk' },
            state: 'applied',
            recordedAt: at,
            updatedAt: at,
          },
        ],
      }),
    );
    const listed = await port.appliedChanges();
    expect(listed.notices).toEqual([
      `"Disable the outbound block rule "${BLOCKING_RULE_NAME}"" was left unfinished; read again, it is applied.`,
    ]);
    expect(listed.changes).toEqual([
      {
        id: '0b5c4a1e-1111-4222-8333-444455556666',
        title: `Disable the outbound block rule "${BLOCKING_RULE_NAME}"`,
        appliedAt: at,
        needsAdmin: true,
        undoCommands: [
          `netsh advfirewall firewall set rule "name=${BLOCKING_RULE_NAME}" dir=out new enable=yes`,
        ],
        status: 'applied',
        note: null,
      },
      {
        id: '1b5c4a1e-1111-4222-8333-444455556666',
        title: 'Unreadable journal entry',
        appliedAt: '',
        needsAdmin: false,
        undoCommands: [],
        status: 'unreadable',
        note: 'Unreadable — not offered for undo: unknown fix "format-disk".',
      },
    ]);
    // Settling read the state; it changed nothing.
    expect(changes(runner)).toEqual([]);
    expect((await port.undoChange('1b5c4a1e-1111-4222-8333-444455556666')).ok).toBe(false);
    expect(changes(runner)).toEqual([]);
  });
});

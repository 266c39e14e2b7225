import { describe, expect, it } from 'vitest';
import { parseStreamUrl } from '../input/stream-url';
import type { StreamTarget } from '../input/types';
import { WINDOWS_CHECKS } from '../windows/checks';
import { parseNetshRules, type FirewallRule } from '../windows/netsh-rules';
import { createReplayRunner } from '../windows/replay-runner';
import { fixtureOutput, setRuleSpec, windowsClientRecordings } from './test-support/windows-recordings';
import { blockingRuleFixes, createWindowsPort } from './windows-adapter';

function target(url: string): StreamTarget {
  const parsed = parseStreamUrl(url);
  if (!parsed.ok) throw new Error(parsed.message);
  return parsed.value;
}

const signal = new AbortController().signal;

describe('the Windows port on the Windows layer', () => {
  it('announces every Windows check and, outside Windows, reports them all as not available', async () => {
    const runner = createReplayRunner([]);
    const port = createWindowsPort({ runner, platform: 'linux' });
    expect(port.plan(target('mms://h/live')).map((h) => h.id)).toEqual(
      Object.values(WINDOWS_CHECKS).map((c) => c.id),
    );
    const inspection = await port.inspect(target('mms://h/live'), signal);
    expect(inspection.fixes).toEqual([]);
    expect(
      inspection.checks.every((c) => c.status === 'skip' && /not available on this system/i.test(c.summary)),
    ).toBe(true);
    expect(runner.calls).toEqual([]);
  });

  it('reads the replayed real outputs: the Edge block rule may stop WMP, and a fix is offered', async () => {
    const runner = createReplayRunner(windowsClientRecordings());
    const port = createWindowsPort({ runner, platform: 'win32' });
    const { checks, fixes } = await port.inspect(target('mms://10.231.1.2/live'), signal);
    const client = checks.find((c) => c.id === WINDOWS_CHECKS.firewallClient.id);
    expect(client?.status).toBe('warn');
    expect(client?.summary).toContain('possibly blocked by "Disable Edge Updates"');
    expect(checks.find((c) => c.id === WINDOWS_CHECKS.os.id)?.summary).toContain('Windows 10 Enterprise');
    expect(fixes).toHaveLength(1);
    expect(fixes[0]).toMatchObject({
      id: 'disable-blocking-rule:Disable Edge Updates',
      needsAdmin: true,
      commands: ['netsh advfirewall firewall set rule "name=Disable Edge Updates" dir=out new enable=no'],
      undoCommands: [
        'netsh advfirewall firewall set rule "name=Disable Edge Updates" dir=out new enable=yes',
      ],
      checkIds: [WINDOWS_CHECKS.firewallClient.id],
    });
  });

  it('applies and undoes with the exact argument arrays, and the re-check sees the change', async () => {
    const runner = createReplayRunner(windowsClientRecordings());
    const port = createWindowsPort({ runner, platform: 'win32' });
    const stream = target('mms://10.231.1.2/live');
    const [fix] = (await port.inspect(stream, signal)).fixes;
    expect(await port.apply(fix!)).toEqual({ ok: true, message: 'Updated 1 rule(s). Ok.' });
    const after = await port.inspect(stream, signal);
    expect(after.checks.find((c) => c.id === WINDOWS_CHECKS.firewallClient.id)?.status).toBe('pass');
    expect(after.fixes).toEqual([]);
    expect(await port.undo(fix!)).toEqual({ ok: true, message: 'Updated 1 rule(s). Ok.' });
    const changes = runner.calls.filter((c) => c.args.includes('set'));
    expect(changes).toEqual([setRuleSpec(false), setRuleSpec(true)]);
    const again = await port.inspect(stream, signal);
    expect(again.checks.find((c) => c.id === WINDOWS_CHECKS.firewallClient.id)?.status).toBe('warn');
  });

  it('passes netsh’s own refusal on when it is not elevated, and changes nothing after it', async () => {
    const elevation = fixtureOutput('netsh-msg-elevation-en-1.txt').toString('utf8').split(/\r?\n/)[1] ?? '';
    const recordings = windowsClientRecordings().map((r) =>
      r.args.includes('enable=no') ? { ...r, exitCode: 1, stdout: `${elevation}\r\n` } : r,
    );
    const port = createWindowsPort({ runner: createReplayRunner(recordings), platform: 'win32' });
    const [fix] = (await port.inspect(target('mms://10.231.1.2/live'), signal)).fixes;
    const result = await port.apply(fix!);
    expect(result.ok).toBe(false);
    expect(result.message).toContain('The requested operation requires elevation (Run as administrator).');
  });

  it('offers no fix it could not undo exactly, nor for names it will not pass to netsh', () => {
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
    expect(blockingRuleFixes([rule], {}).map((f) => f.fix.id)).toEqual(['disable-blocking-rule:Block media']);
    // Non-verbose output does not show the program: the fix says the rule only may apply.
    expect(blockingRuleFixes([rule], {})[0]?.fix.description).toMatch(
      /^This outbound rule may block .*not shown without "verbose"/,
    );
    expect(blockingRuleFixes([{ ...rule, detailed: true }], {})[0]?.fix.description).toMatch(
      /^This outbound rule blocks Windows Media Player connecting to TCP 554\./,
    );
    expect(blockingRuleFixes([rule, { ...rule, enabled: false }], {})).toEqual([]);
    expect(blockingRuleFixes([{ ...rule, name: 'x" & calc' }], {})).toEqual([]);
    expect(blockingRuleFixes([{ ...rule, remotePorts: ['8080'] }], {})).toEqual([]);
    expect(blockingRuleFixes([{ ...rule, remotePorts: ['8080'] }], { streamPort: 8080 })).toHaveLength(1);
    expect(blockingRuleFixes([{ ...rule, action: 'allow' }], {})).toEqual([]);
  });
});

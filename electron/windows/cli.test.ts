import iconv from 'iconv-lite';
import { describe, expect, it } from 'vitest';
import { runInspect, runLocal } from './cli';
import { benchInspect, benchNetshParse, buildVerboseOutput } from './bench';
import { parseNetshRules } from './netsh-rules';
import { createReplayRunner } from './replay-runner';
import { fixtureBytes, fixtureText, japaneseChatLogAsLines } from './test-support/fixtures';
import { memoryIo } from './test-support/memory-io';

describe('stream-doctor inspect', () => {
  it('prints netsh rules as JSON with the documented fields, from a cp850 file (German console)', async () => {
    // The real German sample, as its bytes arrive from a German console: cp850.
    const cp850 = iconv.encode(fixtureText('netsh-showrule-de-1.txt'), 'cp850');
    const { io, out } = memoryIo({ 'rules.txt': cp850 });
    expect(await runInspect(['inspect', 'rules.txt', '--kind', 'netsh-rules', '--json'], io)).toBe(0);
    const rules = (JSON.parse(out.join('')) as { items: Record<string, unknown>[] }).items;
    expect(rules).toHaveLength(2);
    expect(rules[0]).toMatchObject({
      name: 'VagrantWinNFSd-1.4.0',
      enabled: true,
      direction: 'out',
      profiles: ['domain', 'private', 'public'],
      protocol: 'Any',
      localPorts: [],
      remotePorts: [],
      program: null,
      action: 'allow',
    });
    expect(rules[0]?.fields).toContainEqual({ label: 'Profile', value: 'Domäne,Privat,Öffentlich' });
    expect(await runInspect(['inspect', 'rules.txt', '--kind', 'netsh-rules'], io)).toBe(0);
    expect(out.at(-1)).toContain('Read rules.txt as `netsh advfirewall firewall show rule` output, cp850.');
    // A file says nothing about the machine's role, and two rules of one name are not the whole list.
    expect(out.at(-1)).toMatch(
      /\[warn\] Firewall: a streaming server[^\n]*\n\s+From this partial listing \(only the rules named "VagrantWinNFSd-1.4.0"\)[^\n]*If this machine is the streaming server:/,
    );
  });

  it('reads a UTF-16LE file (PowerShell redirection) and a UTF-8 Japanese file', async () => {
    const english = fixtureText('netsh-showrule-en-1.txt');
    const utf16 = Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(english, 'utf16le')]);
    const japanese = Buffer.from(japaneseChatLogAsLines(fixtureText('netsh-showrule-ja-1.txt')), 'utf8');
    const { io, out } = memoryIo({ 'en.txt': utf16, 'ja.txt': japanese });
    expect(await runInspect(['en.txt', '--kind', 'netsh-rules', '--json'], io)).toBe(0);
    expect(
      (JSON.parse(out.pop() ?? '') as { items: { name: string }[] }).items.map((rule) => rule.name),
    ).toEqual(['ping', 'web']);
    expect(await runInspect(['ja.txt', '--kind=netsh-rules', '--json'], io)).toBe(0);
    expect(JSON.parse(out.pop() ?? '')).toMatchObject({
      items: [{ name: 'WSL SSH 2222', localPorts: ['2222'], action: 'allow' }],
    });
  });

  it('takes the direction from --dir and decodes with --codepage', async () => {
    const cp850 = iconv.encode(fixtureText('netsh-showrule-de-1.txt'), 'cp850');
    const { io, out } = memoryIo({ 'rules.txt': cp850 });
    expect(
      await runInspect(
        ['rules.txt', '--kind', 'netsh-rules', '--dir', 'in', '--codepage', '850', '--json'],
        io,
      ),
    ).toBe(0);
    expect(
      (JSON.parse(out.join('')) as { items: { direction: string }[] }).items.map((rule) => rule.direction),
    ).toEqual(['in', 'in']);
  });

  it('prints a readable report with the firewall analysis', async () => {
    const { io, out } = memoryIo({ 'r.txt': fixtureBytes('netsh-showrule-en-4.txt') });
    expect(await runInspect(['r.txt', '--kind', 'netsh-rules'], io)).toBe(0);
    const text = out.join('');
    expect(text).toContain('Read r.txt as `netsh advfirewall firewall show rule` output, utf-8.');
    expect(text).toContain('2 rule(s)');
    expect(text).toContain('localsend | enabled | out | block | domain,private,public | Any');
    expect(text).toMatch(/\[warn\] Firewall: Windows Media Player connecting out/);
  });

  it('inspects the other kinds', async () => {
    const { io, out } = memoryIo({
      p: fixtureBytes('netsh-showprofile-current-en-1.txt'),
      s: fixtureBytes('sc-stop-start-en-1.txt'),
      n: fixtureBytes('netstat-ano-en-chaps-srv2019-cmd.txt'),
      t: fixtureBytes('tasklist-csv-en-1.txt'),
      x: Buffer.from(fixtureText('sc-queryex-and-1060-en-1.txt').split('</pre>')[1] ?? ''),
    });
    expect(await runInspect(['p', '--kind', 'netsh-profiles'], io)).toBe(0);
    expect(out.pop()).toMatch(/Public: on, blocks incoming connections without a rule, blocks outgoing/);
    expect(await runInspect(['s', '--kind', 'sc'], io)).toBe(0);
    expect(out.pop()).toContain('AdvancedSystemCareService9: start-pending');
    // sc failed with 1060: a command that failed is reported as such (exit 1), with its meaning.
    expect(await runInspect(['x', '--kind', 'sc'], io)).toBe(1);
    expect(out.pop()).toContain('the service is not installed');
    expect(await runInspect(['n', '--kind', 'netstat', '--json'], io)).toBe(0);
    expect((JSON.parse(out.pop() ?? '') as { items: unknown[] }).items).toHaveLength(53);
    expect(await runInspect(['t', '--kind', 'tasklist'], io)).toBe(0);
    expect(out.pop()).toContain('10 process(es)');
  });

  it('exits 2 on bad input', async () => {
    const { io, err } = memoryIo({ f: Buffer.from('x') });
    expect(await runInspect(['f', '--kind', 'registry'], io)).toBe(2);
    expect(await runInspect(['--kind', 'sc'], io)).toBe(2);
    expect(await runInspect(['missing.txt', '--kind', 'sc'], io)).toBe(2);
    expect(await runInspect(['f', '--kind', 'sc', '--dir', 'up'], io)).toBe(2);
    expect(err.join('')).toMatch(/--kind must be one of[\s\S]*missing <file>[\s\S]*cannot read missing.txt/);
  });
});

describe('stream-doctor local', () => {
  it('prints every check as not available outside Windows, as JSON', async () => {
    const { io, out } = memoryIo();
    const runner = createReplayRunner([]);
    expect(await runLocal(['local', '--json'], io, { runner, platform: 'darwin' })).toBe(0);
    const checks = JSON.parse(out.join('')) as { status: string; summary: string }[];
    expect(checks).toHaveLength(11);
    expect(checks.every((check) => check.status === 'skip')).toBe(true);
    expect(runner.calls).toEqual([]);
  });

  it('exits 2 on an unknown argument', async () => {
    const { io } = memoryIo();
    expect(await runLocal(['local', '--fix'], io, { platform: 'linux' })).toBe(2);
  });
});

describe('benchmark input', () => {
  it('builds 5,000 rules from the real verbose samples, parsed back intact', () => {
    const text = buildVerboseOutput(5000);
    expect(text).toContain('\r\n');
    const { rules, unknownLabels } = parseNetshRules(text);
    expect(rules).toHaveLength(5000);
    expect(unknownLabels).toEqual([]);
    expect(rules.filter((rule) => rule.icmpTypes.length > 0).length).toBeGreaterThan(500);
    expect(new Set(rules.map((rule) => rule.name))).toEqual(
      new Set(['Node.js JavaScript Runtime', 'Unity 2022.1.0b10 Live Capture', 'DayZ', 'ping', 'web']),
    );
  });

  it('times parse + analysis', () => {
    const result = benchNetshParse(1);
    expect(result.rules).toBe(5000);
    expect(result.medianMs).toBeGreaterThan(0);
  });

  it('times inspect on the bench files, detected and decoded without a code page (500 rules here)', () => {
    const [german, russian] = benchInspect(1, 500);
    expect(german?.label).toBe('500 rules, cp850 (German console)');
    expect(german?.result).toMatchObject({ kind: 'netsh-rules', encoding: 'cp850' });
    expect(german?.result.items).toHaveLength(500);
    expect(russian?.result).toMatchObject({ kind: 'netsh-rules', encoding: 'cp866' });
    expect(russian?.result.messages.map((message) => message.id)).toEqual(['netsh-ok', 'netsh-no-rules']);
    expect(german?.medianMs).toBeGreaterThan(0);
    expect(german?.megabytes).toBeGreaterThan(0.1);
  });
});

import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { decodeOutput, decodeGuessing, parseCodePage, codePageEncoding } from './decode';
import { createProcessRunner, resolveProgram } from './runner';
import { commandKey, createReplayRunner, withoutSourceLine } from './replay-runner';
import {
  checkPort,
  checkProfiles,
  checkRuleName,
  checkServiceName,
  isSafeRuleName,
  UnsafeArgumentError,
} from './arguments';

const childScript = fileURLToPath(new URL('./test-support/child-process.mjs', import.meta.url));
const node = (mode: string, ...rest: string[]) => ({
  file: process.execPath,
  args: [childScript, mode, ...rest],
});

describe('process runner against real child processes', () => {
  const runner = createProcessRunner({ timeoutMs: 5_000, maxBytes: 1024 * 1024 });

  it('keeps cp850 bytes as bytes and decodes them with the OEM code page', async () => {
    const result = await runner.run(node('cp850'));
    expect(result.exitCode).toBe(0);
    expect(result.stdout.includes(0x81)).toBe(true);
    const decoded = decodeOutput(result.stdout, 850);
    expect(decoded.encoding).toBe('cp850');
    expect(decoded.text).toBe('Keine Regeln stimmen mit den angegebenen Kriterien überein.\r\n');
  });

  it('decodes cp866 output with code page 866, and shows what a wrong page would do', async () => {
    const result = await runner.run(node('cp866'));
    expect(decodeOutput(result.stdout, 866).text).toBe(
      'Ни одно правило не соответствует указанным критериям.\r\n',
    );
    expect(decodeOutput(result.stdout, 850).text).not.toContain('правило');
  });

  it('prefers strict UTF-8 when the bytes are valid UTF-8, whatever the OEM page', async () => {
    const result = await runner.run(node('utf8'));
    const decoded = decodeOutput(result.stdout, 932);
    expect(decoded.encoding).toBe('utf-8');
    expect(decoded.text.startsWith('規則名:')).toBe(true);
  });

  it('decodes UTF-16LE with a BOM as PowerShell writes it', async () => {
    const result = await runner.run(node('utf16'));
    expect(decodeOutput(result.stdout, 850)).toEqual({ text: 'Rule Name: ping\r\n', encoding: 'utf-16le' });
  });

  it('keeps a non-zero exit code and both streams', async () => {
    const result = await runner.run(node('exit', '1'));
    expect(result.exitCode).toBe(1);
    expect(result.stdout.toString()).toContain('No rules match');
    expect(result.stderr.toString()).toBe('stderr line\r\n');
    expect(result.error).toBeNull();
    const other = await runner.run(node('exit', '3'));
    expect(other.exitCode).toBe(3);
  });

  it('kills a program that sleeps past the timeout and keeps what it wrote', async () => {
    const started = Date.now();
    // Long enough for Node to start and print on a loaded machine, far below the 30 s the child sleeps.
    const result = await runner.run(node('sleep'), { timeoutMs: 1500 });
    expect(Date.now() - started).toBeLessThan(6_000);
    expect(result.timedOut).toBe(true);
    expect(result.exitCode).toBeNull();
    expect(result.error).toMatch(/timed out after 1500 ms/);
    expect(result.stdout.toString()).toBe('started\r\n');
  });

  it('stops a program that floods past the byte cap and keeps exactly the cap', async () => {
    const result = await runner.run(node('flood'), { maxBytes: 100_000 });
    expect(result.truncated).toBe(true);
    expect(result.stdout.length).toBe(100_000);
    expect(result.exitCode).toBeNull();
    expect(result.error).toMatch(/100000 bytes/);
  });

  it('can be cancelled', async () => {
    const controller = new AbortController();
    const pending = runner.run(node('sleep'), { signal: controller.signal });
    setTimeout(() => controller.abort(), 200);
    const result = await pending;
    expect(result.aborted).toBe(true);
    expect(result.exitCode).toBeNull();
  });

  it('passes arguments untouched, without a shell', async () => {
    const tricky = ['name=WMS Streaming (1755)', '&', 'echo', '%PATH%', '$(id)', '"quoted"'];
    const result = await runner.run(node('args', ...tricky));
    expect(JSON.parse(result.stdout.toString())).toEqual(tricky);
  });

  it('reports a program that does not exist instead of throwing', async () => {
    const result = await runner.run({ file: '/nonexistent/program', args: [] });
    expect(result.exitCode).toBeNull();
    expect(result.error).toBe('ENOENT');
  });
});

describe('program resolution', () => {
  it('runs Windows programs from %SystemRoot%, never from PATH', () => {
    expect(resolveProgram('netsh', 'C:\\Windows')).toBe('C:\\Windows\\System32\\netsh.exe');
    expect(resolveProgram('powershell', 'D:\\WINNT')).toBe(
      'D:\\WINNT\\System32\\WindowsPowerShell\\v1.0\\powershell.exe',
    );
    expect(resolveProgram('/usr/bin/node', 'C:\\Windows')).toBe('/usr/bin/node');
  });
});

describe('decoding helpers', () => {
  it('maps code pages to decoders', () => {
    expect(codePageEncoding(850)).toBe('cp850');
    expect(codePageEncoding(65001)).toBe('utf-8');
    expect(codePageEncoding(99999)).toBeNull();
  });

  it('reads the code page from chcp and reg query output, ignoring the localized sentence', () => {
    expect(parseCodePage('Active code page: 850.\r\n')).toBe(850);
    expect(parseCodePage('Page de codes active : 850\r\n')).toBe(850);
    expect(
      parseCodePage(
        '\r\nHKEY_LOCAL_MACHINE\\SYSTEM\\CurrentControlSet\\Control\\Nls\\CodePage\r\n    OEMCP    REG_SZ    866\r\n',
      ),
    ).toBe(866);
    expect(parseCodePage('no digits')).toBeNull();
  });

  it('falls back to cp437 when the OEM page is unknown, and never throws', () => {
    const bytes = Buffer.from([0x81, 0xff, 0x00, 0x41]);
    expect(decodeOutput(bytes, null).encoding).toBe('cp437');
    expect(decodeOutput(bytes, 424242).encoding).toBe('cp437');
    expect(decodeOutput(new Uint8Array(0), 850)).toEqual({ text: '', encoding: 'utf-8' });
  });

  it('guesses the code page of a file by the words it finds', () => {
    const bytes = Buffer.from('8da820aea4adae20afe0a0a2a8abae', 'hex'); // "Ни одно правило" in cp866
    const guessed = decodeGuessing(bytes, [850, 866, 936], (text) => (text.includes('правило') ? 1 : 0));
    expect(guessed).toEqual({ text: 'Ни одно правило', encoding: 'cp866' });
  });
});

describe('argument validation', () => {
  it('accepts ports 1-65535 only', () => {
    expect(checkPort(1755)).toBe(1755);
    for (const bad of [0, 65536, 1.5, -1, '80', NaN])
      expect(() => checkPort(bad)).toThrow(UnsafeArgumentError);
  });

  it('accepts real rule names and refuses anything a command line could misread', () => {
    for (const name of [
      'WMS Streaming (1755)',
      'VCL: allow RDP port 3389',
      'Windows Remote Management (HTTP-In)',
      'VagrantWinNFSd-1.4.0',
      'ICMP Allow incoming V4 echo request',
      'Node.js JavaScript Runtime',
      '規則名 テスト',
    ]) {
      expect(checkRuleName(name)).toBe(name);
    }
    for (const name of [
      '',
      ' lead',
      'a"b',
      'x=y',
      'a&b',
      'a|b',
      '%PATH%',
      'a;b',
      "it's",
      'a`b',
      '$x',
      'a\nb',
    ]) {
      expect(isSafeRuleName(name)).toBe(false);
      expect(() => checkRuleName(name)).toThrow(UnsafeArgumentError);
    }
  });

  it('accepts only the services on the fixed list, in their canonical spelling', () => {
    expect(checkServiceName('wmserver')).toBe('WMServer');
    expect(checkServiceName('mpssvc')).toBe('MpsSvc');
    expect(() => checkServiceName('Spooler')).toThrow(UnsafeArgumentError);
    expect(() => checkServiceName('WMServer & calc')).toThrow(UnsafeArgumentError);
  });

  it('accepts profile lists only from the three profiles', () => {
    expect(checkProfiles(['domain', 'public', 'domain'])).toEqual(['domain', 'public']);
    expect(() => checkProfiles([])).toThrow(UnsafeArgumentError);
    expect(() => checkProfiles(['any'])).toThrow(UnsafeArgumentError);
  });
});

describe('replay runner', () => {
  it('serves recordings by exact argument array, in order, and records unknown commands', async () => {
    const runner = createReplayRunner([
      { file: 'sc', args: ['query', 'WMServer'], exitCode: 1060, stdout: 'first' },
      { file: 'sc', args: ['query', 'WMServer'], exitCode: 0, stdout: 'second' },
    ]);
    const first = await runner.run({ file: 'C:\\Windows\\System32\\SC.EXE', args: ['query', 'WMServer'] });
    const second = await runner.run({ file: 'sc', args: ['query', 'WMServer'] });
    const third = await runner.run({ file: 'sc', args: ['query', 'WMServer'] });
    expect([first.exitCode, first.stdout.toString()]).toEqual([1060, 'first']);
    expect([second.exitCode, third.stdout.toString()]).toEqual([0, 'second']);
    const missing = await runner.run({ file: 'sc', args: ['query', 'wmserver'] });
    expect(missing.exitCode).toBeNull();
    expect(missing.error).toMatch(/no recorded output/);
    expect(runner.unknown).toEqual([{ file: 'sc', args: ['query', 'wmserver'] }]);
    expect(runner.calls).toHaveLength(4);
  });

  it('keys commands by program name without path, extension or case', () => {
    expect(commandKey({ file: 'C:\\Windows\\System32\\NETSTAT.EXE', args: ['-ano'] })).toBe(
      commandKey({ file: 'netstat', args: ['-ano'] }),
    );
  });

  it('strips the source line of a fixture and keeps the rest byte for byte', () => {
    const file = Buffer.from('# source: x\n\r\nRule Name: a\r\n');
    expect(withoutSourceLine(file).toString()).toBe('\r\nRule Name: a\r\n');
    expect(withoutSourceLine(Buffer.from('no header')).toString()).toBe('no header');
  });
});

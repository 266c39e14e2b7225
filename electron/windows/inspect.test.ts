// `stream-doctor inspect` on real outputs and on content that is not what it claims: what it is, whether it
// is the whole picture, and the same conclusions in text and JSON. Inputs marked "derived" are real samples
// transformed mechanically (re-encoded, cut, filtered the way findstr filters); nothing else is made up.
import iconv from 'iconv-lite';
import { describe, expect, it } from 'vitest';
import { runInspect } from './cli';
import { fixtureBytes, fixtureText, japaneseChatLogAsLines } from './test-support/fixtures';
import { memoryIo } from './test-support/memory-io';

interface Json {
  schemaVersion: number;
  kind: string | null;
  looksLike: string | null;
  encoding: string;
  complete: boolean;
  incomplete: string[];
  fullCommand: string | null;
  items: Record<string, unknown>[];
  findings: { id: string; status: string; summary: string }[];
  messages: { id: string; line: string }[];
  unknownWords: string[];
  exitCode: number;
}

async function inspect(
  bytes: Buffer,
  ...args: string[]
): Promise<{ code: number; text: string; json: Json }> {
  const { io, out, err } = memoryIo({ f: bytes });
  const code = await runInspect(['inspect', 'f', ...args], io);
  const text = out.join('') + err.join('');
  const json = memoryIo({ f: bytes });
  expect(await runInspect(['inspect', 'f', '--json', ...args], json.io)).toBe(code);
  return { code, text, json: JSON.parse(json.out.join('')) as Json };
}

describe('inspect knows what it reads', () => {
  it('refuses "hello world" as firewall rules instead of concluding anything', async () => {
    const { code, text, json } = await inspect(Buffer.from('hello world\n'), '--kind', 'netsh-rules');
    expect(code).toBe(2);
    expect(text).toContain('This is not the output of `netsh advfirewall firewall show rule`');
    expect(text).not.toMatch(/lets Windows Media Player/);
    expect(json).toMatchObject({ kind: null, looksLike: 'plain text', findings: [], items: [] });
  });

  it('names an ipconfig dump read as profiles, and never says the firewall service may be stopped', async () => {
    for (const args of [['--kind', 'netsh-profiles'], []]) {
      const { code, text, json } = await inspect(fixtureBytes('ipconfig-en-1.txt'), ...args);
      expect(code).toBe(2);
      expect(text).toContain('(it looks like the output of ipconfig)');
      expect(text).not.toMatch(/service may be stopped/);
      expect(json.kind).toBeNull();
    }
  });

  it('names a PowerShell table read as rules', async () => {
    const { code, text } = await inspect(
      fixtureBytes('powershell-table-netfirewallrule-en-1.txt'),
      '--kind=netsh-rules',
    );
    expect(code).toBe(2);
    expect(text).toMatch(/it looks like a PowerShell table/);
  });

  it('says rules are rules when they are read as netstat, instead of "80: nobody"', async () => {
    const { code, text } = await inspect(fixtureBytes('netsh-showrule-de-1.txt'), '--kind', 'netstat');
    expect(code).toBe(2);
    expect(text).toContain('This is not the output of `netstat -ano`');
    expect(text).toContain('(it looks like the output of `netsh advfirewall firewall show rule`)');
    expect(text).not.toContain('nobody');
  });

  it('calls random bytes binary data', async () => {
    // A fixed pseudo-random sequence (no Windows output involved).
    const bytes = Buffer.alloc(4096);
    let seed = 7;
    for (let i = 0; i < bytes.length; i++) bytes[i] = (seed = (seed * 1103515245 + 12345) & 0x7fffffff) >> 16;
    const { code, json } = await inspect(bytes);
    expect(code).toBe(2);
    expect(json.looksLike).toBe('binary data, not text');
  });

  it('detects every supported kind from the content alone', async () => {
    const expected: [string, string][] = [
      ['netsh-showrule-de-1.txt', 'netsh-rules'],
      ['netsh-showrule-verbose-en-3.txt', 'netsh-rules'],
      ['netsh-showrule-fr-1.txt', 'netsh-rules'],
      ['netsh-showprofile-all-en-chaps-win10-cmd.txt', 'netsh-profiles'],
      ['netsh-showprofile-current-en-1.txt', 'netsh-profiles'],
      ['netsh-showprofile-all-zh-CN-1.txt', 'netsh-profiles'],
      ['sc-qc-en-1.txt', 'sc'],
      ['sc-query-list-en-new-1.txt', 'sc'],
      ['netstat-ano-en-chaps-srv2019-cmd.txt', 'netstat'],
      ['tasklist-csv-en-1.txt', 'tasklist'],
    ];
    for (const [name, kind] of expected) {
      const { json } = await inspect(fixtureBytes(name));
      expect(json.kind, name).toBe(kind);
    }
  });
});

describe('known messages and completeness', () => {
  it('reports one named rule as a partial listing, with the command for the full picture', async () => {
    const { code, text, json } = await inspect(fixtureBytes('netsh-transcript-set-show-en-1.txt'));
    expect(code).toBe(0);
    expect(json.kind).toBe('netsh-rules');
    expect(json.complete).toBe(false);
    expect(json.incomplete).toContain('only the rules named "wechat"');
    expect(json.fullCommand).toBe('netsh advfirewall firewall show rule name=all verbose');
    expect(json.messages.map((message) => message.line)).toEqual(['Updated 1 rule(s).', 'Ok.', 'Ok.']);
    const server = json.findings.find((finding) => finding.id === 'windows.firewall-server');
    expect(server?.summary).not.toMatch(/Players cannot reach/);
    expect(server?.summary).toMatch(/^From this partial listing \(only the rules named "wechat"/);
    expect(server?.summary).toContain(
      'For the full picture run: netsh advfirewall firewall show rule name=all dir=in verbose',
    );
    expect(text).toContain('Partial listing: only the rules named "wechat"');
  });

  it('reads a listing without its command line whose rules all share one name as a named query', async () => {
    const { json } = await inspect(fixtureBytes('netsh-showrule-de-1.txt'));
    expect(json.complete).toBe(false);
    expect(json.incomplete).toEqual(['only the rules named "VagrantWinNFSd-1.4.0"']);
  });

  it('marks a findstr-filtered listing and a cut one as incomplete', async () => {
    // Derived: the real verbose listing through `findstr "Rule Name:"`, and the same listing cut mid-rule.
    const full = fixtureText('netsh-showrule-verbose-en-3.txt');
    const filtered = full
      .split(/\r?\n/)
      .filter((line) => line.includes('Rule Name:'))
      .join('\r\n');
    const one = await inspect(Buffer.from(filtered));
    expect(one.json.kind).toBe('netsh-rules');
    expect(one.json.complete).toBe(false);
    expect(one.json.incomplete.join()).toMatch(/findstr-filtered/);
    const cut = full.slice(0, full.lastIndexOf('Action:'));
    const two = await inspect(Buffer.from(cut));
    expect(two.json.incomplete.join()).toMatch(/ends in the middle of a rule/);
  });

  it('echoes "no rules match" in German and in Russian (cp866 bytes) and concludes nothing firm', async () => {
    const german = await inspect(fixtureBytes('netsh-msg-norules-de-1.txt'));
    expect(german.json).toMatchObject({ kind: 'netsh-rules', complete: false, items: [] });
    expect(german.json.messages).toEqual([
      expect.objectContaining({
        id: 'netsh-no-rules',
        line: 'Keine Regeln stimmen mit den angegebenen Kriterien überein.',
      }),
    ]);
    expect(german.json.findings.every((finding) => finding.status !== 'pass')).toBe(true);
    const russian = await inspect(fixtureBytes('netsh-msg-norules-ru-affory-cp866.txt'));
    expect(russian.json.encoding).toBe('cp866');
    expect(russian.json.messages.map((message) => message.line)).toEqual([
      'Ни одно правило не соответствует указанным критериям.',
    ]);
  });

  it('reports elevation and service errors as what they are (exit 1), never as a firewall state', async () => {
    const japanese = await inspect(fixtureBytes('netsh-msg-elevation-ja-1.txt'));
    expect(japanese.code).toBe(1);
    expect(japanese.json.messages[0]?.id).toBe('netsh-elevation');
    expect(japanese.text).toContain('要求された操作には、権限の昇格が必要です。');
    const service = await inspect(fixtureBytes('netsh-msg-service-error-en-1.txt'));
    expect(service.code).toBe(1);
    expect(service.json.kind).toBe('netsh-profiles');
    expect(service.json.findings.map((finding) => finding.status)).toEqual(['error']);
    expect(service.text).toContain(
      'An error occurred while attempting to contact the  Windows Firewall service.',
    );
    expect(service.text).not.toContain('netsh printed no firewall profile');
  });

  it('reads an sc transcript with prompts without turning prompts into fields', async () => {
    // Derived: the real `sc qc` session pasted twice.
    const session = fixtureText('sc-qc-en-1.txt');
    const { json } = await inspect(Buffer.from(`${session}\r\n${session}`));
    expect(json.kind).toBe('sc');
    const fields = json.items.flatMap((item) => (item.fields as { key: string }[]).map((field) => field.key));
    expect(fields).not.toContain('C');
    expect(json.findings[0]?.summary).toContain('not Windows Media Services');
  });

  it('says a filtered netstat listing does not show who is not listening', async () => {
    const { json } = await inspect(fixtureBytes('netstat-ano-listening-tcp-en-srv2012r2.txt'));
    expect(json.complete).toBe(false);
    expect(json.findings[0]?.summary).toContain('1755: not in this listing');
    expect(json.findings[0]?.summary).not.toContain('nobody');
  });
});

describe('encodings', () => {
  it('reads UTF-16LE without a BOM, Japanese included', async () => {
    // Derived: the real samples re-encoded as UTF-16LE without a BOM.
    const english = Buffer.from(fixtureText('netsh-showrule-en-1.txt'), 'utf16le');
    expect((await inspect(english)).json).toMatchObject({ kind: 'netsh-rules', encoding: 'utf-16le' });
    const japanese = Buffer.from(japaneseChatLogAsLines(fixtureText('netsh-showrule-ja-1.txt')), 'utf16le');
    const { json } = await inspect(japanese);
    expect(json).toMatchObject({ kind: 'netsh-rules', encoding: 'utf-16le' });
    expect(json.items[0]).toMatchObject({ name: 'WSL SSH 2222', action: 'allow' });
  });

  it('reads GBK profile output as GBK', async () => {
    // Derived: the real Chinese output re-encoded in cp936, as a Chinese console writes it.
    const gbk = iconv.encode(fixtureText('netsh-showprofile-all-zh-CN-1.txt'), 'cp936');
    const { json, code } = await inspect(gbk);
    expect(json).toMatchObject({ kind: 'netsh-profiles', encoding: 'cp936', complete: true });
    expect(json.items.map((profile) => [profile.profile, profile.state])).toEqual([
      ['domain', 'on'],
      ['private', 'on'],
      ['public', 'on'],
    ]);
    expect(code).toBe(0);
  });

  it('reads German rules saved by an editor in cp1252 with their profile words', async () => {
    // Derived: the real German sample re-encoded in cp1252 (Notepad's "ANSI" on a German Windows).
    const ansi = iconv.encode(fixtureText('netsh-showrule-de-1.txt'), 'cp1252');
    const { json } = await inspect(ansi);
    expect(json.encoding).toBe('cp1252');
    expect(json.items[0]).toMatchObject({ profiles: ['domain', 'private', 'public'] });
  });

  it('accepts --codepage=437 and --codepage 850, and refuses a code page it cannot decode', async () => {
    const cp850 = iconv.encode(fixtureText('netsh-showrule-de-1.txt'), 'cp850');
    expect((await inspect(cp850, '--codepage=437')).json.encoding).toBe('cp437');
    expect((await inspect(cp850, '--codepage', '850')).json.encoding).toBe('cp850');
    const { io, err } = memoryIo({ f: cp850 });
    expect(await runInspect(['f', '--codepage=9999'], io)).toBe(2);
    expect(err.join('')).toContain('code page 9999 is not supported');
  });
});

describe('the JSON carries the conclusions of the text', () => {
  it('has the documented fields and the same findings as the text report', async () => {
    const { text, json } = await inspect(fixtureBytes('netsh-showrule-en-4.txt'));
    expect(Object.keys(json)).toEqual(
      expect.arrayContaining([
        'schemaVersion',
        'kind',
        'encoding',
        'complete',
        'items',
        'findings',
        'unknownWords',
      ]),
    );
    expect(json.schemaVersion).toBe(1);
    expect(json.findings.length).toBeGreaterThan(0);
    for (const finding of json.findings) expect(text).toContain(finding.summary);
  });

  it('exits 0 when nothing in the way, 2 on bad arguments', async () => {
    expect((await inspect(fixtureBytes('netsh-showprofile-all-en-chaps-win10-cmd.txt'))).code).toBe(0);
    const { io, err } = memoryIo({ f: Buffer.from('x') });
    expect(await runInspect(['f', '--kind', 'registry'], io)).toBe(2);
    expect(await runInspect(['--kind', 'sc'], io)).toBe(2);
    expect(await runInspect(['missing.txt'], io)).toBe(2);
    expect(await runInspect(['f', '--dir', 'up'], io)).toBe(2);
    expect(await runInspect(['f', '--bogus'], io)).toBe(2);
    expect(err.join('')).toMatch(
      /--kind must be one of[\s\S]*missing <file>[\s\S]*cannot read missing.txt[\s\S]*--dir/,
    );
  });

  it('strips control characters and escape sequences from what it echoes', async () => {
    // Derived: the real listing with a terminal escape sequence planted in a rule name.
    const text = fixtureText('netsh-showrule-en-1.txt').replace(
      'ping',
      'pi\u001b[2J\u001b]0;owned\u0007ng\u0000',
    );
    const { json, text: report } = await inspect(Buffer.from(text));
    expect(json.items[0]?.name).toBe('ping');
    expect([...report].filter((char) => ['\u001b', '\u0000', '\u0007'].includes(char))).toEqual([]);
  });
});

describe('show currentprofile without its dashed separator', () => {
  it('is read as the active profile, and said to be one of three', async () => {
    // Derived: the real `show currentprofile` output with its separator line removed.
    const text = fixtureText('netsh-showprofile-current-en-1.txt')
      .split(/\r?\n/)
      .filter((line) => !/^-{60,}$/.test(line))
      .join('\r\n');
    const { code, json, text: report } = await inspect(Buffer.from(text));
    expect(json.kind).toBe('netsh-profiles');
    expect(json.items).toMatchObject([{ profile: 'public', state: 'on', defaultOutbound: 'block' }]);
    expect(json.complete).toBe(false);
    expect(json.incomplete[0]).toMatch(/^1 of the 3 profiles/);
    expect(report).toMatch(/Public: on, blocks incoming connections without a rule, blocks outgoing/);
    expect(report).not.toMatch(/service may be stopped/);
    expect(code).toBe(0);
  });
});

// Parser behaviour beyond the samples: transformations of real samples (CRLF, full-width colons, prefixes,
// the dir= of the query, an unknown language) and property tests: random, truncated and mixed-language
// input never throws.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { parseNetshRules, splitSeparatedBlocks } from './netsh-rules';
import { parseNetshProfiles } from './netsh-profiles';
import { parseSc } from './sc';
import { parseNetstat, splitEndpoint } from './netstat';
import { parseCsv, parseTasklistCsv } from './tasklist';
import { parseRegQuery, dwordValue } from './reg-query';
import { parsePowerShellProfiles, parsePowerShellRules } from './powershell-firewall';
import { decodeOutput } from './decode';
import { parseWevtutilText } from './wevtutil';
import { fixtureNames, fixtureText, japaneseChatLogAsLines } from './test-support/fixtures';

const crlf = (text: string): string => text.replace(/\r?\n/g, '\r\n');

describe('netsh show rule, transformed real samples', () => {
  it('reads CRLF output (the real console line ending) like LF output', () => {
    const lf = fixtureText('netsh-showrule-en-1.txt');
    expect(parseNetshRules(crlf(lf))).toEqual(parseNetshRules(lf));
  });

  it('reads full-width colons and ideographic spaces', () => {
    const ja = japaneseChatLogAsLines(fixtureText('netsh-showrule-ja-1.txt'));
    const fullWidth = ja.replace(/:(\s+)/g, '：$1').replace(/： {2}/g, '：\u3000 ');
    const result = parseNetshRules(fullWidth);
    expect(result.rules[0]?.localPorts).toEqual(['2222']);
    expect(result.rules[0]?.action).toBe('allow');
    expect(result.rules[0]?.name).toBe('WSL SSH 2222');
  });

  it('takes the direction from the dir= of the query over the word', () => {
    const text = fixtureText('netsh-showrule-de-1.txt');
    expect(parseNetshRules(text, { direction: 'in' }).rules.map((rule) => rule.direction)).toEqual([
      'in',
      'in',
    ]);
  });

  it('keeps unknown words unknown instead of guessing', () => {
    // The German sample with its value words replaced by words the table does not know.
    const text = fixtureText('netsh-showrule-de-1.txt')
      .replace(/Ja$/gm, 'Si')
      .replace(/Aus$|Eingehend$/gm, 'Uscita')
      .replace(/Zulassen$/gm, 'Consenti');
    const [rule] = parseNetshRules(text).rules;
    expect(rule?.enabled).toBeNull();
    expect(rule?.direction).toBeNull();
    expect(rule?.action).toBeNull();
    expect(rule?.name).toBe('VagrantWinNFSd-1.4.0');
  });

  it('takes fields from value shapes when the labels are in an unknown language', () => {
    // The English web rule with every label replaced by a label the table does not know.
    const english = fixtureText('netsh-showrule-en-1.txt');
    const unknownLabels = english.replace(/^([A-Za-z ]+):/gm, (_, label: string) =>
      label === 'Rule Name' ? 'Nome regola:' : `X${label.replace(/ /g, '')}:`,
    );
    const result = parseNetshRules(unknownLabels);
    expect(result.unknownLabels.length).toBeGreaterThan(5);
    const web = result.rules[1];
    expect(web?.name).toBe('web');
    expect(web?.protocol).toBe('TCP');
    expect(web?.localPorts).toEqual(['80', '64831', '6666']);
    expect(web?.remotePorts).toEqual(['Any']);
    expect(web?.profiles).toEqual(['domain', 'private', 'public']);
    expect(web?.action).toBe('allow');
    expect(web?.enabled).toBeNull();
  });

  it('reads a rule whose block was cut anywhere, without throwing', () => {
    const text = fixtureText('netsh-showrule-verbose-en-3.txt');
    for (let cut = 0; cut <= text.length; cut += 7) {
      const result = parseNetshRules(text.slice(0, cut));
      expect(result.rules.length).toBeLessThanOrEqual(2);
    }
  });

  it('splits at 60+ dashes only, and a block needs its separator', () => {
    expect(splitSeparatedBlocks('Rule Name: x\n' + '-'.repeat(59) + '\nEnabled: Yes')).toEqual([]);
    expect(splitSeparatedBlocks('Rule Name: x\n' + '-'.repeat(70) + '\nEnabled: Yes')).toEqual([
      { title: 'Rule Name: x', lines: ['Enabled: Yes'] },
    ]);
  });
});

describe('other parsers on edge inputs', () => {
  it('splits netstat endpoints, IPv6 with zone included', () => {
    expect(splitEndpoint('[fe80::558f:66a5:96be:da00%9]:1900')).toEqual({
      address: 'fe80::558f:66a5:96be:da00%9',
      port: 1900,
    });
    expect(splitEndpoint('0.0.0.0:1755')).toEqual({ address: '0.0.0.0', port: 1755 });
    expect(splitEndpoint('*:*')).toEqual({ address: '*', port: 0 });
    expect(splitEndpoint('nonsense')).toBeNull();
  });

  it('reads CSV with quotes, commas and doubled quotes inside fields', () => {
    expect(parseCsv('"a, b","1","say ""hi"""\r\n"c","2"')).toEqual([
      { fields: ['a, b', '1', 'say "hi"'], complete: true },
      { fields: ['c', '2'], complete: true },
    ]);
    expect(parseTasklistCsv('"my, app.exe","42","Console","1","1.234 K"\r\n')[0]).toMatchObject({
      imageName: 'my, app.exe',
      pid: 42,
      memoryKb: 1234,
    });
  });

  it('reads dependency continuation lines of sc qc (layout of the real sc qc sample)', () => {
    // sc-qc-en-1 with its DEPENDENCIES line continued the way sc.exe prints a second dependency.
    const text = fixtureText('sc-qc-en-1.txt').replace(
      '        DEPENDENCIES       :',
      '        DEPENDENCIES       : RpcSs\n                           : HTTP',
    );
    expect(parseSc(text).services[0]?.dependencies).toEqual(['RpcSs', 'HTTP']);
  });

  it('reads DWORD data', () => {
    expect(dwordValue('0x1')).toBe(1);
    expect(dwordValue('0x10dd')).toBe(0x10dd);
    expect(dwordValue('yes')).toBeNull();
    expect(dwordValue(null)).toBeNull();
  });

  it('reads PowerShell JSON quirks: bare object, {value, Count}, strings for enums, garbage', () => {
    const single = JSON.stringify({
      Name: 'x',
      DisplayName: 'X',
      Enabled: 'True',
      Direction: 'Outbound',
      Action: 'Block',
      Profile: 'Domain, Private',
    });
    expect(parsePowerShellRules(single)[0]).toMatchObject({
      name: 'X',
      enabled: true,
      direction: 'out',
      action: 'block',
      profiles: ['domain', 'private'],
    });
    const wrapped = JSON.stringify({
      value: [{ Name: 'y', Enabled: 2, Direction: 1, Action: 4, Profile: 4 }],
      Count: 1,
    });
    expect(parsePowerShellRules(wrapped)[0]).toMatchObject({
      name: 'y',
      enabled: false,
      action: 'block',
      profiles: ['public'],
    });
    expect(parsePowerShellRules('not json')).toEqual([]);
    expect(parsePowerShellProfiles('{"broken":')).toEqual([]);
  });
});

// Words from every language in the reference, so random input mixes real labels, values and structure.
const WORDS = [
  'Rule Name:',
  'Regelname:',
  'Nom de la règle :',
  '規則名:',
  '规则名称：',
  'Имя правила:',
  'Enabled:',
  'Aktiviert:',
  'Activé :',
  'Direction:',
  'Richtung:',
  'Profiles:',
  'Protocol:',
  'LocalPort:',
  'Action:',
  'Aktion:',
  '操作:',
  'Yes',
  'Ja',
  'Oui',
  'はい',
  'In',
  'Aus',
  'Actif',
  'Domain,Private,Public',
  'Domäne,Privat,Öffentlich',
  'TCP',
  'ICMPv4',
  '1755',
  '80,554',
  'Any',
  'Beliebig',
  'Allow',
  'Block',
  'Ok.',
  '-'.repeat(70),
  '                                      Type    Code',
  'State                                 ON',
  'Firewall Policy                       BlockInbound,AllowOutbound',
  'SERVICE_NAME: WMServer',
  '        STATE              : 4  RUNNING',
  '[SC] OpenService FAILED 1060:',
  '  TCP    0.0.0.0:1755           0.0.0.0:0              LISTENING       1234',
  '  UDP    [::]:1755              *:*                                    99',
  '"wmserver.exe","1234","Services","0","1,024 K"',
  '    OEMCP    REG_SZ    850',
  'Event[0]:',
  '  Event ID: 1000',
  '  Description:',
  'HKEY_LOCAL_MACHINE\\SOFTWARE',
  '{"Name":"a","Enabled":1}',
  '[{"Direction":2}]',
  '"',
  ':',
  '：',
  '\u3000',
  '\t',
  '',
];

const mixedText = fc
  .array(fc.oneof(fc.constantFrom(...WORDS), fc.string(), fc.constantFrom('\n', '\r\n', '\r', ' ', '    ')), {
    maxLength: 80,
  })
  .map((parts) => parts.join(''));

const everyParser = (text: string): void => {
  parseNetshRules(text);
  parseNetshRules(text, { direction: 'out' });
  parseNetshProfiles(text);
  parseSc(text, 1060);
  parseNetstat(text);
  parseTasklistCsv(text);
  parseRegQuery(text);
  parsePowerShellRules(text);
  parsePowerShellProfiles(text);
  parseWevtutilText(text);
};

describe('property: no input makes a parser throw', () => {
  it('random mixed-language text', () => {
    fc.assert(
      fc.property(mixedText, (text) => {
        expect(() => everyParser(text)).not.toThrow();
      }),
      { numRuns: 400 },
    );
  });

  it('random bytes decoded through every code page we use', () => {
    fc.assert(
      fc.property(
        fc.uint8Array({ maxLength: 300 }),
        fc.constantFrom(437, 850, 866, 932, 936, null),
        (bytes, page) => {
          expect(() => everyParser(decodeOutput(bytes, page).text)).not.toThrow();
        },
      ),
      { numRuns: 200 },
    );
  });

  it('every real sample cut at a random point, or with a random slice removed', () => {
    const samples = fixtureNames().map(fixtureText);
    fc.assert(
      fc.property(fc.constantFrom(...samples), fc.nat(), fc.nat(), (text, a, b) => {
        const start = a % (text.length + 1);
        const end = start + (b % (text.length - start + 1));
        expect(() => everyParser(text.slice(0, start))).not.toThrow();
        expect(() => everyParser(text.slice(0, start) + text.slice(end))).not.toThrow();
      }),
      { numRuns: 300 },
    );
  });

  it('a rule count never exceeds the separators in the text', () => {
    fc.assert(
      fc.property(mixedText, (text) => {
        const separators = text.split(/\r\n|\r|\n/).filter((line) => /-{60,}\s*$/.test(line)).length;
        expect(parseNetshRules(text).rules.length).toBeLessThanOrEqual(separators);
      }),
      { numRuns: 300 },
    );
  });
});

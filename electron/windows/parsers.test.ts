// Parser behaviour beyond the samples: transformations of real samples (CRLF, full-width colons, prefixes,
// the dir= of the query, an unknown language) and property tests: random, truncated and mixed-language
// input never throws.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { parseNetshRules, RULE_LAYOUTS, splitSeparatedBlocks } from './netsh-rules';
import { parseNetshProfiles } from './netsh-profiles';
import { NETSH_LANGUAGES, normalizeWord, ruleFieldOfLabel } from './netsh-words';
import { evaluateTraffic } from './firewall-analysis';
import { firewallClientCheck, firewallServerCheck } from './checks';
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

  it('takes fields from position and value shapes when the labels are in an unknown language', () => {
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
    // The TCP line anchors the one layout of eleven lines: the first line is Enabled, the second Direction.
    expect(web?.enabled).toBe(true);
    expect(web?.direction).toBe('in');
    expect(result.rules[0]?.icmpTypes).toEqual([{ type: '8', code: 'Any' }]);
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

// Issue 9 item 5: unknown labels fall back on netsh's fixed field order, unknown words stay unknown and are
// reported, and nothing unknown becomes a wrong value.
describe('netsh words the table does not know', () => {
  const webRule = (text: string) => parseNetshRules(text).rules.find((rule) => rule.name === 'web');

  it('reads the Spanish outbound word "Fuera"', () => {
    const [outbound] = parseNetshRules(fixtureText('netsh-showrule-es-1.txt')).rules;
    expect(outbound?.direction).toBe('out');
  });

  it('reports the value words it does not know', () => {
    // The German sample with its value words replaced by words the table does not know.
    const text = fixtureText('netsh-showrule-de-1.txt')
      .replace(/Ja$/gm, 'Si')
      .replace(/Aus$|Eingehend$/gm, 'Uscita')
      .replace(/Zulassen$/gm, 'Consenti');
    const result = parseNetshRules(text);
    expect(result.unknownWords).toEqual(['Si', 'Uscita', 'Consenti']);
    expect(result.unknownLabels).toEqual([]);
  });

  it('knows the field order and every word of every real rule block', () => {
    const samples = fixtureNames().filter((name) => /^netsh-(showrule|transcript)-/.test(name));
    let blocks = 0;
    for (const name of samples) {
      const text = fixtureText(name);
      const lines = name.includes('-ja-') ? japaneseChatLogAsLines(text) : text;
      const result = parseNetshRules(lines);
      // Every word of every real sample is in the table: nothing is reported unknown.
      expect([...result.unknownLabels, ...result.unknownWords], name).toEqual([]);
      for (const rule of result.rules) {
        const order = rule.fields.slice(1).map((field) => ruleFieldOfLabel(field.label));
        const layout = RULE_LAYOUTS.find((candidate) => candidate.join() === order.join());
        expect(layout, `${name}: ${rule.name}: ${order.join(',')}`).toBeDefined();
        blocks++;
      }
    }
    expect(blocks).toBeGreaterThan(25);
  });

  it('maps one unknown label by its position in the layout', () => {
    // The English web rule with its "Enabled" label replaced by one the table does not know.
    const text = fixtureText('netsh-showrule-en-1.txt').replace(/^Enabled:/gm, 'Zzz:');
    const result = parseNetshRules(text);
    expect(result.unknownLabels).toEqual(['Zzz']);
    expect(webRule(text)?.enabled).toBe(true);
    expect(result.rules.map((rule) => rule.enabled)).toEqual([true, true]);
  });

  it('leaves a field unknown when two layouts put different fields at its position', () => {
    // The German verbose rule without its Programm line (it has no program) and with "Dienst" unknown:
    // between Edgeausnahme and Schnittstellentypen a single line may be Program or Service.
    const text = fixtureText('netsh-showrule-verbose-de-1.txt')
      .replace(/^Programm:.*\r?\n/m, '')
      .replace(/^Dienst:/m, 'Zzz:');
    const [rule] = parseNetshRules(text).rules;
    expect(rule?.service).toBeNull();
    expect(rule?.program).toBeNull();
    expect(rule?.action).toBe('allow');
    // The same line with "Programm" present: only Service fits after it.
    const withProgram = fixtureText('netsh-showrule-verbose-de-1.txt').replace(/^Dienst:/m, 'Zzz:');
    expect(parseNetshRules(withProgram).rules[0]?.service).toBe('CUT');
  });

  const profiles = () => parseNetshProfiles(fixtureText('netsh-showprofile-all-en-chaps-win10-cmd.txt'));
  const in80 = { protocol: 'TCP', port: 80, direction: 'in', program: null } as const;

  it('never turns an unknown word into a value', () => {
    // The English web rule with its Enabled, Direction, Protocol and Action values replaced by words the
    // table does not know.
    const text = fixtureText('netsh-showrule-en-1.txt')
      .replace(/^(Enabled: +)Yes$/gm, '$1Zzz1')
      .replace(/^(Direction: +)In$/gm, '$1Zzz2')
      .replace(/^(Protocol: +)TCP$/gm, '$1Zzz3')
      .replace(/^(Action: +)Allow$/gm, '$1Zzz4');
    const result = parseNetshRules(text);
    expect(webRule(text)).toMatchObject({ enabled: null, direction: null, protocol: null, action: null });
    expect(result.unknownWords).toEqual(expect.arrayContaining(['Zzz1', 'Zzz2', 'Zzz3', 'Zzz4']));
  });

  it('keeps a rule whose protocol word is unknown as one that may apply', () => {
    const text = fixtureText('netsh-showrule-en-1.txt').replace(/^(Protocol: +)TCP$/gm, '$1Zzz3');
    const web = webRule(text);
    const [domain] = evaluateTraffic(web ? [web] : [], in80, profiles());
    expect(domain?.outcome).toBe('maybe-allowed');
    expect(domain?.allowing[0]?.doubts).toContain('its protocol is not known');
  });

  it('counts a rule whose action word is unknown as one that may block, not as no rule', () => {
    const text = fixtureText('netsh-showrule-en-1.txt').replace(/^(Action: +)Allow$/gm, '$1Zzz4');
    const web = webRule(text);
    const [domain] = evaluateTraffic(web ? [web] : [], in80, profiles());
    expect(domain?.outcome).toBe('maybe-blocked');
    expect(domain?.blocking[0]?.doubts).toContain('its action word is not known');
  });

  it('reports unknown profile, port and address words and keeps the profile list incomplete', () => {
    const text = fixtureText('netsh-showrule-en-1.txt')
      .replace(/^(Profiles: +)Domain,Private,Public$/gm, '$1Zzz5,Private')
      .replace(/^(RemotePort: +)Any$/gm, '$1Zzz6')
      .replace(/^(RemoteIP: +)Any$/gm, '$1Zzz7');
    const result = parseNetshRules(text);
    expect(webRule(text)).toMatchObject({ profiles: ['private'], profilesComplete: false });
    expect(result.unknownWords).toEqual(expect.arrayContaining(['Zzz5', 'Zzz6', 'Zzz7']));
  });
});

describe('firewall sentences from rules with unknown words', () => {
  const profiles = parseNetshProfiles(fixtureText('netsh-showprofile-all-en-chaps-win10-cmd.txt'));
  const ok = <T>(value: T) => ({ command: 'test', value, error: null });

  it('does not name a rule after "no rule, default policy"', () => {
    // The English web rule (inbound allow, remote port Any) with its direction word replaced by one the table
    // does not know: it may apply to outbound TCP 80, but the default policy is what allows it.
    const text = fixtureText('netsh-showrule-en-1.txt').replace(/^(Direction: +)In$/gm, '$1Zzz2');
    const check = firewallClientCheck({ rules: ok(parseNetshRules(text).rules), profiles: ok(profiles) });
    expect(check.summary).toContain('TCP 80 out: allowed (no rule, default policy) in Domain/Private/Public');
    expect(check.summary).not.toMatch(/default policy\) by/);
  });

  it('says "allowed by" once', () => {
    const check = firewallServerCheck({
      rules: ok(parseNetshRules(fixtureText('netsh-showrule-en-1.txt')).rules),
      profiles: ok(profiles),
    });
    expect(check.summary).toContain('TCP 80 in: possibly allowed by "web" in Domain/Private/Public');
    expect(check.summary).not.toMatch(/by a rule by/);
  });

  it('reads the Spanish outbound block rule as blocking TCP 80 out', () => {
    const check = firewallClientCheck({
      rules: ok(parseNetshRules(fixtureText('netsh-showrule-es-1.txt')).rules),
      profiles: ok(profiles),
    });
    // Non-verbose output does not show a program condition, hence "possibly".
    expect(check.summary).toContain('TCP 80 out: possibly blocked by "Bloquear HTTP de entrada"');
    expect(check.evidence).toContain('"Bloquear HTTP de entrada" out block enabled');
  });
});

describe('netsh show currentprofile', () => {
  it('reads the profile when the dashed separator line is missing', () => {
    // Derived mechanically from the real sample: its 70-dash separator line removed, nothing else changed.
    const real = fixtureText('netsh-showprofile-current-en-1.txt');
    const withoutSeparator = real.replace(/^-{70}\r?\n/m, '');
    expect(withoutSeparator).not.toMatch(/-{60}/);
    expect(parseNetshProfiles(withoutSeparator)).toEqual(parseNetshProfiles(real));
    expect(parseNetshProfiles(withoutSeparator)[0]).toMatchObject({
      profile: 'public',
      state: 'on',
      defaultInbound: 'block',
      defaultOutbound: 'block',
    });
  });

  it('keeps the three State-only profiles of a filtered allprofiles output apart without separators', () => {
    // Derived mechanically from the real filtered sample: its separator lines removed.
    const real = fixtureText('netsh-showprofile-all-en-chaps-win7-psv2-filtered.txt');
    const withoutSeparators = real.replace(/^.*-{70}\r?\n/gm, '');
    expect(withoutSeparators).not.toMatch(/-{60}/);
    expect(parseNetshProfiles(withoutSeparators).map((p) => [p.profile, p.state])).toEqual([
      ['domain', 'on'],
      ['private', 'on'],
      ['public', 'on'],
    ]);
  });

  it('reads the state from a known State key when it is not the first setting', () => {
    // Derived mechanically from the real sample: its State and Firewall Policy lines swapped.
    const real = fixtureText('netsh-showprofile-current-en-1.txt');
    const swapped = real.replace(/^(State .*)\r?\n(Firewall Policy .*)$/m, '$2\n$1');
    expect(swapped).not.toEqual(real);
    expect(parseNetshProfiles(swapped)[0]?.state).toBe('on');
  });

  it('reads every profile of show allprofiles without separators', () => {
    const real = fixtureText('netsh-showprofile-all-en-chaps-win10-cmd.txt');
    const withoutSeparators = real.replace(/^-{70}\r?\n/gm, '');
    expect(parseNetshProfiles(withoutSeparators)).toEqual(parseNetshProfiles(real));
  });
});

describe('the word table', () => {
  const fixtureWords = (language: (typeof NETSH_LANGUAGES)[number]): string[] => [
    ...Object.keys(language.labels),
    ...Object.keys(language.yesNo),
    ...Object.keys(language.direction),
    ...language.any,
    ...Object.keys(language.profiles),
    ...Object.keys(language.actions),
    ...Object.keys(language.states),
    ...Object.keys(language.profileKeys),
  ];

  it('has no word that is not in a real sample of its language', () => {
    for (const language of NETSH_LANGUAGES) {
      const texts = language.fixtures.map(fixtureText).join('\n');
      for (const word of fixtureWords(language)) {
        if (language.unproven?.[word] !== undefined) continue;
        expect(texts, `${language.lang}: ${word}`).toContain(word);
      }
    }
    const unproven = NETSH_LANGUAGES.flatMap((language) => Object.keys(language.unproven ?? {}));
    expect(unproven).toEqual(['OFF']);
  });

  it('gives no word two meanings across languages', () => {
    const kinds = ['labels', 'yesNo', 'direction', 'profiles', 'actions', 'states', 'profileKeys'] as const;
    for (const kind of kinds) {
      const meaning = new Map<string, string>();
      for (const language of NETSH_LANGUAGES) {
        for (const [word, value] of Object.entries(language[kind])) {
          const key = normalizeWord(word);
          expect(meaning.get(key) ?? value, `${kind}: ${word}`).toBe(value);
          meaning.set(key, value);
        }
      }
    }
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

// Checks of the localized netsh samples that prove the word table (netsh-words.ts): each real output parsed,
// with the values it shows written out by reading it. samples.test.ts runs them with the other samples.
import { expect } from 'vitest';
import { parseNetshProfiles } from '../netsh-profiles';
import { parseNetshRules } from '../netsh-rules';
import { profileKeyOf, ruleFieldOfLabel } from '../netsh-words';
import { fixtureText } from './fixtures';

const all = ['domain', 'private', 'public'];

export const LANGUAGE_SAMPLE_CHECKS: Record<string, () => void> = {
  'netsh-showrule-es-1.txt': () => {
    const result = parseNetshRules(fixtureText('netsh-showrule-es-1.txt'));
    expect(result.unknownLabels).toEqual([]);
    expect(result.unknownWords).toEqual([]);
    const brief = result.rules.map((rule) => [
      rule.name,
      rule.enabled,
      rule.direction,
      rule.profiles,
      rule.protocol,
      rule.localPorts,
      rule.remotePorts,
      rule.action,
    ]);
    expect(brief).toEqual([
      ['Bloquear HTTP de entrada', true, 'out', all, 'TCP', ['Any'], ['80'], 'block'],
      ['Bloquear HTTP de entrada', true, 'in', all, 'TCP', ['Any'], ['80'], 'block'],
      ['Bloquear HTTP de entrada', true, 'in', all, 'TCP', ['80'], ['Any'], 'block'],
    ]);
    // "Cruce seguro del perímetro:" has one blank less than the other labels: split at the colon, not a column.
    expect(result.rules[0]?.edgeTraversal).toBe('No');
  },
  'netsh-showrule-verbose-pt-BR-1.txt': () => {
    const result = parseNetshRules(fixtureText('netsh-showrule-verbose-pt-BR-1.txt'));
    expect(result.unknownLabels).toEqual([]);
    expect(result.unknownWords).toEqual([]);
    const [rule, ...rest] = result.rules;
    expect(rest).toEqual([]);
    expect(rule).toMatchObject({
      name: 'Axon (captura)',
      enabled: true,
      direction: 'in',
      profiles: all,
      protocol: 'Any',
      localAddresses: ['Any'],
      program: 'C:\\Users\\Ronaldo Bueno\\aion2-dps-meter\\target\\teste-031\\release\\Axon.exe',
      action: 'allow',
      edgeTraversal: 'Não',
      detailed: true,
    });
    expect(rule?.fields.at(-2)).toEqual({ label: 'Origem da Regra', value: 'Configuração Local' });
  },
  'netsh-showrule-zh-CN-1.txt': () => {
    // The chat logger collapsed the column padding to one blank; the colon split does not need it.
    const result = parseNetshRules(fixtureText('netsh-showrule-zh-CN-1.txt'));
    expect(result.unknownLabels).toEqual([]);
    expect(result.unknownWords).toEqual([]);
    expect(result.rules).toHaveLength(1);
    expect(result.rules[0]).toMatchObject({
      name: 'Chrome CDP 9222',
      enabled: true,
      direction: 'in',
      profiles: all,
      protocol: 'TCP',
      localPorts: ['9222'],
      remotePorts: ['Any'],
      remoteAddresses: ['Any'],
      action: 'allow',
      edgeTraversal: '否',
    });
  },
  'netsh-showrule-findstr-zh-TW-1.txt': () => {
    // `findstr` kept single lines: no separator, so no rule block, but every label is one the table knows.
    const text = fixtureText('netsh-showrule-findstr-zh-TW-1.txt');
    expect(parseNetshRules(text).rules).toEqual([]);
    const labels = text
      .split(/\r?\n/)
      .map((line) => /^([^:]+):\s{2,}/.exec(line)?.[1])
      .filter((label): label is string => label !== undefined);
    expect(new Set(labels)).toEqual(
      new Set(['規則名稱', '本機連接埠', '群組', '遠端連接埠', 'LocalIP', 'RemoteIP']),
    );
    expect(labels.map(ruleFieldOfLabel)).not.toContain(null);
    expect(ruleFieldOfLabel('本機連接埠')).toBe('localPort');
    expect(ruleFieldOfLabel('遠端連接埠')).toBe('remotePort');
  },
  'netsh-showprofile-all-zh-CN-1.txt': () => {
    const profiles = parseNetshProfiles(fixtureText('netsh-showprofile-all-zh-CN-1.txt'));
    expect(profiles.map((p) => [p.profile, p.header, p.state, p.defaultInbound, p.defaultOutbound])).toEqual([
      ['domain', '域配置文件 设置', 'on', 'block', 'allow'],
      ['private', '专用配置文件 设置', 'on', 'block', 'allow'],
      ['public', '公用配置文件 设置', 'on', 'block', 'allow'],
    ]);
    expect(profiles[0]?.settings).toContainEqual({ key: 'LocalFirewallRules', value: 'N/A (仅 GPO 存储)' });
    expect(profiles[0]?.settings.slice(0, 2).map((setting) => profileKeyOf(setting.key))).toEqual([
      'state',
      'policy',
    ]);
  },
  'netsh-showprofile-current-zh-CN-1.txt': () => {
    const profiles = parseNetshProfiles(fixtureText('netsh-showprofile-current-zh-CN-1.txt'));
    expect(profiles).toHaveLength(1);
    expect(profiles[0]).toMatchObject({
      profile: 'public',
      header: '公用配置文件 设置',
      state: 'on',
      defaultInbound: 'block',
      defaultOutbound: 'allow',
    });
  },
};

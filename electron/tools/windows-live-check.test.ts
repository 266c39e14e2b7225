// The live check's judgement, on real recorded outputs (electron/windows/fixtures/, each with its source line):
// complete English outputs pass; an output the parsers understand only in part is named.
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { withoutSourceLine } from '../windows/replay-runner';
import { liveCheckProblems, type LiveOutputs } from './windows-live-check';

const fixture = (name: string): string =>
  withoutSourceLine(readFileSync(path.resolve(__dirname, '..', 'windows', 'fixtures', name))).toString(
    'utf8',
  );

// The first part of this real `sc queryex` answer is one running service; the part after </pre> is a real 1060.
const [scOneService, sc1060] = fixture('sc-queryex-and-1060-en-1.txt').split('</pre>');

function completeOutputs(): LiveOutputs {
  return {
    productName: { exitCode: 0, text: fixture('reg-query-productname-en-win10.txt') },
    rulesIn: { exitCode: 0, text: fixture('netsh-showrule-verbose-en-1.txt') },
    rulesOut: { exitCode: 0, text: fixture('netsh-showrule-verbose-en-3.txt') },
    allProfiles: { exitCode: 0, text: fixture('netsh-showprofile-all-en-chaps-win10-cmd.txt') },
    currentProfile: { exitCode: 0, text: fixture('netsh-showprofile-current-en-1.txt') },
    firewallService: { exitCode: 0, text: scOneService ?? '' },
    wmserver: { exitCode: 1060, text: sc1060 ?? '' },
    netstat: { exitCode: 0, text: fixture('netstat-ano-en-chaps-win10-cmd.txt') },
  };
}

describe('the Windows live check', () => {
  it('passes complete real outputs', () => {
    expect(liveCheckProblems(completeOutputs())).toEqual([]);
  });

  it('names a rule listing in a language the word table does not know', () => {
    const outputs = completeOutputs();
    // A real listing whose labels are renamed: what an unknown language looks like to the parser.
    outputs.rulesIn.text = outputs.rulesIn.text
      .replace(/^(\s*)Enabled:/gm, '$1Aktiviert:')
      .replace(/^(\s*)Action:/gm, '$1Aktionx:');
    const problems = liveCheckProblems(outputs);
    expect(problems.some((problem) => problem.startsWith('rulesIn:'))).toBe(true);
  });

  it('names a value word the table does not know', () => {
    const outputs = completeOutputs();
    outputs.rulesOut.text = outputs.rulesOut.text.replace(/^(\s*Direction:\s+)\S+/m, '$1Sideways');
    expect(liveCheckProblems(outputs).join(' ')).toMatch(/rulesOut: unknown words .*Sideways/);
  });

  it('names every empty or failed output', () => {
    const outputs = completeOutputs();
    for (const key of Object.keys(outputs) as (keyof LiveOutputs)[]) outputs[key] = { exitCode: 1, text: '' };
    const problems = liveCheckProblems(outputs);
    expect(problems.join(' ')).toMatch(/ProductName/);
    expect(problems.join(' ')).toMatch(/rulesIn: no firewall rule/);
    expect(problems.join(' ')).toMatch(/rulesOut: no firewall rule/);
    expect(problems.join(' ')).toMatch(/0 profiles read/);
    expect(problems.join(' ')).toMatch(/currentprofile/);
    expect(problems.join(' ')).toMatch(/MpsSvc/);
    expect(problems.join(' ')).toMatch(/WMServer/);
    expect(problems.join(' ')).toMatch(/netstat/);
  });
});

// A Windows 10 client as the replaying runner serves it, assembled from real recorded outputs in
// electron/windows/fixtures/ (each file's first line names its source). Its outbound firewall holds the
// real "Disable Edge Updates" block rule; after the fix, the outbound query answers with a real listing
// that has no block rule (the WeChat transcript), and after Undo with the first listing again. The one
// output no one ever captured — that rule switched off, which the fix's verification reads — is DERIVED
// from the real listing by changing only what the fix changes (Enabled: Yes → No). Commands with
// no real sample of their own (OEMCP, InstallationType, currentprofile, WMP's version key) have no recording:
// the runner answers those as failed, and the checks say they could not be read.
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { READ_ONLY_COMMANDS } from '../../windows/local';
import { withoutSourceLine, type Recording } from '../../windows/replay-runner';
import type { CommandSpec } from '../../windows/runner';

const FIXTURES = path.resolve(__dirname, '..', '..', 'windows', 'fixtures');

export function fixtureOutput(name: string): Buffer {
  return withoutSourceLine(readFileSync(path.join(FIXTURES, name)));
}

/** Only the lines of a real transcript that the program printed (prompts and other commands left out). */
function linesOf(name: string, keep: RegExp): string {
  const lines = fixtureOutput(name)
    .toString('utf8')
    .split(/\r?\n/)
    .filter((line) => keep.test(line.trim()));
  return `\r\n${lines.map((line) => line.trim()).join('\r\n')}\r\n`;
}

const record = (spec: CommandSpec, exitCode: number, stdout: Buffer | string, source: string): Recording => ({
  file: spec.file,
  args: spec.args,
  exitCode,
  stdout,
  source,
});

export const BLOCKING_RULE_NAME = 'Disable Edge Updates';

export function setRuleSpec(enable: boolean): CommandSpec {
  return {
    file: 'netsh',
    args: [
      'advfirewall',
      'firewall',
      'set',
      'rule',
      `name=${BLOCKING_RULE_NAME}`,
      'dir=out',
      'new',
      `enable=${enable ? 'yes' : 'no'}`,
    ],
  };
}

/** What the fix's verification runs: that rule, by name and direction, verbose (fixes/apply.ts). */
export function showRuleSpec(): CommandSpec {
  return {
    file: 'netsh',
    args: ['advfirewall', 'firewall', 'show', 'rule', `name=${BLOCKING_RULE_NAME}`, 'dir=out', 'verbose'],
  };
}

export function windowsClientRecordings(): Recording[] {
  const c = READ_ONLY_COMMANDS;
  const notFound = fixtureOutput('reg-query-notfound-en-srv2012r2.txt');
  // sc prints the 1060 error after the doc's first example; that second part is the real 1060 answer.
  const sc1060 = fixtureOutput('sc-queryex-and-1060-en-1.txt').toString('utf8').split('</pre>')[1] ?? '';
  const updated = linesOf('netsh-msg-updated-en-1.txt', /^(Updated \d+ rule\(s\)\.|Ok\.)$/);
  const withBlockRule = fixtureOutput('netsh-transcript-show-set-en-2.txt');
  const withoutBlockRule = fixtureOutput('netsh-transcript-set-show-en-1.txt');
  const switchedOff = Buffer.from(
    withBlockRule.toString('utf8').replace(/^(\s*Enabled:\s+)Yes(\s*)$/gm, '$1No$2'),
    'utf8',
  );
  return [
    record(
      c.productName,
      0,
      fixtureOutput('reg-query-productname-en-win10.txt'),
      'reg-query-productname-en-win10.txt',
    ),
    record(
      c.buildNumber,
      0,
      fixtureOutput('reg-query-buildnumber-en-win10.txt'),
      'reg-query-buildnumber-en-win10.txt',
    ),
    record(
      c.rulesIn,
      0,
      fixtureOutput('netsh-showrule-en-chaps-win10-cmd.txt'),
      'netsh-showrule-en-chaps-win10-cmd.txt',
    ),
    // Served in order: the run's inspection, the re-check after Apply, the re-check after Undo.
    record(c.rulesOut, 0, withBlockRule, 'netsh-transcript-show-set-en-2.txt'),
    record(c.rulesOut, 0, withoutBlockRule, 'netsh-transcript-set-show-en-1.txt'),
    record(c.rulesOut, 0, withBlockRule, 'netsh-transcript-show-set-en-2.txt'),
    record(
      c.allProfiles,
      0,
      fixtureOutput('netsh-showprofile-all-en-chaps-win10-cmd.txt'),
      'netsh-showprofile-all-en-chaps-win10-cmd.txt',
    ),
    record(c.wmserverQuery, 1060, sc1060, 'sc-queryex-and-1060-en-1.txt'),
    record(
      c.netstat,
      0,
      fixtureOutput('netstat-ano-en-chaps-win10-cmd.txt'),
      'netstat-ano-en-chaps-win10-cmd.txt',
    ),
    record(c.tasklist, 0, fixtureOutput('tasklist-csv-en-1.txt'), 'tasklist-csv-en-1.txt'),
    record(c.policyMachine, 1, notFound, 'reg-query-notfound-en-srv2012r2.txt'),
    record(c.policyUser, 1, notFound, 'reg-query-notfound-en-srv2012r2.txt'),
    record(setRuleSpec(false), 0, updated, 'netsh-msg-updated-en-1.txt'),
    record(setRuleSpec(true), 0, updated, 'netsh-msg-updated-en-1.txt'),
    // The verification after Apply, then after Undo.
    record(showRuleSpec(), 0, switchedOff, 'derived from netsh-transcript-show-set-en-2.txt (Enabled: No)'),
    record(showRuleSpec(), 0, withBlockRule, 'netsh-transcript-show-set-en-2.txt'),
  ];
}

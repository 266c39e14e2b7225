// Run by the Windows workflow on a live runner: the read-only commands the app runs, on a real Windows, must
// parse completely — every rule label known, every rule's enabled/direction/action read, three profiles with
// their state and policies, the firewall service found, sockets and the OS name read. Anything less means the
// parsers met an output they only half understand, which is what a remote user's machine would show too.
//
//   npx tsx electron/tools/windows-live-check.ts        (exit 0: complete, 1: problems listed, 2: not Windows)
import { checkServiceName } from '../windows/arguments';
import { decodeOutput, parseCodePage } from '../windows/decode';
import { READ_ONLY_COMMANDS } from '../windows/local';
import { parseNetshProfiles } from '../windows/netsh-profiles';
import { parseNetshRules } from '../windows/netsh-rules';
import { parseNetstat } from '../windows/netstat';
import { parseRegQuery } from '../windows/reg-query';
import { createProcessRunner, type CommandSpec } from '../windows/runner';
import { parseSc } from '../windows/sc';

/** The firewall service exists on every Windows edition, so `sc query` of it must find one service. */
export const FIREWALL_SERVICE_QUERY: CommandSpec = {
  file: 'sc',
  args: ['query', checkServiceName('MpsSvc')],
};

export const LIVE_COMMANDS = {
  productName: READ_ONLY_COMMANDS.productName,
  rulesIn: READ_ONLY_COMMANDS.rulesIn,
  rulesOut: READ_ONLY_COMMANDS.rulesOut,
  allProfiles: READ_ONLY_COMMANDS.allProfiles,
  currentProfile: READ_ONLY_COMMANDS.currentProfile,
  firewallService: FIREWALL_SERVICE_QUERY,
  wmserver: READ_ONLY_COMMANDS.wmserverQuery,
  netstat: READ_ONLY_COMMANDS.netstat,
} as const satisfies Record<string, CommandSpec>;

export type LiveOutputs = Record<keyof typeof LIVE_COMMANDS, { exitCode: number | null; text: string }>;

/** What did not parse completely, one sentence each; empty when everything did. Pure. */
export function liveCheckProblems(outputs: LiveOutputs): string[] {
  const problems: string[] = [];
  const name = parseRegQuery(outputs.productName.text).find((value) => value.name === 'ProductName');
  if (!name?.data) problems.push('reg query gave no ProductName.');

  for (const key of ['rulesIn', 'rulesOut'] as const) {
    const { rules, unknownLabels, unknownWords } = parseNetshRules(outputs[key].text, {
      direction: key === 'rulesIn' ? 'in' : 'out',
    });
    if (rules.length === 0) problems.push(`${key}: no firewall rule was read.`);
    if (unknownLabels.length > 0) problems.push(`${key}: unknown labels ${unknownLabels.join(', ')}.`);
    if (unknownWords.length > 0) problems.push(`${key}: unknown words ${unknownWords.join(', ')}.`);
    const partial = rules.filter(
      (rule) =>
        rule.enabled === null || rule.direction === null || rule.action === null || !rule.profilesComplete,
    );
    if (partial.length > 0) {
      problems.push(
        `${key}: ${partial.length} rules read only in part (first: ${partial
          .slice(0, 3)
          .map((rule) => JSON.stringify(rule.name))
          .join(', ')}).`,
      );
    }
  }

  const profiles = parseNetshProfiles(outputs.allProfiles.text);
  if (profiles.length !== 3) problems.push(`allprofiles: ${profiles.length} profiles read, 3 expected.`);
  for (const profile of profiles) {
    if (profile.profile === null || profile.state === null || profile.defaultInbound === null) {
      problems.push(
        `allprofiles: the profile headed ${JSON.stringify(profile.header)} was read only in part.`,
      );
    }
  }
  const current = parseNetshProfiles(outputs.currentProfile.text).filter(
    (profile) => profile.profile !== null,
  );
  if (current.length === 0) problems.push('currentprofile: no active profile was read.');

  const firewall = parseSc(outputs.firewallService.text, outputs.firewallService.exitCode);
  if (firewall.services.length !== 1 || firewall.services[0]?.state === null) {
    problems.push('sc query MpsSvc: the firewall service and its state were not read.');
  }
  const wmserver = parseSc(outputs.wmserver.text, outputs.wmserver.exitCode);
  if (!wmserver.notInstalled && wmserver.services.length !== 1) {
    problems.push('sc query WMServer: neither "not installed" nor the service was read.');
  }
  if (parseNetstat(outputs.netstat.text).length === 0) problems.push('netstat -ano: no socket was read.');
  return problems;
}

async function main(): Promise<number> {
  if (process.platform !== 'win32') {
    console.error('This check reads the live Windows state; run it on Windows (the Windows workflow does).');
    return 2;
  }
  const runner = createProcessRunner();
  const codePage = await runner.run(READ_ONLY_COMMANDS.oemCodePage);
  const oem = codePage.exitCode === 0 ? parseCodePage(codePage.stdout.toString('latin1')) : null;
  const entries = await Promise.all(
    Object.entries(LIVE_COMMANDS).map(async ([key, spec]) => {
      const result = await runner.run(spec);
      const bytes = result.stdout.length > 0 ? result.stdout : result.stderr;
      return [key, { exitCode: result.exitCode, text: decodeOutput(bytes, oem).text }] as const;
    }),
  );
  const problems = liveCheckProblems(Object.fromEntries(entries) as LiveOutputs);
  console.log(`OEM code page: ${oem ?? 'unknown'}`);
  for (const problem of problems) console.log(`FAIL ${problem}`);
  console.log(
    problems.length === 0 ? 'Every read-only command parsed completely.' : `${problems.length} problems.`,
  );
  return problems.length === 0 ? 0 : 1;
}

// Run only as a script, never when a test imports the pure part.
if (process.argv[1] && /windows-live-check\.[cm]?[jt]s$/.test(process.argv[1])) {
  void main().then((code) => process.exit(code));
}

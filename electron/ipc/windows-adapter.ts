// The handler table's WindowsPort on top of the Windows layer (electron/windows): its read-only local checks
// (collectSnapshot + analyseWindows) and a fix for each enabled outbound block rule that stops Windows Media
// Player reaching the stream's ports. Outside Windows every check reports "not available on this system".
import type { Check } from '../diagnosis/types';
import type { CheckHeading } from '../engine/events';
import type { StreamTarget } from '../input/types';
import { isSafeRuleName } from '../windows/arguments';
import { analyseWindows, unavailableChecks, WINDOWS_CHECKS, type AnalysisContext } from '../windows/checks';
import { decodeOutput } from '../windows/decode';
import { ruleApplies, type Traffic } from '../windows/firewall-analysis';
import { collectSnapshot, displayCommand } from '../windows/local';
import type { FirewallRule } from '../windows/netsh-rules';
import type { ProfileWord } from '../windows/netsh-words';
import { createProcessRunner, type CommandRunner, type CommandSpec } from '../windows/runner';
import type { FixActionResult, LocalFix, WindowsPort } from './windows-port';

/** Runs a fix's commands in order, stopping at the first failure (elevating where the platform needs it). */
export type FixExecutor = (commands: readonly CommandSpec[]) => Promise<FixActionResult>;

export interface WindowsPortOptions {
  runner?: CommandRunner;
  platform?: NodeJS.Platform;
  /** Default: each command through `runner`, unelevated (netsh then says plainly that it needs elevation). */
  execute?: FixExecutor;
}

const STREAM_PORTS = [1755, 554, 80];
const PROFILES: readonly ProfileWord[] = ['domain', 'private', 'public'];

interface FixCommands {
  apply: CommandSpec[];
  undo: CommandSpec[];
}

export function createWindowsPort(options: WindowsPortOptions = {}): WindowsPort {
  const runner = options.runner ?? createProcessRunner();
  const platform = options.platform ?? process.platform;
  const execute = options.execute ?? ((commands) => runInOrder(runner, commands));
  // The argument arrays behind each fix shown to the renderer, which only ever sees display strings.
  const commandsOf = new Map<string, FixCommands>();

  return {
    plan(): CheckHeading[] {
      return Object.values(WINDOWS_CHECKS).map(({ id, tier, title }) => ({ id, tier, title }));
    },
    async inspect(target, signal) {
      if (platform !== 'win32') return { checks: unavailableChecks(), fixes: [] };
      // Cancelling the run stops the commands too.
      const bounded: CommandRunner = {
        run: (spec, runOptions) => runner.run(spec, { ...runOptions, signal }),
      };
      const snapshot = await collectSnapshot(bounded);
      const context = analysisContext(target);
      const checks: Check[] = analyseWindows(snapshot, context);
      const fixes: LocalFix[] = [];
      for (const found of blockingRuleFixes(snapshot.rules?.value ?? [], context)) {
        commandsOf.set(found.fix.id, found.commands);
        fixes.push(found.fix);
      }
      return { checks, fixes };
    },
    async apply(fix) {
      const commands = commandsOf.get(fix.id);
      return commands
        ? execute(commands.apply)
        : { ok: false, message: 'This fix is no longer available; run the diagnosis again.' };
    },
    async undo(fix) {
      const commands = commandsOf.get(fix.id);
      return commands
        ? execute(commands.undo)
        : { ok: false, message: 'This fix is no longer available; run the diagnosis again.' };
    },
  };
}

export function analysisContext(target: StreamTarget): AnalysisContext {
  return { streamPort: target.port, serverAddress: target.hostKind === 'ipv4' ? target.host : null };
}

/**
 * One fix per enabled outbound block rule that applies (or may apply) to Windows Media Player connecting to
 * the stream's ports in some profile. Disabling keeps the rule, so Undo switches it back on exactly.
 */
export function blockingRuleFixes(
  rules: readonly FirewallRule[],
  context: AnalysisContext,
): Array<{ fix: LocalFix; commands: FixCommands }> {
  const ports = [...new Set([...STREAM_PORTS, ...(context.streamPort ? [context.streamPort] : [])])];
  const traffic: Traffic[] = ports.map((port) => ({
    protocol: 'TCP',
    port,
    direction: 'out',
    program: 'wmplayer.exe',
    remoteAddress: context.serverAddress ?? null,
  }));
  const found = new Map<string, { fix: LocalFix; commands: FixCommands }>();
  for (const rule of rules) {
    if (rule.enabled !== true || rule.action !== 'block' || rule.direction !== 'out') continue;
    if (!isSafeRuleName(rule.name) || found.has(rule.name.toLowerCase())) continue;
    const matches = traffic.flatMap((t) =>
      PROFILES.map((profile) => ({ traffic: t, match: ruleApplies(rule, t, profile) })),
    );
    const blocked = traffic.filter((t) => matches.some((m) => m.traffic === t && m.match !== null));
    if (blocked.length === 0) continue;
    // Say plainly when the rule only may apply (its program or addresses are not known for sure).
    const doubts = [...new Set(matches.flatMap((m) => m.match?.doubts ?? []))];
    const sure = matches.some((m) => m.match?.applicability === 'applies');
    // netsh changes every rule of that name and direction at once: only safe when they all are enabled.
    const sameName = rules.filter(
      (r) => r.name.toLowerCase() === rule.name.toLowerCase() && r.direction === 'out',
    );
    if (sameName.some((r) => r.enabled !== true)) continue;
    const set = (enable: boolean): CommandSpec => ({
      file: 'netsh',
      args: [
        'advfirewall',
        'firewall',
        'set',
        'rule',
        `name=${rule.name}`,
        'dir=out',
        'new',
        `enable=${enable ? 'yes' : 'no'}`,
      ],
    });
    const ports = blocked.map((t) => t.port).join(', ');
    found.set(rule.name.toLowerCase(), {
      commands: { apply: [set(false)], undo: [set(true)] },
      fix: {
        id: `disable-blocking-rule:${rule.name}`,
        title: `Turn off the firewall rule “${rule.name}”`,
        description: `${
          sure
            ? `This outbound rule blocks Windows Media Player connecting to TCP ${ports}.`
            : `This outbound rule may block Windows Media Player connecting to TCP ${ports} (${doubts.join('; ')}). If it is meant for another program, leave it on.`
        } Turning it off keeps the rule, so Undo can turn it back on exactly as it was.`,
        needsAdmin: true,
        changes: [
          `Windows Firewall rule “${rule.name}” (outbound, block${sameName.length > 1 ? `, ${sameName.length} rules of that name` : ''}): enabled → disabled`,
        ],
        commands: [displayCommand(set(false))],
        undoCommands: [displayCommand(set(true))],
        checkIds: [WINDOWS_CHECKS.firewallClient.id],
      },
    });
  }
  return [...found.values()];
}

async function runInOrder(runner: CommandRunner, commands: readonly CommandSpec[]): Promise<FixActionResult> {
  let last = '';
  for (const command of commands) {
    const result = await runner.run(command);
    const text = decodeOutput(result.stdout.length > 0 ? result.stdout : result.stderr, null).text.trim();
    if (result.exitCode !== 0) {
      const why =
        result.error ?? (text.split(/\r?\n/).filter(Boolean).at(-1) || `exit code ${result.exitCode ?? '?'}`);
      return { ok: false, message: `${displayCommand(command)} did not succeed: ${why.slice(0, 300)}` };
    }
    last = text;
  }
  return { ok: true, message: last.replace(/\s*\r?\n\s*/g, ' ').slice(0, 300) || 'Done.' };
}

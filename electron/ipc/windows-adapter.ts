// The handler table's WindowsPort on top of the Windows layer (electron/windows): its read-only local checks
// (collectSnapshot + analyseWindows), the fixes it proposes (fixes/propose.ts), and its apply / verify /
// journal / undo (fixes/apply.ts), with one UAC prompt per fix. Outside Windows every check reports "not
// available on this system" and nothing is proposed.
import { readFile, unlink } from 'node:fs/promises';
import type { Check } from '../diagnosis/types';
import type { CheckHeading } from '../engine/events';
import type { StreamTarget } from '../input/types';
import {
  analyseWindows,
  playerOutboundTraffic,
  unavailableChecks,
  WINDOWS_CHECKS,
  type AnalysisContext,
} from '../windows/checks';
import { ruleApplies } from '../windows/firewall-analysis';
import { applyFix, undoFix, type FixDeps } from '../windows/fixes/apply';
import { planDisableBlockingRule } from '../windows/fixes/catalogue';
import { createUacElevator, type Elevator } from '../windows/fixes/elevation';
import { readJournal } from '../windows/fixes/journal';
import { proposeFixes } from '../windows/fixes/propose';
import type { Expectation, FixId, FixPlan } from '../windows/fixes/types';
import { collectSnapshot } from '../windows/local';
import type { FirewallRule } from '../windows/netsh-rules';
import type { ProfileWord } from '../windows/netsh-words';
import { createProcessRunner, type CommandRunner } from '../windows/runner';
import type { AppliedChange, FixActionResult, LocalFix, WindowsPort } from './windows-port';

export interface WindowsPortOptions {
  runner?: CommandRunner;
  platform?: NodeJS.Platform;
  /** Where applied fixes are journaled, so Undo works after a restart (the app's user-data folder). */
  journalFile: string;
  /** Asks for administrator rights for one fix at a time; default: a UAC prompt (work files in `workDir`). */
  elevator?: Elevator;
  workDir?: string;
  /** Pause between verification reads (a service takes a moment to start); tests set 0. */
  verifyDelayMs?: number;
}

const PROFILES: readonly ProfileWord[] = ['domain', 'private', 'public'];

/** The checks that read differently once a fix of that kind is applied; they run again after Apply/Undo. */
const CHECKS_OF_FIX: Record<FixId, string[]> = {
  'disable-blocking-rule': [WINDOWS_CHECKS.firewallClient.id],
  'enable-allow-rule': [WINDOWS_CHECKS.firewallServer.id],
  'add-wms-streaming-rule': [WINDOWS_CHECKS.firewallServer.id],
  'remove-app-rules': [WINDOWS_CHECKS.firewallServer.id],
  'start-wmserver-automatic': [WINDOWS_CHECKS.wmserver.id],
  'restart-wmserver': [WINDOWS_CHECKS.wmserver.id],
};

export function createWindowsPort(options: WindowsPortOptions): WindowsPort {
  const runner = options.runner ?? createProcessRunner();
  const platform = options.platform ?? process.platform;
  const elevator =
    options.elevator ??
    createUacElevator({
      runner,
      workDir: options.workDir ?? '.',
      readFile: (file) => readFile(file),
      removeFile: (file) => unlink(file),
    });
  const deps: FixDeps = {
    runner,
    elevator,
    journalFile: options.journalFile,
    ...(options.verifyDelayMs !== undefined ? { verifyDelayMs: options.verifyDelayMs } : {}),
  };
  // The plans behind the fixes shown to the renderer (which only ever sees their display strings), and the
  // journal entry of each applied one.
  const plans = new Map<string, { plan: FixPlan; entryId: string | null }>();

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
      for (const { plan, doubts } of fixPlans(
        snapshot.rules?.value ?? null,
        () => proposeFixes(snapshot, context),
        context,
      )) {
        const fix = describeFix(plan, doubts);
        const known = plans.get(fix.id);
        plans.set(fix.id, { plan, entryId: known?.entryId ?? null });
        fixes.push(fix);
      }
      return { checks, fixes };
    },
    async apply(fix) {
      const known = plans.get(fix.id);
      if (!known) return gone();
      const outcome = await applyFix(known.plan, deps);
      if (outcome.status !== 'applied') return { ok: false, message: outcome.message };
      known.entryId = outcome.entryId;
      return { ok: true, message: outcome.message, changeId: outcome.entryId };
    },
    async undo(fix) {
      const known = plans.get(fix.id);
      if (!known?.entryId) return gone();
      const result = await undoEntry(known.entryId);
      if (result.ok) known.entryId = null;
      return result;
    },
    async appliedChanges(): Promise<AppliedChange[]> {
      if (platform !== 'win32') return [];
      const entries = await readJournal(options.journalFile).catch(() => []);
      return entries
        .filter((entry) => entry.undoneAt === null)
        .map((entry) => ({
          id: entry.id,
          title: entry.title,
          appliedAt: entry.appliedAt,
          needsAdmin: entry.needsAdmin,
          undoCommands: entry.undo.map((command) => command.display),
        }));
    },
    undoChange: (entryId) => undoEntry(entryId),
  };

  async function undoEntry(entryId: string): Promise<FixActionResult> {
    const outcome = await undoFix(entryId, deps);
    for (const known of plans.values())
      if (outcome.status === 'undone' && known.entryId === entryId) known.entryId = null;
    return outcome.status === 'undone'
      ? { ok: true, message: outcome.message }
      : { ok: false, message: outcome.message };
  }
}

function gone(): FixActionResult {
  return { ok: false, message: 'This fix is no longer available; run the diagnosis again.' };
}

export function analysisContext(target: StreamTarget): AnalysisContext {
  return { streamPort: target.port, serverAddress: target.hostKind === 'ipv4' ? target.host : null };
}

/**
 * The Windows layer's proposals (rules that surely block, the server-side rule, the service), plus a fix
 * for each enabled outbound block rule that only MAY stop Windows Media Player — its program or addresses
 * are not known for sure — planned by the same catalogue and offered with that doubt spelled out.
 */
export function fixPlans(
  rules: readonly FirewallRule[] | null,
  propose: () => ReturnType<typeof proposeFixes>,
  context: AnalysisContext,
): Array<{ plan: FixPlan; doubts: string[] }> {
  const result: Array<{ plan: FixPlan; doubts: string[] }> = [];
  for (const proposal of propose()) if (proposal.ok) result.push({ plan: proposal.plan, doubts: [] });
  if (!rules) return result;
  const covered = new Set(result.map(({ plan }) => plan.title));
  const traffic = playerOutboundTraffic(context);
  const seen = new Set<string>();
  for (const rule of rules) {
    if (rule.enabled !== true || rule.action !== 'block' || rule.direction !== 'out') continue;
    if (seen.has(rule.name.toLowerCase())) continue;
    seen.add(rule.name.toLowerCase());
    const matches = traffic
      .flatMap((t) => PROFILES.map((profile) => ruleApplies(rule, t, profile)))
      .filter((m) => m !== null);
    if (matches.length === 0) continue;
    const planned = planDisableBlockingRule(rule, rules);
    if (!planned.ok || covered.has(planned.plan.title)) continue;
    const doubts = [...new Set(matches.flatMap((m) => m.doubts))];
    result.push({
      plan: planned.plan,
      doubts: doubts.length > 0 ? doubts : ['it may not apply to every profile'],
    });
  }
  return result;
}

export function describeFix(plan: FixPlan, doubts: readonly string[]): LocalFix {
  const uncertain =
    doubts.length > 0
      ? ` This rule may not be the one in the way (${doubts.join('; ')}): if it is meant for another program, leave it on.`
      : '';
  return {
    id: `${plan.fixId}:${plan.title}`,
    title: plan.title,
    description: `${plan.explanation}${uncertain}`,
    needsAdmin: plan.needsAdmin,
    changes: plan.expect.map(describeExpectation),
    commands: plan.commands.map((command) => command.display),
    undoCommands: plan.undo.map((command) => command.display),
    checkIds: CHECKS_OF_FIX[plan.fixId] ?? [],
  };
}

function describeExpectation(expectation: Expectation): string {
  if (expectation.kind === 'service') {
    const parts = [
      expectation.state ? `${expectation.state === 'running' ? 'running' : 'stopped'}` : null,
      expectation.startType
        ? `starts ${expectation.startType === 'auto' ? 'automatically' : expectation.startType === 'demand' ? 'on demand' : 'never'}`
        : null,
    ].filter(Boolean);
    return `Windows Media Services (WMServer): ${parts.join(', ')}`;
  }
  const rule = `Windows Firewall ${expectation.direction === 'in' ? 'inbound' : 'outbound'} rule “${expectation.name}”`;
  if (expectation.count === 0) return `${rule}: removed`;
  const several = expectation.count > 1 ? ` (${expectation.count} rules of that name)` : '';
  if (expectation.protocols) {
    return `${rule}${several}: present — ${expectation.protocols.join(' and ')}${expectation.localPort ? ` port ${expectation.localPort}` : ''}${expectation.group ? `, group “${expectation.group}”` : ''}, enabled`;
  }
  return `${rule}${several}: ${expectation.enabled ? 'enabled' : 'disabled'}`;
}

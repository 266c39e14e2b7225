// The handler table's WindowsPort on top of the Windows layer (electron/windows): its read-only local checks
// (collectSnapshot + analyseWindows), the fixes its policy offers (fixes/policy.ts), and apply / verify /
// journal / undo (fixes/apply.ts), with one UAC prompt per fix. Outside Windows every check reports "not
// available on this system" and nothing is proposed.
import { readFile, unlink } from 'node:fs/promises';
import type { Check } from '../diagnosis/types';
import type { CheckHeading } from '../engine/events';
import type { StreamTarget } from '../input/types';
import { analyseWindows, unavailableChecks, WINDOWS_CHECKS, type AnalysisContext } from '../windows/checks';
import { applyFix, settleJournal, undoFix, type FixDeps } from '../windows/fixes/apply';
import { buildPlan } from '../windows/fixes/catalogue';
import { createUacElevator, type Elevator } from '../windows/fixes/elevation';
import { readJournal, type JournalIo, type JournalRecord } from '../windows/fixes/journal';
import { offerFixes } from '../windows/fixes/policy';
import { findWindowsDirectory } from '../windows/fixes/windows-directory';
import type { FixPlan } from '../windows/fixes/types';
import { collectSnapshot } from '../windows/local';
import { createProcessRunner, type CommandRunner } from '../windows/runner';
import type { AppliedChange } from './contract';
import type { AppliedChanges, FixActionResult, LocalFix, WindowsPort } from './windows-port';

export interface WindowsPortOptions {
  runner?: CommandRunner;
  platform?: NodeJS.Platform;
  /** Where applied fixes are journaled, so Undo works after a restart (the app's user-data folder). */
  journalFile: string;
  /** The journal's file operations (tests inject a full disk). */
  journalIo?: JournalIo;
  /** Asks for administrator rights for one fix at a time; default: a UAC prompt (work files in `workDir`). */
  elevator?: Elevator;
  workDir?: string;
  /**
   * The Windows folder programs are started from (fixes/windows-directory.ts finds it without trusting the
   * environment). null: not found safely — read-only checks still run, fixes are refused. Default: found
   * here the same way.
   */
  windowsDirectory?: string | null;
  /** Pause between verification reads (a service takes a moment to start); tests set 0. */
  verifyDelayMs?: number;
  now?: () => Date;
}

export function createWindowsPort(options: WindowsPortOptions): WindowsPort {
  // Found once, without trusting the environment; null outside Windows or when unclear (fixes then refused).
  const windowsDirectory =
    options.windowsDirectory === undefined ? findWindowsDirectory() : options.windowsDirectory;
  const runner = options.runner ?? createProcessRunner({}, windowsDirectory ?? 'C:\\Windows');
  const platform = options.platform ?? process.platform;
  const elevator =
    options.elevator ??
    createUacElevator({
      runner,
      workDir: options.workDir ?? '.',
      windowsDirectory,
      readFile: (file) => readFile(file),
      removeFile: (file) => unlink(file),
    });
  const deps: FixDeps = {
    runner,
    elevator,
    journalFile: options.journalFile,
    inFlight: new Set(),
    ...(options.journalIo ? { journalIo: options.journalIo } : {}),
    ...(options.now ? { now: options.now } : {}),
    ...(options.verifyDelayMs !== undefined ? { verifyDelayMs: options.verifyDelayMs } : {}),
  };
  // The plans behind the fixes shown to the renderer (which only ever sees their display strings), and the
  // journal entry of each applied one.
  const plans = new Map<string, { plan: FixPlan; entryId: string | null }>();
  // Entries left unfinished by an earlier run are settled once, at the first look at the journal.
  let settled: Promise<string[]> | null = null;
  const settleOnce = (): Promise<string[]> =>
    (settled ??= settleJournal(deps).catch((error: unknown) => [
      `The fix journal could not be checked: ${error instanceof Error ? error.message : String(error)}.`,
    ]));

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
      for (const { plan, offer } of offerFixes(snapshot, context)) {
        const known = plans.get(offer.id);
        plans.set(offer.id, { plan, entryId: known?.entryId ?? null });
        fixes.push(offer);
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
    async appliedChanges(): Promise<AppliedChanges> {
      if (platform !== 'win32') return { changes: [], notices: [] };
      const notices = await settleOnce();
      try {
        const snapshot = await readJournal(options.journalFile, {
          ...(options.journalIo ? { io: options.journalIo } : {}),
          ...(options.now ? { now: options.now } : {}),
        });
        return {
          changes: snapshot.records.flatMap(listedChange),
          notices: [...notices, ...snapshot.notices],
        };
      } catch (error) {
        return {
          changes: [],
          notices: [...notices, error instanceof Error ? `${error.message}.` : String(error)],
        };
      }
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

const UNREADABLE_TITLE = 'Unreadable journal entry';

/** A journal record as the start screen lists it; only what can still be undone, and every unreadable one. */
export function listedChange(record: JournalRecord): AppliedChange[] {
  if (!record.readable) {
    return [
      {
        id: record.id ?? '',
        title: UNREADABLE_TITLE,
        appliedAt: '',
        needsAdmin: false,
        undoCommands: [],
        status: 'unreadable',
        note: `Unreadable — not offered for undo: ${record.reason}.`,
      },
    ];
  }
  const { entry } = record;
  if (entry.state !== 'applied' && entry.state !== 'failed') return [];
  const built = buildPlan(entry.facts);
  if (!built.ok) {
    return [
      {
        id: entry.id,
        title: UNREADABLE_TITLE,
        appliedAt: entry.recordedAt,
        needsAdmin: false,
        undoCommands: [],
        status: 'unreadable',
        note: `Unreadable — not offered for undo: ${built.reason}`,
      },
    ];
  }
  if (built.plan.undo.length === 0) return [];
  return [
    {
      id: entry.id,
      title: built.plan.title,
      appliedAt: entry.recordedAt,
      needsAdmin: built.plan.needsAdmin,
      undoCommands: built.plan.undo.map((command) => command.display),
      status: entry.state === 'applied' ? 'applied' : 'uncertain',
      note:
        entry.state === 'failed'
          ? 'This change failed half-way or could not be confirmed; Undo puts back what can be put back.'
          : null,
    },
  ];
}

function gone(): FixActionResult {
  return { ok: false, message: 'This fix is no longer available; run the diagnosis again.' };
}

export function analysisContext(target: StreamTarget): AnalysisContext {
  return { streamPort: target.port, serverAddress: target.hostKind === 'ipv4' ? target.host : null };
}

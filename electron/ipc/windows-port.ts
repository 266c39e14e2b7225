// What the handler table needs from the Windows layer, as a small interface of its own: the read-only checks
// of this computer (firewall rules for the stream's ports, services, listeners) and the fixes they found.
// windows-adapter.ts implements it on electron/windows; tests pass fakes. Plain types, no Node import.
import type { Check } from '../diagnosis/types';
import type { CheckHeading } from '../engine/events';
import type { StreamTarget } from '../input/types';
import type { FixOffer } from '../windows/fixes/types';
import type { AppliedChanges } from './contract';

export type { AppliedChange, AppliedChanges } from './contract';

/** A change the Windows layer can make, described before anything happens (fixes/policy.ts builds it). */
export type LocalFix = FixOffer;

export interface LocalInspection {
  checks: Check[];
  fixes: LocalFix[];
}

/** `changeId`: the journal entry an applied fix was recorded as (what undoChange takes). */
export type FixActionResult =
  { ok: true; message: string; changeId?: string } | { ok: false; message: string };

export interface WindowsPort {
  /** The checks `inspect` will report, announced when the run starts so the wizard can show them pending. */
  plan(target: StreamTarget): CheckHeading[];
  /** Read-only; never throws (a failed command is a check with status `error` or `skip`). */
  inspect(target: StreamTarget, signal: AbortSignal): Promise<LocalInspection>;
  apply(fix: LocalFix): Promise<FixActionResult>;
  undo(fix: LocalFix): Promise<FixActionResult>;
  /** Applied fixes the journal still holds (not undone), from this run or an earlier one. */
  appliedChanges(): Promise<AppliedChanges>;
  undoChange(changeId: string): Promise<FixActionResult>;
}

/** For a build without the Windows layer: no local checks, no fixes. */
export const NO_WINDOWS: WindowsPort = {
  plan: () => [],
  inspect: () => Promise.resolve({ checks: [], fixes: [] }),
  apply: () => Promise.resolve({ ok: false, message: 'Fixes are not available in this build.' }),
  undo: () => Promise.resolve({ ok: false, message: 'Fixes are not available in this build.' }),
  appliedChanges: () => Promise.resolve({ changes: [], notices: [] }),
  undoChange: () => Promise.resolve({ ok: false, message: 'Fixes are not available in this build.' }),
};

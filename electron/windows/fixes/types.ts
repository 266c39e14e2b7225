// Shapes of the fix actions: the typed facts a fix is built from (all a journal entry keeps), the plan the
// catalogue builds from them (shown before anything happens), and the state to check afterwards.
// Everything here is plain data (JSON-safe).
import type { PortProtocol, RuleDirection } from '../arguments';
import type { CommandSpec } from '../runner';

/** The group name every rule the app creates carries, so they can be listed and removed together. */
export const APP_RULE_GROUP = 'Stream Doctor';

/** A state that can be read back with read-only commands. */
export type Expectation =
  | {
      kind: 'rules';
      name: string;
      direction: RuleDirection;
      /** How many rules with this name and direction must exist (0 = none). */
      count: number;
      /** When count > 0: every such rule has this enabled state. */
      enabled?: boolean;
      /** When count > 0: these protocols, ports, group (for rules the app adds). */
      protocols?: string[];
      localPort?: string;
      group?: string;
    }
  | {
      kind: 'service';
      service: 'WMServer';
      state?: 'running' | 'stopped';
      startType?: 'auto' | 'demand' | 'disabled';
    };

/**
 * One command of a fix. `display` is rendered from `spec` when the command is made (command-line.ts) and both
 * are frozen, so what the person reads is what runs.
 */
export interface FixCommand {
  readonly spec: CommandSpec;
  readonly display: string;
}

export type FixId =
  | 'add-wms-streaming-rule'
  | 'disable-blocking-rule'
  | 'enable-allow-rule'
  | 'start-wmserver-automatic'
  | 'restart-wmserver'
  | 'remove-app-rules';

export type ServiceStateFact = 'running' | 'stopped';
export type StartTypeFact = 'auto' | 'demand' | 'disabled';

/**
 * Everything a fix is built from — and all a journal entry keeps. Apply and undo commands are always built
 * again from these by the catalogue, through the same validators as a fresh fix; never stored, never replayed.
 */
export type FixFacts =
  | { fixId: 'add-wms-streaming-rule'; protocols: PortProtocol[] }
  | { fixId: 'remove-app-rules'; protocols: PortProtocol[] }
  | { fixId: 'disable-blocking-rule'; ruleName: string; direction: RuleDirection; count: number }
  | { fixId: 'enable-allow-rule'; ruleName: string; direction: RuleDirection; count: number }
  | {
      fixId: 'start-wmserver-automatic';
      service: 'WMServer';
      before: { state: ServiceStateFact; startType: StartTypeFact };
    }
  | { fixId: 'restart-wmserver'; service: 'WMServer' };

export interface FixPlan {
  fixId: FixId;
  /** What the plan was built from; the journal records these and nothing else about the change. */
  facts: FixFacts;
  title: string;
  /** What the action does and why, in plain words. */
  explanation: string;
  needsAdmin: boolean;
  commands: FixCommand[];
  /** What must be true afterwards; read again to verify. */
  expect: Expectation[];
  /** Commands that restore the state read before the fix, and what must then be true again. */
  undo: FixCommand[];
  undoExpect: Expectation[];
}

export type PlanResult = { ok: true; plan: FixPlan } | { ok: false; reason: string };

export type FixOutcome =
  | { status: 'applied'; entryId: string; message: string }
  | { status: 'declined'; message: string }
  | { status: 'failed'; message: string; rolledBack: boolean }
  | { status: 'unverified'; message: string; rolledBack: boolean };

/**
 * Where a journaled change stands. Written ahead: `applying` before the administrator prompt, `undoing`
 * before an undo runs; an entry left in either (the app stopped, the disk filled) is settled at the next
 * start by reading the live state.
 */
export type JournalState =
  'applying' | 'applied' | 'declined' | 'failed' | 'rolled-back' | 'undoing' | 'undone';

export interface JournalEntry {
  id: string;
  facts: FixFacts;
  state: JournalState;
  /** ISO time the entry was first written (before the change ran). */
  recordedAt: string;
  /** ISO time of the last state change. */
  updatedAt: string;
}

/** A fix as offered to the person: shown in full before anything happens. */
export interface FixOffer {
  /** Stable within one inspection: `<fix id>:<title>`. */
  id: string;
  title: string;
  description: string;
  needsAdmin: boolean;
  /** What will change, one line each. */
  changes: string[];
  /** The exact commands Apply and Undo run, rendered from the specs that run. */
  commands: string[];
  undoCommands: string[];
  /** The checks that should read differently once the fix is applied; they run again after Apply/Undo. */
  checkIds: string[];
  /**
   * Why the fix may not apply when the evidence is uncertain (a rule that only MAY stop the player); null
   * when the checks are sure. An uncertain fix is never the primary action.
   */
  doubt: string | null;
}

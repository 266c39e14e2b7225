// Shapes of the fix actions: a plan shown before anything happens, the state to check afterwards, and the
// journal entry that lets undo work after a restart. Everything here is plain data (JSON-safe).
import type { CommandSpec } from '../runner';

/** The group name every rule the app creates carries, so they can be listed and removed together. */
export const APP_RULE_GROUP = 'Stream Doctor';

/** A state that can be read back with read-only commands. */
export type Expectation =
  | {
      kind: 'rules';
      name: string;
      direction: 'in' | 'out';
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

export interface FixCommand {
  spec: CommandSpec;
  /** The command as a person would type it (PowerShell scripts decoded). */
  display: string;
}

export interface FixPlan {
  fixId: FixId;
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

export type FixId =
  | 'add-wms-streaming-rule'
  | 'disable-blocking-rule'
  | 'enable-allow-rule'
  | 'start-wmserver-automatic'
  | 'restart-wmserver'
  | 'remove-app-rules';

export type FixOutcome =
  | { status: 'applied'; entryId: string; message: string }
  | { status: 'declined'; message: string }
  | { status: 'failed'; message: string; rolledBack: boolean }
  | { status: 'unverified'; message: string; rolledBack: boolean };

export interface JournalEntry {
  id: string;
  fixId: FixId;
  title: string;
  appliedAt: string;
  needsAdmin: boolean;
  commands: FixCommand[];
  undo: FixCommand[];
  undoExpect: Expectation[];
  undoneAt: string | null;
}

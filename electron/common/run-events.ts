// What a full run (electron/engine/full-run.ts) tells its listener, as plain types: the CLI prints these, the app
// forwards them to the wizard through the IPC contract, which the renderer imports — so types only, and nothing
// imported but the sibling shared files.
import type { Check, DiagnosisEvent } from './report';

/**
 * No port has answered `afterMs` after the probes went out: a firewall that drops packets, or a host that is
 * down, looks like this. The run goes on until its own deadline (`deadlineMs`, each probe's bound).
 */
export interface StillWaitingEvent {
  type: 'still-waiting';
  host: string;
  /** The ports whose probes are still waiting, in the order they went out. */
  ports: number[];
  afterMs: number;
  deadlineMs: number;
}

/** Everything a full run tells its listener: the engine's events (for both parts) and the early warning. */
export type FullRunEvent = DiagnosisEvent | StillWaitingEvent;

export interface CheckComparison {
  id: string;
  title: string;
  before: Check | null;
  after: Check | null;
}

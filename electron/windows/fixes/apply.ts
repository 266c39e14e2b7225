// Applying a planned fix after the user agreed to the commands shown: journal the intent first, run the
// commands (elevated for just this action when needed), read the state again to verify, and record the
// outcome. Undo rebuilds its commands from the entry's validated facts through the catalogue — it never
// replays anything stored. A declined prompt changes nothing; a failed command or a failed verification
// rolls back what ran; a journal that cannot be written stops the change before anything runs.
import { checkRuleName } from '../arguments';
import { decodeOutput } from '../decode';
import { parseNetshRules } from '../netsh-rules';
import type { CommandResult, CommandRunner, CommandSpec } from '../runner';
import { parseSc } from '../sc';
import type { Elevator } from './elevation';
import { buildPlan } from './catalogue';
import {
  JournalWriteError,
  readJournal,
  recordIntent,
  transition,
  type JournalIo,
  type JournalOptions,
} from './journal';
import type { Expectation, FixCommand, FixOutcome, FixPlan, JournalEntry, JournalState } from './types';

export interface FixDeps {
  /** Runs the read-only commands that verify a fix (never elevated). */
  runner: CommandRunner;
  elevator: Elevator;
  journalFile: string;
  /** File operations of the journal (tests inject a full disk). */
  journalIo?: JournalIo;
  /** Journal entries whose action runs in this process now: never settled from outside. */
  inFlight?: Set<string>;
  oemCodePage?: number | null;
  now?: () => Date;
  /** Services take a moment to reach RUNNING: how often and how long apart to read again. */
  verifyAttempts?: number;
  verifyDelayMs?: number;
}

export interface ExpectationCheck {
  met: boolean;
  detail: string;
}

/** The read-only command that shows the state an expectation is about. */
export function expectationCommands(expectation: Expectation): CommandSpec[] {
  if (expectation.kind === 'rules') {
    checkRuleName(expectation.name);
    return [
      {
        file: 'netsh',
        args: [
          'advfirewall',
          'firewall',
          'show',
          'rule',
          `name=${expectation.name}`,
          `dir=${expectation.direction}`,
          'verbose',
        ],
      },
    ];
  }
  return [
    { file: 'sc', args: ['query', expectation.service] },
    { file: 'sc', args: ['qc', expectation.service] },
  ];
}

/** Pure: does the output of `expectationCommands` show the expected state? */
export function judgeExpectation(expectation: Expectation, outputs: readonly string[]): ExpectationCheck {
  if (expectation.kind === 'rules') {
    // "No rules match" is an empty list here: the command exits 1 with no block.
    const rules = parseNetshRules(outputs[0] ?? '', { direction: expectation.direction }).rules.filter(
      (rule) => rule.name.toLowerCase() === expectation.name.toLowerCase(),
    );
    const problems: string[] = [];
    if (rules.length !== expectation.count)
      problems.push(`${rules.length} rule(s) instead of ${expectation.count}`);
    if (expectation.count > 0) {
      if (expectation.enabled !== undefined && rules.some((rule) => rule.enabled !== expectation.enabled)) {
        problems.push(`not all ${expectation.enabled ? 'enabled' : 'disabled'}`);
      }
      if (expectation.protocols) {
        const found = rules.map((rule) => rule.protocol ?? '?').sort();
        if (found.join() !== [...expectation.protocols].sort().join())
          problems.push(`protocols ${found.join(',')}`);
      }
      if (expectation.localPort && rules.some((rule) => rule.localPorts.join() !== expectation.localPort)) {
        problems.push('another local port');
      }
      if (expectation.group && rules.some((rule) => rule.grouping !== expectation.group)) {
        problems.push(`not in the group "${expectation.group}"`);
      }
    }
    const what = `"${expectation.name}" (${expectation.direction})`;
    return problems.length === 0
      ? { met: true, detail: `${what}: as expected` }
      : { met: false, detail: `${what}: ${problems.join(', ')}` };
  }
  const query = parseSc(outputs[0] ?? '').services[0];
  const config = parseSc(outputs[1] ?? '').services[0];
  const problems: string[] = [];
  if (expectation.state && query?.state !== expectation.state)
    problems.push(`state ${query?.state ?? 'unknown'}`);
  if (expectation.startType && config?.startType !== expectation.startType) {
    problems.push(`start type ${config?.startType ?? 'unknown'}`);
  }
  return problems.length === 0
    ? { met: true, detail: `${expectation.service}: as expected` }
    : { met: false, detail: `${expectation.service}: ${problems.join(', ')}` };
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

export async function verify(expectations: readonly Expectation[], deps: FixDeps): Promise<ExpectationCheck> {
  const attempts = Math.max(1, deps.verifyAttempts ?? 5);
  let last: ExpectationCheck = { met: true, detail: 'nothing to verify' };
  for (let attempt = 0; attempt < attempts; attempt++) {
    if (attempt > 0) await sleep(deps.verifyDelayMs ?? 1000);
    const checks: ExpectationCheck[] = [];
    for (const expectation of expectations) {
      const outputs: string[] = [];
      for (const command of expectationCommands(expectation)) {
        const result = await deps.runner.run(command);
        outputs.push(decodeOutput(result.stdout, deps.oemCodePage ?? null).text);
      }
      checks.push(judgeExpectation(expectation, outputs));
    }
    last = {
      met: checks.every((check) => check.met),
      detail: checks.map((check) => check.detail).join('; '),
    };
    if (last.met) return last;
  }
  return last;
}

interface RunOutcome {
  declined: boolean;
  failed: CommandResult | null;
  error: string | null;
}

async function runCommands(
  commands: readonly FixCommand[],
  needsAdmin: boolean,
  deps: FixDeps,
): Promise<RunOutcome> {
  const specs = commands.map((command) => command.spec);
  if (specs.length === 0) return { declined: false, failed: null, error: null };
  const run = needsAdmin
    ? await deps.elevator.run(specs)
    : await (async () => {
        const results: CommandResult[] = [];
        for (const spec of specs) {
          const result = await deps.runner.run(spec);
          results.push(result);
          if (result.exitCode !== 0) break;
        }
        return { declined: false, results, error: null };
      })();
  if (run.declined) return { declined: true, failed: null, error: null };
  const failed = run.results.find((result) => result.exitCode !== 0) ?? null;
  const incomplete = failed === null && run.results.length < specs.length;
  return {
    declined: false,
    failed,
    error: run.error ?? (incomplete ? `only ${run.results.length} of ${specs.length} commands ran` : null),
  };
}

function describeFailure(outcome: RunOutcome, deps: FixDeps): string {
  if (outcome.error) return outcome.error;
  const failed = outcome.failed;
  if (!failed) return 'unknown failure';
  const text = decodeOutput(
    failed.stdout.length > 0 ? failed.stdout : failed.stderr,
    deps.oemCodePage ?? null,
  )
    .text.split(/\r?\n/)
    .filter((line) => line.trim() !== '')
    .at(-1);
  return `"${[failed.file, ...failed.args].join(' ')}" ended with exit code ${failed.exitCode ?? '?'}${text ? `: ${text.trim()}` : ''}`;
}

async function rollBack(plan: FixPlan, deps: FixDeps): Promise<boolean> {
  // Best effort: undo commands for steps that never ran fail harmlessly ("No rules match", error 1062).
  const elevatedUndo = plan.undo.map((command) => command.spec);
  if (elevatedUndo.length > 0) {
    if (plan.needsAdmin) await deps.elevator.run(elevatedUndo, { continueOnError: true });
    else for (const spec of elevatedUndo) await deps.runner.run(spec);
  }
  return (await verify(plan.undoExpect, deps)).met;
}

const journalOptions = (deps: FixDeps): JournalOptions => ({
  ...(deps.journalIo ? { io: deps.journalIo } : {}),
  ...(deps.now ? { now: deps.now } : {}),
});

const DECLINED = 'Administrator rights were not granted, so nothing was changed.';

/** Records the final state; when that write fails the change stands and the next start settles it. */
async function settleRecord(
  id: string,
  from: JournalState,
  to: JournalState,
  deps: FixDeps,
): Promise<string> {
  try {
    await transition(deps.journalFile, id, [from], to, journalOptions(deps));
    return '';
  } catch (error) {
    if (!(error instanceof JournalWriteError)) throw error;
    return ` The journal could not record this (${error.message}); Stream Doctor reads the state again at its next start.`;
  }
}

const withNotices = (message: string, notices: readonly string[]): string => [message, ...notices].join(' ');

/** Runs a plan the user agreed to. Call only after showing `plan.commands`. */
export async function applyFix(shown: FixPlan, deps: FixDeps): Promise<FixOutcome> {
  // The commands that run are built again from the facts by the catalogue, like an undo's.
  const built = buildPlan(shown.facts);
  if (!built.ok)
    return { status: 'failed', message: `Nothing was changed: ${built.reason}`, rolledBack: false };
  const plan = built.plan;
  let intent: Awaited<ReturnType<typeof recordIntent>>;
  try {
    intent = await recordIntent(deps.journalFile, plan.facts, journalOptions(deps));
  } catch (error) {
    if (!(error instanceof JournalWriteError)) throw error;
    return {
      status: 'failed',
      message: `Nothing was changed: ${error.message}, and a change that could not be undone later is not made.`,
      rolledBack: false,
    };
  }
  const id = intent.entry.id;
  deps.inFlight?.add(id);
  try {
    const outcome = await runCommands(plan.commands, plan.needsAdmin, deps);
    if (outcome.declined) {
      await settleRecord(id, 'applying', 'declined', deps);
      return { status: 'declined', message: withNotices(DECLINED, intent.notices) };
    }
    if (outcome.failed || outcome.error) {
      const rolledBack = await rollBack(plan, deps);
      const state = rolledBack
        ? 'The previous state was restored.'
        : 'The previous state could not be confirmed; the change is listed on the start screen, where Undo tries again.';
      const note = await settleRecord(id, 'applying', rolledBack ? 'rolled-back' : 'failed', deps);
      return {
        status: 'failed',
        message: withNotices(`${describeFailure(outcome, deps)}. ${state}${note}`, intent.notices),
        rolledBack,
      };
    }
    const check = await verify(plan.expect, deps);
    if (!check.met) {
      const rolledBack = await rollBack(plan, deps);
      const note = await settleRecord(id, 'applying', rolledBack ? 'rolled-back' : 'failed', deps);
      return {
        status: 'unverified',
        message: withNotices(
          `The commands ran, but the new state was not found (${check.detail}). ${
            rolledBack ? 'The previous state was restored.' : 'The previous state could not be confirmed.'
          }${note}`,
          intent.notices,
        ),
        rolledBack,
      };
    }
    const note = await settleRecord(id, 'applying', 'applied', deps);
    return {
      status: 'applied',
      entryId: id,
      message: withNotices(`Done and verified: ${check.detail}.${note}`, intent.notices),
    };
  } finally {
    deps.inFlight?.delete(id);
  }
}

/**
 * Pure: where an entry left `applying` or `undoing` stands, from the live state read again. The change's
 * own state wins; the prior state means it did not take (or was undone); neither is `failed`, which keeps
 * Undo on offer.
 */
export function settledState(
  entry: Pick<JournalEntry, 'state'>,
  changed: boolean,
  prior: boolean,
): JournalState {
  if (entry.state === 'undoing') return prior ? 'undone' : changed ? 'applied' : 'failed';
  return changed ? 'applied' : prior ? 'rolled-back' : 'failed';
}

async function settleEntry(entry: JournalEntry, deps: FixDeps): Promise<JournalState> {
  const built = buildPlan(entry.facts);
  if (!built.ok) return entry.state;
  const changed = (await verify(built.plan.expect, { ...deps, verifyAttempts: 1 })).met;
  const prior =
    !changed &&
    built.plan.undoExpect.length > 0 &&
    (await verify(built.plan.undoExpect, { ...deps, verifyAttempts: 1 })).met;
  const state = settledState(entry, changed, prior);
  await transition(deps.journalFile, entry.id, [entry.state], state, journalOptions(deps));
  return state;
}

const UNSETTLED: readonly JournalState[] = ['applying', 'undoing'];

/**
 * At start: every entry left `applying` or `undoing` (the app stopped, the disk filled) is checked against
 * the live state and settled. Returns a sentence per entry settled.
 */
export async function settleJournal(deps: FixDeps): Promise<string[]> {
  const snapshot = await readJournal(deps.journalFile, journalOptions(deps));
  const said = [...snapshot.notices];
  for (const record of snapshot.records) {
    if (!record.readable || !UNSETTLED.includes(record.entry.state)) continue;
    if (deps.inFlight?.has(record.entry.id)) continue;
    const built = buildPlan(record.entry.facts);
    const state = await settleEntry(record.entry, deps);
    if (built.ok && state !== record.entry.state) {
      said.push(`"${built.plan.title}" was left unfinished; read again, it is ${STATE_WORDS[state]}.`);
    }
  }
  return said;
}

const STATE_WORDS: Record<JournalState, string> = {
  applying: 'being applied',
  applied: 'applied',
  declined: 'not applied (administrator rights were not granted)',
  failed: 'partly applied or unknown',
  'rolled-back': 'not applied',
  undoing: 'being undone',
  undone: 'undone',
};

export type UndoOutcome =
  | { status: 'undone'; message: string }
  | { status: 'declined'; message: string }
  | { status: 'failed'; message: string }
  | { status: 'refused'; message: string }
  | { status: 'not-found'; message: string };

const UNDOABLE: readonly JournalState[] = ['applied', 'failed'];

/** Undoes a journaled fix, from the journal alone (works after a restart). */
export async function undoFix(entryId: string, deps: FixDeps): Promise<UndoOutcome> {
  let snapshot: Awaited<ReturnType<typeof readJournal>>;
  try {
    snapshot = await readJournal(deps.journalFile, journalOptions(deps));
  } catch (error) {
    if (!(error instanceof JournalWriteError)) throw error;
    return { status: 'failed', message: `Nothing was changed: ${error.message}.` };
  }
  const record = snapshot.records.find((r) => (r.readable ? r.entry.id : r.id) === entryId);
  if (!record) return { status: 'not-found', message: 'This change is not in the journal.' };
  if (!record.readable) {
    return {
      status: 'refused',
      message: `This entry is unreadable — not offered for undo (${record.reason}).`,
    };
  }
  let entry = record.entry;
  if (UNSETTLED.includes(entry.state)) {
    if (deps.inFlight?.has(entry.id))
      return { status: 'failed', message: 'This change is being made right now.' };
    entry = { ...entry, state: await settleEntry(entry, deps) };
  }
  if (!UNDOABLE.includes(entry.state)) {
    return {
      status: 'not-found',
      message: `There is nothing to undo: this change is ${STATE_WORDS[entry.state]}.`,
    };
  }
  const built = buildPlan(entry.facts);
  if (!built.ok)
    return { status: 'refused', message: `This entry is not offered for undo (${built.reason}).` };
  const plan = built.plan;
  if (plan.undo.length === 0) return { status: 'not-found', message: 'This change has nothing to undo.' };

  let before: JournalEntry | null;
  try {
    before = await transition(deps.journalFile, entry.id, [entry.state], 'undoing', journalOptions(deps));
  } catch (error) {
    if (!(error instanceof JournalWriteError)) throw error;
    return { status: 'failed', message: `Nothing was changed: ${error.message}.` };
  }
  if (!before)
    return { status: 'failed', message: 'This change was changed meanwhile; look at the list again.' };
  deps.inFlight?.add(entry.id);
  try {
    const outcome = await runCommands(plan.undo, plan.needsAdmin, deps);
    if (outcome.declined) {
      await settleRecord(entry.id, 'undoing', before.state, deps);
      return { status: 'declined', message: DECLINED };
    }
    const check = outcome.failed || outcome.error ? null : await verify(plan.undoExpect, deps);
    if (check?.met) {
      const note = await settleRecord(entry.id, 'undoing', 'undone', deps);
      return { status: 'undone', message: `Undone and verified: ${check.detail}.${note}` };
    }
    const changed = (await verify(plan.expect, { ...deps, verifyAttempts: 1 })).met;
    const state = settledState({ state: 'undoing' }, changed, false);
    const note = await settleRecord(entry.id, 'undoing', state, deps);
    const why = check
      ? `The undo ran, but the earlier state was not found (${check.detail}).`
      : describeFailure(outcome, deps);
    return { status: 'failed', message: `${why} The change is ${STATE_WORDS[state]}.${note}` };
  } finally {
    deps.inFlight?.delete(entry.id);
  }
}

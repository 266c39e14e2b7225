// Applying a planned fix after the user agreed to the commands shown: run them (elevated for just this
// action when needed), read the state again to verify, journal the change, and undo it later. A declined
// prompt changes nothing; a failed command or a failed verification rolls back what ran.
import { checkRuleName } from '../arguments';
import { decodeOutput } from '../decode';
import { parseNetshRules } from '../netsh-rules';
import type { CommandResult, CommandRunner, CommandSpec } from '../runner';
import { parseSc } from '../sc';
import type { Elevator } from './elevation';
import { addJournalEntry, markUndone, readJournal } from './journal';
import type { Expectation, FixCommand, FixOutcome, FixPlan } from './types';

export interface FixDeps {
  /** Runs the read-only commands that verify a fix (never elevated). */
  runner: CommandRunner;
  elevator: Elevator;
  journalFile: string;
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

/** Runs a plan the user agreed to. Call only after showing `plan.commands`. */
export async function applyFix(plan: FixPlan, deps: FixDeps): Promise<FixOutcome> {
  const outcome = await runCommands(plan.commands, plan.needsAdmin, deps);
  if (outcome.declined) {
    return { status: 'declined', message: 'Administrator rights were not granted, so nothing was changed.' };
  }
  if (outcome.failed || outcome.error) {
    const rolledBack = await rollBack(plan, deps);
    const state = rolledBack
      ? 'The previous state was restored.'
      : 'The previous state could not be confirmed.';
    return { status: 'failed', message: `${describeFailure(outcome, deps)}. ${state}`, rolledBack };
  }
  const check = await verify(plan.expect, deps);
  if (!check.met) {
    const rolledBack = await rollBack(plan, deps);
    return {
      status: 'unverified',
      message: `The commands ran, but the new state was not found (${check.detail}). ${
        rolledBack ? 'The previous state was restored.' : 'The previous state could not be confirmed.'
      }`,
      rolledBack,
    };
  }
  const entry = await addJournalEntry(deps.journalFile, {
    fixId: plan.fixId,
    title: plan.title,
    appliedAt: (deps.now?.() ?? new Date()).toISOString(),
    needsAdmin: plan.needsAdmin,
    commands: plan.commands,
    undo: plan.undo,
    undoExpect: plan.undoExpect,
    undoneAt: null,
  });
  return { status: 'applied', entryId: entry.id, message: `Done and verified: ${check.detail}.` };
}

export type UndoOutcome =
  | { status: 'undone'; message: string }
  | { status: 'declined'; message: string }
  | { status: 'failed'; message: string }
  | { status: 'not-found'; message: string };

/** Undoes a journaled fix, from the journal alone (works after a restart). */
export async function undoFix(entryId: string, deps: FixDeps): Promise<UndoOutcome> {
  const entry = (await readJournal(deps.journalFile)).find((candidate) => candidate.id === entryId);
  if (!entry) return { status: 'not-found', message: 'This change is not in the journal.' };
  if (entry.undoneAt)
    return { status: 'not-found', message: `This change was already undone (${entry.undoneAt}).` };
  const outcome = await runCommands(entry.undo, entry.needsAdmin, deps);
  if (outcome.declined) {
    return { status: 'declined', message: 'Administrator rights were not granted, so nothing was changed.' };
  }
  if (outcome.failed || outcome.error) return { status: 'failed', message: describeFailure(outcome, deps) };
  const check = await verify(entry.undoExpect, deps);
  if (!check.met)
    return {
      status: 'failed',
      message: `The undo ran, but the earlier state was not found (${check.detail}).`,
    };
  await markUndone(deps.journalFile, entry.id, deps.now?.() ?? new Date());
  return { status: 'undone', message: `Undone and verified: ${check.detail}.` };
}

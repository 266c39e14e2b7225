// The fix journal: typed facts checked on every read (a tampered entry runs nothing), write-ahead states,
// locked atomic writes (four fixes at once, across two processes), journals kept aside instead of
// overwritten, a full disk that stops a change before it starts, and entries settled at the next start.
import { execFile } from 'node:child_process';
import { mkdir, mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createReplayRunner, type Recording } from '../replay-runner';
import type { CommandSpec } from '../runner';
import { applyFix, settleJournal, undoFix, type FixDeps } from './apply';
import { buildPlan } from './catalogue';
import { createRunnerElevator, type Elevator } from './elevation';
import { NODE_JOURNAL_IO, readJournal, recordIntent, type JournalIo } from './journal';
import { JOURNAL_FORMAT } from './journal-schema';
import {
  EDGE_RULE,
  edgePlan,
  edgeRecordings,
  edgeRuleOutput,
  realUpdated,
  setEdge,
  showEdge,
} from './test-support/edge-rule';
import type { JournalEntry, JournalState } from './types';

const run = promisify(execFile);

let dir: string;
let journalFile: string;
beforeEach(async () => {
  dir = await mkdtemp(path.join(tmpdir(), 'stream-doctor-journal-'));
  journalFile = path.join(dir, 'fix-journal.json');
});
afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

const NOW = new Date('2026-01-02T03:04:05Z');
const ID = '0b5c4a1e-1111-4222-8333-444455556666';

function deps(recordings: Recording[], extra: Partial<FixDeps> = {}) {
  const runner = createReplayRunner(recordings);
  const elevated: CommandSpec[][] = [];
  const inner = createRunnerElevator(runner);
  const elevator: Elevator = {
    run(commands, options) {
      elevated.push([...commands]);
      return inner.run(commands, options);
    },
  };
  const d: FixDeps = {
    runner,
    elevator,
    journalFile,
    verifyAttempts: 1,
    verifyDelayMs: 0,
    now: () => NOW,
    inFlight: new Set(),
    ...extra,
  };
  return { d, runner, elevated };
}

const entry = (facts: unknown, state: JournalState = 'applied', extra: object = {}): unknown => ({
  id: ID,
  facts,
  state,
  recordedAt: NOW.toISOString(),
  updatedAt: NOW.toISOString(),
  ...extra,
});

const journalText = (entries: unknown[]): string =>
  JSON.stringify({ format: JOURNAL_FORMAT, version: 2, entries }, null, 2);

async function states(): Promise<JournalState[]> {
  return (await readJournal(journalFile)).records.flatMap((r) => (r.readable ? [r.entry.state] : []));
}

const edgeFacts = { fixId: 'disable-blocking-rule', ruleName: EDGE_RULE, direction: 'out', count: 1 };

describe('undo is rebuilt from checked facts, never replayed', () => {
  const tampered: Array<[string, unknown]> = [
    [
      'an extra program in the entry',
      entry(edgeFacts, 'applied', {
        undo: [
          {
            spec: { file: 'C:\\Users\\Public\\evil.exe', args: [] },
            display: 'netsh advfirewall firewall set rule',
          },
        ],
      }),
    ],
    ['changed arguments', entry({ ...edgeFacts, ruleName: 'x" dir=out & calc.exe & "' })],
    ['a rule name netsh would read as two arguments', entry({ ...edgeFacts, ruleName: 'x name=all' })],
    ['an unknown fix id', entry({ fixId: 'run-program', file: 'evil.exe' })],
    [
      'prototype keys',
      JSON.parse(
        JSON.stringify(entry(edgeFacts)).replace('"count"', '"__proto__":{"file":"evil.exe"},"count"'),
      ),
    ],
    ['a command smuggled into the facts', entry({ ...edgeFacts, undo: ['evil.exe'] })],
  ];

  it.each(tampered)('%s: listed as unreadable, and Undo runs nothing', async (_what, raw) => {
    await writeFile(journalFile, journalText([raw]));
    const { d, runner, elevated } = deps(edgeRecordings());
    const snapshot = await readJournal(journalFile);
    expect(snapshot.records).toEqual([{ readable: false, id: ID, reason: expect.any(String) }]);
    const outcome = await undoFix(ID, d);
    expect(outcome.status).toBe('refused');
    expect(outcome.message).toMatch(/^This entry is (unreadable — )?not offered for undo/);
    expect(runner.calls).toEqual([]);
    expect(elevated).toEqual([]);
  });

  it('an untampered entry next to them still undoes, with exactly the catalogue action shown', async () => {
    const good = { ...(entry(edgeFacts) as object), id: '1b5c4a1e-1111-4222-8333-444455556666' };
    await writeFile(journalFile, journalText([tampered[0]![1], good, tampered[3]![1]]));
    const { d, runner, elevated } = deps(edgeRecordings().slice(2));
    const shown = buildPlan(edgeFacts as never);
    expect(shown.ok && shown.plan.undo.map((c) => c.display)).toEqual([
      `netsh advfirewall firewall set rule "name=${EDGE_RULE}" dir=out new enable=yes`,
    ]);
    expect(await undoFix('1b5c4a1e-1111-4222-8333-444455556666', d)).toMatchObject({ status: 'undone' });
    expect(elevated).toEqual([[setEdge(true)]]);
    expect(runner.calls).toEqual([setEdge(true), showEdge]);
    // The tampered entries are kept as they were, not dropped or rewritten.
    const stored = JSON.parse(await readFile(journalFile, 'utf8')) as { entries: unknown[] };
    expect(stored.entries[0]).toEqual(tampered[0]![1]);
  });
});

describe('write-ahead states', () => {
  it('records "applying" before the administrator prompt, then "applied"; undo goes "undoing" → "undone"', async () => {
    const seen: JournalState[][] = [];
    const { d } = deps(edgeRecordings());
    const inner = d.elevator;
    d.elevator = {
      async run(commands, options) {
        seen.push(await states());
        return inner.run(commands, options);
      },
    };
    const applied = await applyFix(edgePlan(), d);
    expect(applied.status).toBe('applied');
    expect(await states()).toEqual(['applied']);
    expect(await undoFix(applied.status === 'applied' ? applied.entryId : '', d)).toMatchObject({
      status: 'undone',
    });
    expect(seen).toEqual([['applying'], ['undoing']]);
    expect(await states()).toEqual(['undone']);
  });

  it('a declined prompt is recorded as declined and offers nothing to undo', async () => {
    const { d, runner } = deps([]);
    d.elevator = createRunnerElevator(runner, { decline: true });
    expect((await applyFix(edgePlan(), d)).status).toBe('declined');
    expect(await states()).toEqual(['declined']);
  });

  it('settles an entry left "applying" or "undoing" against the live state at the next start', async () => {
    const other = '2b5c4a1e-1111-4222-8333-444455556666';
    await writeFile(
      journalFile,
      journalText([
        entry(edgeFacts, 'applying'),
        { ...(entry({ ...edgeFacts, ruleName: 'Block Media' }, 'undoing') as object), id: other },
      ]),
    );
    const blockMediaOn = edgeRuleOutput(true).replace(
      `Rule Name:                            ${EDGE_RULE}`,
      'Rule Name:                            Block Media',
    );
    const { d, runner } = deps([
      // The Edge rule is off: the change took. "Block Media" is on again: the undo took.
      { ...showEdge, exitCode: 0, stdout: edgeRuleOutput(false) },
      {
        ...showEdge,
        args: showEdge.args.map((a) => a.replace(EDGE_RULE, 'Block Media')),
        exitCode: 0,
        stdout: blockMediaOn,
      },
    ]);
    const said = await settleJournal(d);
    expect(await states()).toEqual(['applied', 'undone']);
    expect(said).toEqual([
      `"Disable the outbound block rule "${EDGE_RULE}"" was left unfinished; read again, it is applied.`,
      '"Disable the outbound block rule "Block Media"" was left unfinished; read again, it is undone.',
    ]);
    // Only read-only commands ran.
    expect(runner.calls.every((c) => c.args.includes('show'))).toBe(true);
  });
});

describe('a journal that never loses a change', () => {
  const failingWrites = (failFrom: number): JournalIo & { writes: number } => {
    const io = {
      ...NODE_JOURNAL_IO,
      writes: 0,
      async writeAtomic(file: string, text: string) {
        io.writes++;
        if (io.writes >= failFrom)
          throw Object.assign(new Error('no space left on device'), { code: 'ENOSPC' });
        await NODE_JOURNAL_IO.writeAtomic(file, text);
      },
    };
    return io;
  };

  it('changes nothing when the journal cannot be written, and says why', async () => {
    const { d, runner, elevated } = deps(edgeRecordings(), { journalIo: failingWrites(1) });
    const outcome = await applyFix(edgePlan(), d);
    expect(outcome).toMatchObject({ status: 'failed', rolledBack: false });
    expect(outcome.message).toMatch(/^Nothing was changed: the fix journal could not be written \(ENOSPC\)/);
    expect(elevated).toEqual([]);
    expect(runner.calls).toEqual([]);
  });

  it('a change whose last write failed stays undoable: the entry is settled from the live state', async () => {
    const [switchOff, readOff, switchOn, readOn] = edgeRecordings();
    const { d, runner } = deps([switchOff!, readOff!, readOff!, switchOn!, readOn!], {
      journalIo: failingWrites(2),
    });
    const outcome = await applyFix(edgePlan(), d);
    expect(outcome.status).toBe('applied');
    expect(outcome.message).toContain('The journal could not record this');
    expect(await states()).toEqual(['applying']);
    // The disk has room again; Undo reads the state, settles the entry and undoes it.
    const id = outcome.status === 'applied' ? outcome.entryId : '';
    const undone = await undoFix(id, { ...d, journalIo: NODE_JOURNAL_IO });
    expect(undone.status).toBe('undone');
    expect(await states()).toEqual(['undone']);
    expect(runner.calls.filter((c) => c.args.includes('set'))).toEqual([setEdge(false), setEdge(true)]);
  });

  it('on a really full disk (a 64 KiB file system) nothing runs and the journal stays whole', async (context) => {
    const disk = path.join(dir, 'small-disk');
    await mkdir(disk);
    try {
      await run('mount', ['-t', 'tmpfs', '-o', 'size=64k', 'tmpfs', disk], { timeout: 10_000 });
    } catch {
      return context.skip('mounting a small file system needs root');
    }
    try {
      const file = path.join(disk, 'fix-journal.json');
      // About 38 KiB of settled entries: part of the next whole journal fits, not all of it.
      const settled = Array.from({ length: 110 }, (_, i) => ({
        ...(entry(edgeFacts, 'declined') as object),
        id: `${i.toString(16).padStart(8, '0')}-1111-4222-8333-444455556666`,
      }));
      await writeFile(file, journalText(settled));
      const before = await readFile(file, 'utf8');
      const { d, runner, elevated } = deps(edgeRecordings(), { journalFile: file });
      const outcome = await applyFix(edgePlan(), d);
      expect(outcome.message).toMatch(
        /^Nothing was changed: the fix journal could not be written \(ENOSPC\)/,
      );
      expect(elevated).toEqual([]);
      expect(runner.calls).toEqual([]);
      expect(await readFile(file, 'utf8')).toBe(before);
      expect((await readdir(disk)).sort()).toEqual(['fix-journal.json']);
    } finally {
      await run('umount', [disk], { timeout: 10_000 });
    }
  });

  it('an undo on a full disk runs nothing, so it can never run twice unrecorded', async () => {
    await writeFile(journalFile, journalText([entry(edgeFacts)]));
    const before = await readFile(journalFile, 'utf8');
    const { d, runner } = deps(edgeRecordings(), { journalIo: failingWrites(1) });
    const outcome = await undoFix(ID, d);
    expect(outcome.status).toBe('failed');
    expect(outcome.message).toMatch(/^Nothing was changed: the fix journal could not be written/);
    expect(runner.calls).toEqual([]);
    expect(await readFile(journalFile, 'utf8')).toBe(before);
  });

  it.each([
    ['corrupt', '{"format":"stream-doctor-fix-journal","version":2,"entries":[', /not JSON/],
    [
      'newer',
      JSON.stringify({ format: JOURNAL_FORMAT, version: 3, entries: [] }),
      /newer Stream Doctor \(journal version 3\)/,
    ],
    ['older', JSON.stringify({ version: 1, entries: [] }), /earlier Stream Doctor/],
  ])(
    'a %s journal is kept aside with a timestamp, never overwritten, and said so',
    async (why, text, reason) => {
      await writeFile(journalFile, text);
      const { d } = deps(edgeRecordings());
      const outcome = await applyFix(edgePlan(), d);
      expect(outcome.status).toBe('applied');
      expect(outcome.message).toMatch(reason);
      const aside = `fix-journal.${why}-2026-01-02T03-04-05-000Z.json`;
      expect(outcome.message).toContain(`It was kept as ${aside}`);
      expect(await readFile(path.join(dir, aside), 'utf8')).toBe(text);
      expect(await states()).toEqual(['applied']);
    },
  );

  it('a folder in the journal’s place is kept aside too', async () => {
    await mkdir(path.join(journalFile, 'inside'), { recursive: true });
    const snapshot = await readJournal(journalFile, { now: () => NOW });
    expect(snapshot.notices[0]).toMatch(
      /a folder is in its place.*fix-journal\.corrupt-2026-01-02T03-04-05-000Z\.json/,
    );
    expect((await readdir(dir)).sort()).toEqual(['fix-journal.corrupt-2026-01-02T03-04-05-000Z.json']);
  });

  it('four fixes at once leave four entries', async () => {
    await Promise.all(
      ['TCP', 'UDP', 'a', 'b'].map((_, i) =>
        recordIntent(journalFile, { ...edgeFacts, ruleName: `Rule ${i}` } as never),
      ),
    );
    expect(await states()).toEqual(['applying', 'applying', 'applying', 'applying']);
  });

  it('two processes writing at the same time lose no entry (cross-process lock)', async () => {
    const child = fileURLToPath(new URL('./test-support/journal-writer.mts', import.meta.url));
    const other = run(process.execPath, ['--import', 'tsx', child, journalFile, '4'], {
      timeout: 60_000,
      windowsHide: true,
      maxBuffer: 1024 * 1024,
    });
    await Promise.all(
      [0, 1, 2, 3].map((i) => recordIntent(journalFile, { ...edgeFacts, ruleName: `Parent ${i}` } as never)),
    );
    await other;
    const names = (await readJournal(journalFile)).records.map((r) =>
      r.readable && r.entry.facts.fixId === 'disable-blocking-rule' ? r.entry.facts.ruleName : '?',
    );
    expect(names.sort()).toEqual(
      ['Child 0', 'Child 1', 'Child 2', 'Child 3', 'Parent 0', 'Parent 1', 'Parent 2', 'Parent 3'].sort(),
    );
  }, 60_000);
});

it('keeps the last 100 settled entries as history, and every open or unreadable one', async () => {
  const settled = Array.from({ length: 105 }, (_, i) => ({
    ...(entry(edgeFacts, 'undone') as object),
    id: `${i.toString(16).padStart(8, '0')}-1111-4222-8333-444455556666`,
  }));
  const open = { ...(entry(edgeFacts, 'applied') as object), id: 'ffffffff-1111-4222-8333-444455556666' };
  const unreadable = entry({ fixId: 'nope' });
  await writeFile(journalFile, journalText([open, ...settled, unreadable]));
  await recordIntent(journalFile, edgeFacts as never);
  const records = (await readJournal(journalFile)).records;
  expect(records).toHaveLength(1 + 100 + 1 + 1);
  expect(records[0]).toMatchObject({ readable: true, entry: { state: 'applied' } });
  expect(records[1]).toMatchObject({ entry: { id: '00000005-1111-4222-8333-444455556666' } });
  expect(records.at(-2)).toMatchObject({ readable: false });
  expect(records.at(-1)).toMatchObject({ entry: { state: 'applying' } });
});

it('entries are typed facts on disk, nothing else', async () => {
  const { d } = deps(edgeRecordings());
  await applyFix(edgePlan(), d);
  const stored = JSON.parse(await readFile(journalFile, 'utf8')) as { entries: JournalEntry[] };
  expect(Object.keys(stored.entries[0] ?? {}).sort()).toEqual([
    'facts',
    'id',
    'recordedAt',
    'state',
    'updatedAt',
  ]);
  expect(stored.entries[0]?.facts).toEqual(edgeFacts);
  expect(realUpdated).toContain('Updated 1 rule(s).');
});

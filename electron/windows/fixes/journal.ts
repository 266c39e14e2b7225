// The journal of fixes, on disk, so that undo still works after the app or Windows restarted. Every change
// is a read-modify-write under a cross-process lock (proper-lockfile), written atomically (electron/storage/durable-write.ts:
// temporary file, flush, rename), so four fixes at once leave four entries and a full disk leaves the old
// journal whole. A journal this version cannot read (corrupt, another format, a newer version, a folder in
// its place) is renamed aside with a timestamp — never overwritten — and said so.
import { randomUUID } from 'node:crypto';
import { mkdir, readFile, rename } from 'node:fs/promises';
import path from 'node:path';
import { lock } from 'proper-lockfile';
import { buildPlan } from './catalogue';
import { writeFileDurably } from '../../storage/durable-write';
import { checkEntry, JOURNAL_FORMAT, JOURNAL_VERSION, sanitizeText } from './journal-schema';
import type { FixFacts, JournalEntry, JournalState } from './types';

/** The file operations the journal uses; tests inject failures (a full disk) here. */
export interface JournalIo {
  readFile(file: string): Promise<string>;
  writeAtomic(file: string, text: string): Promise<void>;
  rename(from: string, to: string): Promise<void>;
  mkdir(dir: string): Promise<void>;
  lock(file: string): Promise<() => Promise<void>>;
}

export const NODE_JOURNAL_IO: JournalIo = {
  readFile: (file) => readFile(file, 'utf8'),
  writeAtomic: (file, text) => writeFileDurably(file, text),
  rename: (from, to) => rename(from, to),
  mkdir: async (dir) => {
    await mkdir(dir, { recursive: true });
  },
  // The lock is a `<journal>.lock` folder (mkdir is atomic on every file system); a holder that died leaves
  // it stale after 10 s.
  lock: (file) =>
    lock(file, {
      realpath: false,
      stale: 10_000,
      retries: { retries: 60, factor: 1.3, minTimeout: 10, maxTimeout: 250 },
    }),
};

export interface JournalOptions {
  io?: JournalIo;
  now?: () => Date;
}

/** The journal could not be read or written; nothing was changed on the computer because of it. */
export class JournalWriteError extends Error {
  override name = 'JournalWriteError';
}

export type JournalRecord =
  { readable: true; entry: JournalEntry } | { readable: false; id: string | null; reason: string };

export interface JournalSnapshot {
  records: JournalRecord[];
  /** Things the person should know: a journal kept aside, and why. */
  notices: string[];
}

interface Loaded {
  /** Entries as stored: unreadable ones are kept as they are, never dropped. */
  raw: unknown[];
  notices: string[];
}

const describeError = (error: unknown): string =>
  (error as NodeJS.ErrnoException).code ?? (error instanceof Error ? error.message : String(error));

const stamp = (when: Date): string => when.toISOString().replace(/[:.]/g, '-');

/** `fix-journal.json` → `fix-journal.<why>-<time>.json`, next to it. */
export function asideName(file: string, why: string, when: Date): string {
  const ext = path.extname(file);
  return path.join(path.dirname(file), `${path.basename(file, ext)}.${why}-${stamp(when)}${ext}`);
}

type Verdict =
  { ok: true; raw: unknown[] } | { ok: false; why: 'corrupt' | 'older' | 'newer'; reason: string };

/** Pure: is this text a journal this version reads? */
export function judgeJournalText(text: string): Verdict {
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch (error) {
    return { ok: false, why: 'corrupt', reason: `it is not JSON (${sanitizeText(describeError(error))})` };
  }
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) {
    return { ok: false, why: 'corrupt', reason: 'it is not a Stream Doctor fix journal' };
  }
  const { format, version, entries } = parsed as Record<string, unknown>;
  if (format === undefined && version === 1 && Array.isArray(entries)) {
    return {
      ok: false,
      why: 'older',
      reason: 'it was written by an earlier Stream Doctor, in a format that stored commands',
    };
  }
  if (format !== JOURNAL_FORMAT || typeof version !== 'number' || !Number.isInteger(version)) {
    return { ok: false, why: 'corrupt', reason: 'it is not a Stream Doctor fix journal' };
  }
  if (version > JOURNAL_VERSION) {
    return {
      ok: false,
      why: 'newer',
      reason: `it was written by a newer Stream Doctor (journal version ${version})`,
    };
  }
  if (version !== JOURNAL_VERSION || !Array.isArray(entries)) {
    return { ok: false, why: 'corrupt', reason: 'it is not a Stream Doctor fix journal' };
  }
  return { ok: true, raw: entries };
}

/** Pure: every stored entry, checked; a repeated id is unreadable from its second appearance on. */
export function recordsOf(raw: readonly unknown[]): JournalRecord[] {
  const seen = new Set<string>();
  return raw.map((item): JournalRecord => {
    const checked = checkEntry(item);
    const rawId = (item as { id?: unknown } | null)?.id;
    const id = typeof rawId === 'string' ? sanitizeText(rawId, 40) : null;
    if (!checked.ok) return { readable: false, id, reason: checked.reason };
    // The schema checks shapes; the catalogue's validators check values, as for a fresh fix.
    const built = buildPlan(checked.entry.facts);
    if (!built.ok) return { readable: false, id, reason: built.reason };
    if (seen.has(checked.entry.id)) return { readable: false, id, reason: 'the same id appears twice' };
    seen.add(checked.entry.id);
    return { readable: true, entry: checked.entry };
  });
}

async function load(file: string, io: JournalIo, now: Date): Promise<Loaded> {
  let text: string;
  try {
    text = await io.readFile(file);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'ENOENT') return { raw: [], notices: [] };
    if (code !== 'EISDIR') {
      throw new JournalWriteError(`the fix journal could not be read (${describeError(error)})`);
    }
    return setAside(file, io, now, 'corrupt', 'a folder is in its place');
  }
  const verdict = judgeJournalText(text);
  if (verdict.ok) return { raw: verdict.raw, notices: [] };
  return setAside(file, io, now, verdict.why, verdict.reason);
}

async function setAside(
  file: string,
  io: JournalIo,
  now: Date,
  why: string,
  reason: string,
): Promise<Loaded> {
  const aside = asideName(file, why, now);
  try {
    await io.rename(file, aside);
  } catch (error) {
    throw new JournalWriteError(
      `the fix journal could not be read (${reason}) nor kept aside (${describeError(error)})`,
    );
  }
  return {
    raw: [],
    notices: [
      `The fix journal could not be read (${reason}). It was kept as ${path.basename(aside)} and a new one was started; changes listed only there are not offered for undo.`,
    ],
  };
}

async function write(file: string, raw: readonly unknown[], io: JournalIo): Promise<void> {
  const document = { format: JOURNAL_FORMAT, version: JOURNAL_VERSION, entries: raw };
  try {
    await io.writeAtomic(file, `${JSON.stringify(document, null, 2)}\n`);
  } catch (error) {
    throw new JournalWriteError(`the fix journal could not be written (${describeError(error)})`);
  }
}

/** Runs `work` on the loaded journal under the lock; writes what it returns (if anything). */
async function locked<T>(
  file: string,
  options: JournalOptions,
  work: (loaded: Loaded) => { raw?: unknown[]; value: T },
): Promise<T & { notices: string[] }> {
  const io = options.io ?? NODE_JOURNAL_IO;
  const now = options.now?.() ?? new Date();
  let release: () => Promise<void>;
  try {
    await io.mkdir(path.dirname(file));
    release = await io.lock(file);
  } catch (error) {
    throw new JournalWriteError(`the fix journal could not be locked (${describeError(error)})`);
  }
  try {
    const loaded = await load(file, io, now);
    const result = work(loaded);
    if (result.raw) await write(file, result.raw, io);
    return { ...result.value, notices: loaded.notices };
  } finally {
    await release().catch(() => undefined);
  }
}

export async function readJournal(file: string, options: JournalOptions = {}): Promise<JournalSnapshot> {
  return locked(file, options, (loaded) => ({ value: { records: recordsOf(loaded.raw) } }));
}

/** Settled entries kept as history; older ones go, so the journal stays small. Open and unreadable ones stay. */
export const MAX_SETTLED_ENTRIES = 100;
const SETTLED: readonly JournalState[] = ['declined', 'rolled-back', 'undone'];

/** Pure: the stored entries without the oldest settled ones beyond MAX_SETTLED_ENTRIES. */
export function pruneSettled(raw: readonly unknown[]): unknown[] {
  const records = recordsOf(raw);
  const settled = records.flatMap((record, index) =>
    record.readable && SETTLED.includes(record.entry.state) ? [index] : [],
  );
  const drop = new Set(settled.slice(0, Math.max(0, settled.length - MAX_SETTLED_ENTRIES)));
  return raw.filter((_, index) => !drop.has(index));
}

/** Records a change before it runs (state `applying`). Throws JournalWriteError when it cannot be written. */
export async function recordIntent(
  file: string,
  facts: FixFacts,
  options: JournalOptions = {},
): Promise<{ entry: JournalEntry; notices: string[] }> {
  const at = (options.now?.() ?? new Date()).toISOString();
  const entry: JournalEntry = { id: randomUUID(), facts, state: 'applying', recordedAt: at, updatedAt: at };
  return locked(file, options, (loaded) => ({ raw: [...pruneSettled(loaded.raw), entry], value: { entry } }));
}

/**
 * Moves one entry to `to` if it is readable and in one of the states `from` (a compare-and-set, so two
 * processes cannot both start the same undo). Returns the entry as it was before, or null when it was not in
 * such a state. Throws JournalWriteError when the journal cannot be written.
 */
export async function transition(
  file: string,
  id: string,
  from: readonly JournalState[],
  to: JournalState,
  options: JournalOptions = {},
): Promise<JournalEntry | null> {
  const at = (options.now?.() ?? new Date()).toISOString();
  const { before } = await locked<{ before: JournalEntry | null }>(file, options, (loaded) => {
    const records = recordsOf(loaded.raw);
    const index = records.findIndex((r) => r.readable && r.entry.id === id);
    const record = records[index];
    if (!record?.readable || !from.includes(record.entry.state)) return { value: { before: null } };
    const raw = [...loaded.raw];
    raw[index] = { ...record.entry, state: to, updatedAt: at };
    return { raw, value: { before: record.entry } };
  });
  return before;
}

// The journal of applied fixes, on disk, so that undo still works after the app or Windows restarted.
// Written whole to a temporary file and renamed over the old one: a crash never leaves half a journal.
import { randomUUID } from 'node:crypto';
import { mkdir, readFile, rename, writeFile } from 'node:fs/promises';
import path from 'node:path';
import type { JournalEntry } from './types';

interface JournalFile {
  version: 1;
  entries: JournalEntry[];
}

export async function readJournal(file: string): Promise<JournalEntry[]> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return [];
    throw error;
  }
  const parsed = JSON.parse(text) as Partial<JournalFile>;
  if (parsed.version !== 1 || !Array.isArray(parsed.entries)) {
    throw new Error(`${file} is not a Stream Doctor fix journal`);
  }
  return parsed.entries;
}

async function writeJournal(file: string, entries: JournalEntry[]): Promise<void> {
  await mkdir(path.dirname(file), { recursive: true });
  const temporary = `${file}.${randomUUID()}.tmp`;
  const content: JournalFile = { version: 1, entries };
  await writeFile(temporary, `${JSON.stringify(content, null, 2)}\n`, 'utf8');
  await rename(temporary, file);
}

export async function addJournalEntry(file: string, entry: Omit<JournalEntry, 'id'>): Promise<JournalEntry> {
  const entries = await readJournal(file);
  const stored: JournalEntry = { ...entry, id: randomUUID() };
  await writeJournal(file, [...entries, stored]);
  return stored;
}

export async function markUndone(file: string, id: string, when: Date): Promise<void> {
  const entries = await readJournal(file);
  await writeJournal(
    file,
    entries.map((entry) => (entry.id === id ? { ...entry, undoneAt: when.toISOString() } : entry)),
  );
}

// The app's own log: a bounded, in-memory list of what happened in this session (runs started and finished,
// failures), so a support bundle can say what the app did. Nothing is written to disk on its own. Messages
// are the app's own sentences plus URLs the engine already stripped of credentials.
import { stripControlCharacters } from './sanitize';
import type { AppLogEntry } from './types';

export const MAX_LOG_ENTRIES = 500;
export const MAX_LOG_MESSAGE_CHARS = 2000;

export interface AppLog {
  info(message: string): void;
  warn(message: string): void;
  error(message: string): void;
  entries(): AppLogEntry[];
}

export function createAppLog(now: () => Date = () => new Date(), maxEntries = MAX_LOG_ENTRIES): AppLog {
  const entries: AppLogEntry[] = [];
  let dropped = 0;
  const add = (level: AppLogEntry['level'], message: string): void => {
    entries.push({
      at: now().toISOString(),
      level,
      message: stripControlCharacters(message).slice(0, MAX_LOG_MESSAGE_CHARS),
    });
    // The oldest go first: the end of a session is what explains a problem.
    if (entries.length > maxEntries) {
      entries.splice(0, entries.length - maxEntries);
      dropped++;
    }
  };
  return {
    info: (message) => add('info', message),
    warn: (message) => add('warn', message),
    error: (message) => add('error', message),
    entries: () =>
      dropped > 0
        ? [
            {
              at: entries[0]?.at ?? now().toISOString(),
              level: 'warn',
              message: `(${dropped} older entries dropped)`,
            },
            ...entries,
          ]
        : [...entries],
  };
}

/** The log as the bundle stores it: one line per entry. */
export function formatAppLog(entries: readonly AppLogEntry[]): string {
  return (
    entries
      .map((e) => `${e.at} ${e.level.toUpperCase().padEnd(5)} ${e.message.replace(/\n/g, ' ')}`)
      .join('\n') + (entries.length > 0 ? '\n' : '')
  );
}

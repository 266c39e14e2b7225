// Loads the real Windows outputs kept in electron/windows/fixtures/: the first line of each file is its
// `# source: …` header, the rest is the output byte for byte.
import { readFileSync, readdirSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { decodeOutput } from '../decode';
import { withoutSourceLine } from '../replay-runner';

export const FIXTURE_DIR = fileURLToPath(new URL('../fixtures/', import.meta.url));

export function fixtureNames(): string[] {
  return readdirSync(FIXTURE_DIR)
    .filter((name) => name.endsWith('.txt'))
    .sort();
}

/** The output bytes of a fixture, without its source line. */
export function fixtureBytes(name: string): Buffer {
  return withoutSourceLine(readFileSync(FIXTURE_DIR + name));
}

/** The output text of a fixture (decoded like command output: UTF-8 first). */
export function fixtureText(name: string): string {
  return decodeOutput(fixtureBytes(name), 850).text;
}

export function fixtureSource(name: string): string {
  const bytes = readFileSync(FIXTURE_DIR + name);
  return bytes.subarray(0, bytes.indexOf(0x0a)).toString('utf8');
}

/**
 * The Japanese sample was stored by a chat logger that replaced every line break with " / "; this puts the
 * line breaks back (the reference's "reconstructed" form). Nothing else is changed.
 */
export function japaneseChatLogAsLines(text: string): string {
  return text.split(' / ').join('\r\n');
}

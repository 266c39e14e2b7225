// Reading the file an IT person was sent: regular files only, bounded, never a hang.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, truncateSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { runInspect } from './cli';
import { MAX_SAVED_OUTPUT_BYTES, readSavedOutput } from './saved-output';
import { fixtureBytes } from './test-support/fixtures';

const dir = mkdtempSync(join(tmpdir(), 'stream-doctor-saved-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function realIo() {
  const out: string[] = [];
  const err: string[] = [];
  return {
    out,
    err,
    io: { stdout: (s: string) => out.push(s), stderr: (s: string) => err.push(s), readFile: readSavedOutput },
  };
}

describe('readSavedOutput', () => {
  it('reads a regular file', async () => {
    const file = join(dir, 'rules.txt');
    writeFileSync(file, fixtureBytes('netsh-showrule-en-1.txt'));
    expect((await readSavedOutput(file)).equals(fixtureBytes('netsh-showrule-en-1.txt'))).toBe(true);
  });

  it.skipIf(process.platform === 'win32')(
    'refuses a FIFO at once instead of waiting for a writer',
    async () => {
      const fifo = join(dir, 'pipe');
      execFileSync('mkfifo', [fifo]);
      await expect(readSavedOutput(fifo)).rejects.toThrow(/not a regular file \(a FIFO\)/);
      const { io, err } = realIo();
      expect(await runInspect(['inspect', fifo], io)).toBe(2);
      expect(err.join('')).toMatch(/not a regular file/);
    },
  );

  it.skipIf(process.platform === 'win32')('refuses /dev/zero and a directory', async () => {
    await expect(readSavedOutput('/dev/zero')).rejects.toThrow(/not a regular file \(a device\)/);
    await expect(readSavedOutput(dir)).rejects.toThrow(/not a regular file \(a directory\)/);
  });

  it('refuses a file over the cap without reading it, and says what the cap is', async () => {
    const big = join(dir, 'big.txt');
    writeFileSync(big, '');
    truncateSync(big, MAX_SAVED_OUTPUT_BYTES + 1); // sparse: nothing is written to disk
    await expect(readSavedOutput(big)).rejects.toThrow(/larger than 64 MB/);
    const { io, err } = realIo();
    expect(await runInspect(['inspect', big], io)).toBe(2);
    expect(err.join('')).toMatch(/larger than 64 MB/);
  });
});

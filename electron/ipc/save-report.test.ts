import { mkdir, mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, expect, it } from 'vitest';
import { mountSmallDisk } from '../test-support/small-disk';
import { saveReport } from './save-report';

let dir: string;
beforeEach(async () => {
  dir = await mkdtemp(path.join(tmpdir(), 'stream-doctor-report-'));
});
afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

it('replaces a report in one step and leaves no temporary file', async () => {
  const file = path.join(dir, 'report.html');
  await writeFile(file, 'old report');
  expect(await saveReport(file, '<!doctype html>new')).toEqual({ saved: true, path: file });
  expect(await readFile(file, 'utf8')).toBe('<!doctype html>new');
  expect(await readdir(dir)).toEqual(['report.html']);
});

it('a full disk leaves the earlier report whole, never a truncated one', async (context) => {
  const small = await mountSmallDisk(dir);
  if (!small) return context.skip('mounting a small file system needs root');
  const disk = small.path;
  try {
    const file = path.join(disk, 'report.json');
    const earlier = `{"earlier":"${'a'.repeat(20 * 1024)}"}`;
    await writeFile(file, earlier);
    // 70 KiB do not fit on a 64 KiB disk: the write fails either way, the question is what is left.
    await expect(saveReport(file, `{"later":"${'b'.repeat(70 * 1024)}"}`)).rejects.toThrow(/ENOSPC/);
    expect(await readFile(file, 'utf8')).toBe(earlier);
    expect(await readdir(disk)).toEqual(['report.json']);
  } finally {
    await small.unmount();
  }
});

it('the real writer refuses a folder in the report’s place and leaves it alone', async () => {
  const file = path.join(dir, 'report.html');
  await mkdir(path.join(file, 'inside'), { recursive: true });
  await expect(saveReport(file, 'x')).rejects.toThrow();
  expect(await readdir(file)).toEqual(['inside']);
});

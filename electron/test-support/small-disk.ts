// A 64 KiB file system (tmpfs), so a write can really run out of space. Mounting needs root: without it the
// caller gets null and skips, saying why.
import { execFile } from 'node:child_process';
import { mkdir } from 'node:fs/promises';
import path from 'node:path';
import { promisify } from 'node:util';

const run = promisify(execFile);

export interface SmallDisk {
  path: string;
  unmount(): Promise<void>;
}

export async function mountSmallDisk(parent: string): Promise<SmallDisk | null> {
  const mountPoint = path.join(parent, 'small-disk');
  await mkdir(mountPoint);
  try {
    await run('mount', ['-t', 'tmpfs', '-o', 'size=64k', 'tmpfs', mountPoint], { timeout: 10_000 });
  } catch {
    return null;
  }
  return {
    path: mountPoint,
    unmount: async () => void (await run('umount', [mountPoint], { timeout: 10_000 })),
  };
}

import { mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { mountSmallDisk } from '../test-support/small-disk';
import { createAppLog, formatAppLog, MAX_LOG_MESSAGE_CHARS } from './app-log';
import { bundleFolder, readBounded, writeBundleFile } from './files';

describe('where a bundle goes', () => {
  const documents = '/home/user/Documents';
  it('next to the portable exe when the app is packaged and the folder is writable', async () => {
    expect(
      await bundleFolder({
        packaged: true,
        env: { PORTABLE_EXECUTABLE_DIR: '/media/usb/tools' },
        documents,
        isWritable: async () => true,
      }),
    ).toBe('/media/usb/tools');
    // A relative or unwritable folder, or a development build, goes to Documents.
    expect(
      await bundleFolder({
        packaged: true,
        env: { PORTABLE_EXECUTABLE_DIR: 'tools' },
        documents,
        isWritable: async () => true,
      }),
    ).toBe(documents);
    expect(
      await bundleFolder({
        packaged: true,
        env: { PORTABLE_EXECUTABLE_DIR: '/read-only' },
        documents,
        isWritable: async () => false,
      }),
    ).toBe(documents);
    expect(
      await bundleFolder({
        packaged: false,
        env: { PORTABLE_EXECUTABLE_DIR: '/media/usb' },
        documents,
        isWritable: async () => true,
      }),
    ).toBe(documents);
    expect(await bundleFolder({ packaged: true, env: {}, documents })).toBe(documents);
  });

  it('checks writability for real when not told', async () => {
    const dir = await mkdtemp(path.join(os.tmpdir(), 'sd-folder-'));
    expect(await bundleFolder({ packaged: true, env: { PORTABLE_EXECUTABLE_DIR: dir }, documents })).toBe(
      dir,
    );
    expect(
      await bundleFolder({
        packaged: true,
        env: { PORTABLE_EXECUTABLE_DIR: path.join(dir, 'missing') },
        documents,
      }),
    ).toBe(documents);
  });

  it('writes atomically and reads back at most the bound plus one byte', async () => {
    const dir = await mkdtemp(path.join(os.tmpdir(), 'sd-write-'));
    const file = path.join(dir, 'b.zip');
    await writeBundleFile(file, new Uint8Array([1, 2, 3, 4, 5]));
    expect([...(await readFile(file))]).toEqual([1, 2, 3, 4, 5]);
    await writeFile(file, Buffer.alloc(1000, 7));
    expect((await readBounded(file, 100)).length).toBe(101);
    expect((await readBounded(file, 5000)).length).toBe(1000);
  });
});

describe('writing a bundle', () => {
  it('on a full disk fails and leaves the earlier bundle whole, never a truncated zip', async (context) => {
    const dir = await mkdtemp(path.join(os.tmpdir(), 'stream-doctor-bundle-disk-'));
    const small = await mountSmallDisk(dir);
    if (!small) return context.skip('mounting a small file system needs root');
    try {
      const file = path.join(small.path, 'bundle.zip');
      const earlier = Buffer.alloc(20 * 1024, 1);
      await writeFile(file, earlier);
      // 70 KiB do not fit on a 64 KiB disk: the write fails either way, the question is what is left.
      await expect(writeBundleFile(file, new Uint8Array(70 * 1024).fill(2))).rejects.toThrow(/ENOSPC/);
      expect((await readFile(file)).equals(earlier)).toBe(true);
      expect(await readdir(small.path)).toEqual(['bundle.zip']);
    } finally {
      await small.unmount();
      await rm(dir, { recursive: true, force: true });
    }
  });
});

describe('the app log', () => {
  it('keeps the newest entries up to its bound, says how many were dropped, and strips control characters', () => {
    let tick = 0;
    const log = createAppLog(() => new Date(Date.UTC(2026, 0, 1, 0, 0, tick++)), 3);
    for (let i = 1; i <= 5; i++) log.info(`event ${i}`);
    log.error(`bad \u001b[31mthing\u0007 ${'x'.repeat(MAX_LOG_MESSAGE_CHARS)}`);
    const entries = log.entries();
    expect(entries.map((e) => e.message.slice(0, 14))).toEqual([
      '(3 older entri',
      'event 4',
      'event 5',
      'bad [31mthing ',
    ]);
    expect(entries.at(-1)?.message.length).toBe(MAX_LOG_MESSAGE_CHARS);
    expect(formatAppLog(entries.slice(1, 2))).toBe('2026-01-01T00:00:03.000Z INFO  event 4\n');
  });
});

// Reading a command output a remote user saved and sent. Only regular files, and at most 64 MB: a FIFO would
// wait for a writer forever, /dev/zero never ends, and real netsh dumps of the biggest machines stay far
// below the cap (5,000 verbose rules are about 4 MB).
import { constants } from 'node:fs';
import { open, stat } from 'node:fs/promises';

export const MAX_SAVED_OUTPUT_BYTES = 64 * 1024 * 1024;

const MB = 1024 * 1024;

export class SavedOutputRefused extends Error {}

function whatItIs(info: { isDirectory(): boolean; isFIFO(): boolean; isSocket(): boolean }): string {
  if (info.isDirectory()) return 'a directory';
  if (info.isFIFO()) return 'a FIFO';
  if (info.isSocket()) return 'a socket';
  return 'a device';
}

/** The bytes of a regular file of at most `maxBytes`; a clear error for anything else. */
export async function readSavedOutput(path: string, maxBytes = MAX_SAVED_OUTPUT_BYTES): Promise<Buffer> {
  const limit = `${Math.round(maxBytes / MB)} MB`;
  const before = await stat(path);
  if (!before.isFile()) throw new SavedOutputRefused(`not a regular file (${whatItIs(before)})`);
  if (before.size > maxBytes) throw new SavedOutputRefused(`the file is larger than ${limit}`);
  // O_NONBLOCK: should the path have become a FIFO since the stat, opening it must not wait for a writer.
  const handle = await open(path, constants.O_RDONLY | (constants.O_NONBLOCK ?? 0));
  try {
    const info = await handle.stat();
    if (!info.isFile()) throw new SavedOutputRefused(`not a regular file (${whatItIs(info)})`);
    // Read one byte more than allowed, so a file that grew since the stat is refused, not cut.
    const buffer = Buffer.alloc(Math.min(info.size, maxBytes) + 1);
    let length = 0;
    while (length < buffer.length) {
      const { bytesRead } = await handle.read(buffer, length, buffer.length - length, length);
      if (bytesRead === 0) break;
      length += bytesRead;
    }
    if (length > maxBytes) throw new SavedOutputRefused(`the file is larger than ${limit}`);
    return buffer.subarray(0, length);
  } finally {
    await handle.close();
  }
}

// Reading a report or bundle with a bound, writing a bundle to disk, and where the app puts it. Written durably
// (electron/storage/durable-write.ts): a half-written zip never sits under the final name, even on a full disk.
import { access, constants, open } from 'node:fs/promises';
import path from 'node:path';
import { writeFileDurably } from '../storage/durable-write';

export async function writeBundleFile(file: string, bytes: Uint8Array): Promise<void> {
  await writeFileDurably(file, bytes);
}

export interface BundleFolderContext {
  packaged: boolean;
  env: Readonly<Record<string, string | undefined>>;
  documents: string;
  /** Resolves when the folder can be written to. */
  isWritable?(folder: string): Promise<boolean>;
}

async function writable(folder: string): Promise<boolean> {
  try {
    await access(folder, constants.W_OK);
    return true;
  } catch {
    return false;
  }
}

/**
 * Next to the portable exe when it can be written (electron-builder's portable target sets
 * PORTABLE_EXECUTABLE_DIR; believed only in a packaged app), else the user's Documents folder.
 */
export async function bundleFolder(context: BundleFolderContext): Promise<string> {
  const portable = context.packaged ? context.env.PORTABLE_EXECUTABLE_DIR : undefined;
  if (portable && path.isAbsolute(portable) && (await (context.isWritable ?? writable)(portable)))
    return portable;
  return context.documents;
}

/** Reads at most `limit` bytes + 1 of a file: enough to tell "too large" without reading a huge file. */
export async function readBounded(file: string, limit: number): Promise<Uint8Array> {
  const handle = await open(file, 'r');
  try {
    const buffer = Buffer.alloc(limit + 1);
    let filled = 0;
    while (filled < buffer.length) {
      const { bytesRead } = await handle.read(buffer, filled, buffer.length - filled, filled);
      if (bytesRead === 0) break;
      filled += bytesRead;
    }
    return buffer.subarray(0, filled);
  } finally {
    await handle.close();
  }
}

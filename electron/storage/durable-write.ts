// Replacing a file so that it is always either the old one or the new one, whole: write a temporary file
// next to it, flush it to disk, rename it over the target. write-file-atomic 7 does the same but issues a
// single write() and ignores a short count — on a full disk it renames a truncated file into place (a test
// on a 64 KiB file system shows it) — so the writing here goes through FileHandle.writeFile, which writes
// until every byte is out or throws (ENOSPC).
import { randomBytes } from 'node:crypto';
import { open, rename, unlink } from 'node:fs/promises';
import path from 'node:path';

export async function writeFileDurably(file: string, data: string | Uint8Array): Promise<void> {
  const temporary = path.join(
    path.dirname(file),
    `.${path.basename(file)}.${randomBytes(6).toString('hex')}.tmp`,
  );
  let renamed = false;
  try {
    const handle = await open(temporary, 'wx');
    try {
      await handle.writeFile(data, typeof data === 'string' ? 'utf8' : undefined);
      await handle.sync();
    } finally {
      await handle.close();
    }
    await rename(temporary, file);
    renamed = true;
  } finally {
    if (!renamed) await unlink(temporary).catch(() => undefined);
  }
}

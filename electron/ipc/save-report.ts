// Writing a report the person chose to save: the earlier file stays whole until the new one is complete
// on disk (temporary file, flush, rename — storage/durable-write.ts), so a full disk or a crash never
// leaves a truncated report.
import { writeFileDurably } from '../storage/durable-write';

export type WriteText = (file: string, text: string) => Promise<void>;

export async function saveReport(
  file: string,
  content: string,
  write: WriteText = writeFileDurably,
): Promise<{ saved: true; path: string }> {
  await write(file, content);
  return { saved: true, path: file };
}

// A second process for the journal's cross-process test: records N intents at once on the journal given.
import { recordIntent } from '../journal.ts';

const [file, count] = process.argv.slice(2);
if (!file) throw new Error('usage: journal-writer <journal file> <count>');
await Promise.all(
  Array.from({ length: Number(count ?? 1) }, (_, i) =>
    recordIntent(file, {
      fixId: 'disable-blocking-rule',
      ruleName: `Child ${i}`,
      direction: 'out',
      count: 1,
    }),
  ),
);

// The README's verdict table is the decision table: same codes, same order.
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { VERDICT_TABLE } from './verdict';

const readme = readFileSync(fileURLToPath(new URL('../../README.md', import.meta.url)), 'utf8');

describe('README', () => {
  it('lists the decision table’s rows in order', () => {
    const rows = [...readme.matchAll(/^\| (\d+) +\| `([a-z-]+)` /gm)].map((m) => [Number(m[1]), m[2]]);
    expect(rows).toEqual(VERDICT_TABLE.map((row, index) => [index + 1, row.code]));
  });
});

// Electronegativity (Doyensec’s Electron security linter) exits 0 even with HIGH findings, so this gate reads
// its report and fails on any HIGH. MEDIUM findings are printed for review: the ones it reports today are
// openExternal (allow-listed https help pages only, electron/ipc/security.ts) and the preload (named functions only).
import { spawnSync } from 'node:child_process';
import { mkdirSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';

const require = createRequire(import.meta.url);
// ELECTRONEGATIVITY_ROOT lets one point the gate at another tree (to see it fail on a bad one).
const root = path.resolve(
  process.env.ELECTRONEGATIVITY_ROOT ?? path.join(path.dirname(new URL(import.meta.url).pathname), '../..'),
);
const electronVersion = require('electron/package.json').version;
const cli = path.join(
  path.dirname(require.resolve('@doyensec/electronegativity/package.json')),
  'dist/index.js',
);
const report = path.join(root, 'out', 'electronegativity.csv');
mkdirSync(path.dirname(report), { recursive: true });

// Electronegativity fetches translations and Electron's release list on every run. Our tests send nothing
// off this machine, so it runs in a network namespace of its own with no interface at all (unshare), where
// those fetches fail at once without a packet leaving. Where that isolation is not possible, the gate skips.
const isolated = spawnSync('unshare', ['--net', '--map-root-user', 'true'], { timeout: 10_000 }).status === 0;
if (!isolated) {
  console.log(
    'electronegativity skipped: cannot run it without network access here (needs Linux `unshare`).',
  );
  process.exit(0);
}
const result = spawnSync(
  'unshare',
  // The whole project at once: its global checks (navigation limits, CSP…) need main and renderer together.
  // It skips node_modules by itself.
  ['--net', '--map-root-user', process.execPath, cli, '-i', root, '-e', electronVersion, '-o', report],
  { encoding: 'utf8', timeout: 180_000, windowsHide: true },
);
if (result.status !== 0) {
  console.error(`electronegativity did not run: ${result.error?.message ?? result.stderr}`);
  process.exit(1);
}

// Its CSV is not always well-formed (a multi-line CSP sample loses the start of its row), so records are cut
// at the wiki link that ends each of them, and the severity is the first severity word in the record.
const text = readFileSync(report, 'utf8');
const END = /,https:\/\/github\.com\/doyensec\/electronegativity\/wiki\/([A-Z_]+)\r?\n?/g;
const rows = [];
let start = text.indexOf('\n') + 1;
for (const match of text.matchAll(END)) {
  const record = text.slice(start, match.index);
  start = match.index + match[0].length;
  const severity = record.match(/"(HIGH|MEDIUM|LOW|INFORMATIONAL)"/)?.[1] ?? 'UNKNOWN';
  const where = record.match(/"(HIGH|MEDIUM|LOW|INFORMATIONAL)","[A-Z]+","([^"]*)","([^"]*)"/);
  rows.push({ check: match[1], severity, file: where?.[2] ?? '?', location: where?.[3] ?? '?' });
}
// A record whose severity was lost fails the gate, unless its check can only be LOW/MEDIUM (the CSP review).
const high = rows.filter(
  (row) => row.severity === 'HIGH' || (row.severity === 'UNKNOWN' && row.check !== 'CSP_GLOBAL_CHECK'),
);
for (const row of rows) {
  const file = row.file.startsWith(root) ? path.relative(root, row.file) : row.file;
  console.log(`${row.severity.padEnd(8)} ${row.check}  ${file}:${row.location}`);
}
console.log(`electronegativity (Electron ${electronVersion}): ${rows.length} findings, ${high.length} HIGH`);
process.exit(high.length > 0 ? 1 : 0);

// `npm start`: build the app, make sure the Electron runtime is there, and start it. Electron's npm package
// fetches its binary on first start; where that download cannot happen we say so plainly and point at the CLI.
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';

const require = createRequire(import.meta.url);
const electronDir = path.dirname(require.resolve('electron/package.json'));

function electronBinary() {
  if (process.env.ELECTRON_OVERRIDE_DIST_PATH) {
    const candidate = path.join(
      process.env.ELECTRON_OVERRIDE_DIST_PATH,
      process.platform === 'win32' ? 'electron.exe' : 'electron',
    );
    return existsSync(candidate) ? candidate : null;
  }
  const pathFile = path.join(electronDir, 'path.txt');
  if (!existsSync(pathFile)) return null;
  const binary = path.join(electronDir, 'dist', readFileSync(pathFile, 'utf8').trim());
  return existsSync(binary) ? binary : null;
}

function run(command, args) {
  return spawnSync(command, args, { stdio: 'inherit', windowsHide: true }).status ?? 1;
}

const npx = process.platform === 'win32' ? 'npx.cmd' : 'npx';
if (run(npx, ['electron-vite', 'build']) !== 0) {
  console.error('\nThe build failed (see above). Run `npm ci` and try again.');
  process.exit(1);
}

let binary = electronBinary();
if (!binary) {
  console.log('Fetching the Electron runtime (first start only, about 100 MB)…');
  const download = spawnSync(process.execPath, [path.join(electronDir, 'install.js')], {
    encoding: 'utf8',
    timeout: 10 * 60_000,
    windowsHide: true,
  });
  binary = electronBinary();
  if (!binary) {
    // Keep the error's own words, not its stack frames.
    const reason =
      `${download.stderr ?? ''}\n${download.stdout ?? ''}`
        .split('\n')
        .map((line) => line.trim())
        .filter((line) => line && !line.startsWith('at ') && !line.startsWith('Downloading'))
        .slice(0, 2)
        .join(' — ') || (download.error ? download.error.message : 'no reason given');
    console.error(`
Stream Doctor cannot open its window: the Electron runtime is not installed and could not be downloaded.
  Reason: ${reason.slice(0, 300)}

What you can do:
  1. Connect to the internet (or set HTTPS_PROXY if you are behind a proxy) and run \`npm start\` again.
  2. Or point ELECTRON_OVERRIDE_DIST_PATH at a folder holding an Electron 45 runtime you already have.
  3. Meanwhile, the same diagnosis runs in the terminal, no window needed:
       npm run diagnose -- mms://media.example.org/live
`);
    process.exit(1);
  }
}

const child = spawn(binary, ['.', ...process.argv.slice(2)], { stdio: 'inherit', windowsHide: false });
child.on('exit', (code) => process.exit(code ?? 1));

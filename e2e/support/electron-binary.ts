// Where the Electron runtime would be. Its npm package downloads the binary on first start, which cannot
// happen on machines without internet access (such as CI here): then the _electron project is skipped.
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';

const ELECTRON_DIR = path.resolve(__dirname, '..', '..', 'node_modules', 'electron');

export function electronBinary(): string | null {
  const override = process.env.ELECTRON_OVERRIDE_DIST_PATH;
  if (override) {
    const candidate = path.join(override, process.platform === 'win32' ? 'electron.exe' : 'electron');
    return existsSync(candidate) ? candidate : null;
  }
  const pathFile = path.join(ELECTRON_DIR, 'path.txt');
  if (!existsSync(pathFile)) return null;
  const binary = path.join(ELECTRON_DIR, 'dist', readFileSync(pathFile, 'utf8').trim());
  return existsSync(binary) ? binary : null;
}

export function electronUnavailable(): string | null {
  if (electronBinary()) return null;
  return 'no Electron binary: node_modules/electron/dist is empty because its download needs internet access (set ELECTRON_OVERRIDE_DIST_PATH to an Electron 45 runtime to run them)';
}

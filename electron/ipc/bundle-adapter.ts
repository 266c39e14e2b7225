// The handler table's BundlePort on plain Node, with the few Electron services passed in by main.ts (the open
// dialog, "show in folder"): system facts from the Windows layer, bundles written atomically next to the
// portable exe or in Documents, a chosen file read with a bound, and the self-test's own responders.
import os from 'node:os';
import path from 'node:path';
import type { AppLog } from '../bundle/app-log';
import { BUNDLE_LIMITS } from '../bundle/read-bundle';
import { collectSystemFacts } from '../bundle/system-facts';
import { bundleFolder, readBounded, writeBundleFile } from '../bundle/files';
import { runSelfTest } from '../self-test/run-self-test';
import { createProcessRunner, type CommandRunner } from '../windows/runner';
import type { BundlePort } from './bundle-port';

export interface BundleAdapterOptions {
  log: AppLog;
  /** app.isPackaged: PORTABLE_EXECUTABLE_DIR is believed only then. */
  packaged: boolean;
  env: Readonly<Record<string, string | undefined>>;
  documentsDir: string;
  /** The open dialog; the chosen path, or null when cancelled. Main-process only. */
  chooseFile(): Promise<string | null>;
  showItemInFolder(file: string): void;
  runner?: CommandRunner;
  platform?: NodeJS.Platform;
}

export function createBundlePort(options: BundleAdapterOptions): BundlePort {
  const runner = options.runner ?? createProcessRunner();
  const platform = options.platform ?? process.platform;
  return {
    log: options.log,
    computerName: () => os.hostname(),
    systemFacts: () => collectSystemFacts({ runner, platform, computerName: os.hostname() }),
    async save(fileName, bytes) {
      const folder = await bundleFolder({
        packaged: options.packaged,
        env: options.env,
        documents: options.documentsDir,
      });
      const file = path.join(folder, path.basename(fileName));
      await writeBundleFile(file, bytes);
      return file;
    },
    showInFolder: (file) => options.showItemInFolder(file),
    async chooseFileToOpen() {
      const file = await options.chooseFile();
      if (!file) return null;
      return { name: path.basename(file), bytes: await readBounded(file, BUNDLE_LIMITS.fileBytes) };
    },
    selfTest: () => runSelfTest(),
  };
}

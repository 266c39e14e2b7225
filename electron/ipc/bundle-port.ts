// What the handler table needs for support bundles and the self-test: this computer's facts, a place to write
// a bundle, a file dialog that hands back bytes (never a path the renderer chose), "show in folder", and the
// app log. main.ts implements it with Electron's dialog and shell; the e2e harness with recordings.
import type { AppLog } from '../bundle/app-log';
import type { SystemFacts } from '../bundle/types';
import type { SelfTestResult } from '../self-test/types';

export interface ChosenFile {
  /** The name of the chosen file (shown to the person). */
  name: string;
  /** Its bytes, read with a bound: at most the bundle limit + 1, so "too large" can be told. */
  bytes: Uint8Array;
}

export interface BundlePort {
  log: AppLog;
  computerName(): string;
  systemFacts(): Promise<SystemFacts>;
  /** Writes the bundle where the app keeps them (next to the portable exe, else Documents); the full path. */
  save(fileName: string, bytes: Uint8Array): Promise<string>;
  showInFolder(path: string): void | Promise<void>;
  /** Asks which report or bundle to open; null when the person cancels. */
  chooseFileToOpen(): Promise<ChosenFile | null>;
  selfTest(): Promise<SelfTestResult>;
  now?(): Date;
}

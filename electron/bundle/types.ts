// The support bundle's shapes: what a remote user's Stream Doctor packs into one zip, and what IT staff get
// back when they open it. Plain types only (the renderer imports them through the IPC contract).
import type { Check, DiagnosisReport } from '../common/report';

/** The newest bundle layout this build writes and reads; a bundle with a higher number is refused. */
export const BUNDLE_SCHEMA_VERSION = 1;

/** The entries of a bundle, by role. The manifest lists every other entry with its SHA-256. */
export const BUNDLE_FILES = {
  manifest: 'manifest.json',
  reportJson: 'report.json',
  reportHtml: 'report.html',
  userError: 'user-error.txt',
  systemFacts: 'system-facts.json',
  appLog: 'app-log.txt',
} as const;

export interface ManifestEntry {
  name: string;
  bytes: number;
  /** Lower-case hex SHA-256 of the entry's bytes. */
  sha256: string;
}

export interface BundleManifest {
  kind: 'stream-doctor-support-bundle';
  schemaVersion: number;
  createdAt: string;
  tool: { name: string; version: string };
  /** The computer the bundle was made on (os.hostname()). */
  computerName: string;
  files: ManifestEntry[];
}

/** One group of facts about the computer, as lines of text, with the command that reads them. */
export interface FactSection {
  id: 'os' | 'wmp-version' | 'firewall-profiles' | 'firewall-rules' | 'wmserver' | 'wmserver-events';
  title: string;
  /** What an IT person would type to see the same thing. */
  command: string;
  /** `unavailable`: not Windows, or not collected; `error`: the command failed (the lines say why). */
  status: 'ok' | 'unavailable' | 'error';
  lines: string[];
}

export interface SystemFacts {
  schemaVersion: number;
  collectedAt: string;
  /** process.platform of the computer, e.g. "win32". */
  platform: string;
  computerName: string;
  sections: FactSection[];
  /** The read-only Windows checks, as the wizard shows them (all "skip" outside Windows). */
  checks: Check[];
}

export interface AppLogEntry {
  /** ISO time. */
  at: string;
  level: 'info' | 'warn' | 'error';
  message: string;
}

/** A report or bundle opened for reading: shown in the wizard, read-only. */
export interface OpenedRun {
  kind: 'bundle' | 'report';
  /** The file's base name only. */
  fileName: string;
  report: DiagnosisReport;
  /** From the bundle's manifest; null for a bare report. */
  computerName: string | null;
  /** When the bundle was made, or when the run started for a bare report. */
  createdAt: string;
  /** The error text the remote user typed, when the bundle has it. */
  userErrorText: string | null;
  systemFacts: SystemFacts | null;
  /** The app log lines of the remote run. */
  appLog: string[];
  /** Problems to show above everything: a file whose hash does not match the manifest, a missing file. */
  warnings: string[];
}

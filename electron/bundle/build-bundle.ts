// Packs one run into the support bundle: a zip (fflate) whose manifest lists every other entry with its
// size and SHA-256, so the person who opens it can tell a file that was changed on the way.
import { createHash } from 'node:crypto';
import { strToU8, zipSync, type Zippable } from 'fflate';
import type { DiagnosisReport } from '../common/report';
import { reportToHtml, reportToJson } from '../ipc/report-formats';
import { formatAppLog } from './app-log';
import {
  BUNDLE_FILES,
  BUNDLE_SCHEMA_VERSION,
  type AppLogEntry,
  type BundleManifest,
  type ManifestEntry,
  type SystemFacts,
} from './types';

export interface BundleContents {
  report: DiagnosisReport;
  /** The error text the user typed or pasted, as given; null when none. */
  userErrorText: string | null;
  systemFacts: SystemFacts;
  appLog: readonly AppLogEntry[];
  createdAt: Date;
  computerName: string;
}

export function sha256Hex(bytes: Uint8Array): string {
  return createHash('sha256').update(bytes).digest('hex');
}

/** The bundle's file name: no spaces, nothing a file system objects to, the host and the time in it. */
export function bundleFileName(report: DiagnosisReport, createdAt: Date): string {
  const host = report.target.host.replace(/[^a-z0-9.-]+/gi, '_').slice(0, 60) || 'stream';
  const stamp = createdAt
    .toISOString()
    .replace(/\.\d+Z$/, 'Z')
    .replace(/:/g, '-');
  return `stream-doctor-bundle-${host}-${stamp}.zip`;
}

export function buildBundle(contents: BundleContents): Uint8Array {
  const files: Record<string, Uint8Array> = {
    [BUNDLE_FILES.reportJson]: strToU8(reportToJson(contents.report)),
    [BUNDLE_FILES.reportHtml]: strToU8(reportToHtml(contents.report)),
    [BUNDLE_FILES.userError]: strToU8(
      contents.userErrorText && contents.userErrorText.trim() !== ''
        ? `${contents.userErrorText}\n`
        : '(no error text was given)\n',
    ),
    [BUNDLE_FILES.systemFacts]: strToU8(`${JSON.stringify(contents.systemFacts, null, 2)}\n`),
    [BUNDLE_FILES.appLog]: strToU8(formatAppLog(contents.appLog)),
  };
  const entries: ManifestEntry[] = Object.entries(files).map(([name, bytes]) => ({
    name,
    bytes: bytes.length,
    sha256: sha256Hex(bytes),
  }));
  const manifest: BundleManifest = {
    kind: 'stream-doctor-support-bundle',
    schemaVersion: BUNDLE_SCHEMA_VERSION,
    createdAt: contents.createdAt.toISOString(),
    tool: { name: contents.report.tool.name, version: contents.report.tool.version },
    computerName: contents.computerName,
    files: entries,
  };
  const zippable: Zippable = {
    [BUNDLE_FILES.manifest]: strToU8(`${JSON.stringify(manifest, null, 2)}\n`),
    ...files,
  };
  return zipSync(zippable, { level: 6, mtime: contents.createdAt });
}

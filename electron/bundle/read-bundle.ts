// Opens a support bundle (or a bare JSON report) that someone sent. Everything in it is untrusted: the zip
// is bounded before and while it is inflated (file size, entry count, bytes per entry and in total — a zip
// bomb stops at the bound, not when memory runs out), every string loses its control characters, the JSON is
// checked against a schema before anything is shown, a newer schema is refused, and a file whose SHA-256
// differs from the manifest's is flagged by name. Pure apart from hashing.
import { Unzip, UnzipInflate, type UnzipFile } from 'fflate';
import { sha256Hex } from './build-bundle';
import { sanitizeJson, stripControlCharacters } from './sanitize';
import { checkManifest, checkReport, checkSystemFacts } from './schemas';
import {
  BUNDLE_FILES,
  BUNDLE_SCHEMA_VERSION,
  type BundleManifest,
  type OpenedRun,
  type SystemFacts,
} from './types';

export const REPORT_SCHEMA_VERSION = 1;

export const BUNDLE_LIMITS = {
  /** The file as sent: a real bundle is a few hundred KB. */
  fileBytes: 16 * 1024 * 1024,
  entries: 16,
  /** One inflated entry. */
  entryBytes: 8 * 1024 * 1024,
  /** All inflated entries together. */
  totalBytes: 24 * 1024 * 1024,
  /** Compressed bytes handed to the inflater at a time: bounds what one step can produce (deflate ≤ 1032:1). */
  pushBytes: 2048,
  logLines: 2000,
} as const;

export type OpenResult = { ok: true; value: OpenedRun } | { ok: false; message: string };

const refuse = (message: string): { ok: false; message: string } => ({ ok: false, message });

const ZIP_MAGIC = [0x50, 0x4b, 0x03, 0x04];

export function isZip(bytes: Uint8Array): boolean {
  return ZIP_MAGIC.every((byte, index) => bytes[index] === byte);
}

/** A file name for display: the base name, without control characters, bounded. */
export function displayName(fileName: string): string {
  const base = fileName.split(/[\\/]/).pop() ?? '';
  return stripControlCharacters(base).slice(0, 200) || 'the file';
}

export function openReportOrBundle(bytes: Uint8Array, fileName: string): OpenResult {
  const name = displayName(fileName);
  if (bytes.length > BUNDLE_LIMITS.fileBytes) {
    return refuse(
      `${name} is ${megabytes(bytes.length)} — larger than any Stream Doctor report or bundle (at most ${megabytes(BUNDLE_LIMITS.fileBytes)}).`,
    );
  }
  if (isZip(bytes)) return openBundle(bytes, name);
  const text = decodeUtf8(bytes);
  if (/^\s*\{/.test(text)) return openBareReport(text, name);
  return refuse(`${name} is not a Stream Doctor report (.json) or support bundle (.zip).`);
}

function openBareReport(text: string, name: string): OpenResult {
  const report = parseReport(text, name);
  if (!report.ok) return report;
  return {
    ok: true,
    value: {
      kind: 'report',
      fileName: name,
      report: report.value,
      computerName: null,
      createdAt: report.value.startedAt,
      userErrorText: null,
      systemFacts: null,
      appLog: [],
      warnings: [],
    },
  };
}

function openBundle(bytes: Uint8Array, name: string): OpenResult {
  const unzipped = unzipBounded(bytes);
  if (!unzipped.ok) return refuse(`${name} cannot be opened: ${unzipped.message}`);
  const files = unzipped.value;
  const manifestBytes = files.get(BUNDLE_FILES.manifest);
  if (!manifestBytes)
    return refuse(`${name} is a zip, but not a Stream Doctor support bundle (no manifest.json).`);
  const manifest = parseManifest(decodeUtf8(manifestBytes), name);
  if (!manifest.ok) return manifest;

  const warnings: string[] = [];
  for (const entry of manifest.value.files) {
    const actual = files.get(entry.name);
    if (!actual) warnings.push(`${entry.name} is listed in the manifest but missing from the bundle.`);
    else if (sha256Hex(actual) !== entry.sha256)
      warnings.push(
        `${entry.name} does not match the SHA-256 in the manifest: it was changed after the bundle was made. Treat what it says with care.`,
      );
  }
  for (const entryName of files.keys()) {
    if (entryName !== BUNDLE_FILES.manifest && !manifest.value.files.some((f) => f.name === entryName))
      warnings.push(`${entryName} is in the bundle but not in its manifest; it was ignored.`);
  }

  const reportBytes = files.get(BUNDLE_FILES.reportJson);
  if (!reportBytes) return refuse(`${name} has no report.json: there is no run to show.`);
  const report = parseReport(decodeUtf8(reportBytes), `${name} (report.json)`);
  if (!report.ok) return report;

  let systemFacts: SystemFacts | null = null;
  const factsBytes = files.get(BUNDLE_FILES.systemFacts);
  if (factsBytes) {
    const facts = parseJson(decodeUtf8(factsBytes));
    const checked = facts.ok ? checkSystemFacts(facts.value) : facts;
    if (checked.ok) systemFacts = checked.value;
    else
      warnings.push(
        `system-facts.json could not be read (${checked.message}); the system facts are not shown.`,
      );
  }
  const userError = files.get(BUNDLE_FILES.userError);
  const log = files.get(BUNDLE_FILES.appLog);
  return {
    ok: true,
    value: {
      kind: 'bundle',
      fileName: name,
      report: report.value,
      computerName: manifest.value.computerName,
      createdAt: manifest.value.createdAt,
      userErrorText: userError ? cleanText(userError).trim() || null : null,
      systemFacts,
      appLog: log
        ? cleanText(log)
            .split('\n')
            .filter((line) => line.trim() !== '')
            .slice(0, BUNDLE_LIMITS.logLines)
        : [],
      warnings,
    },
  };
}

type Parsed<T> = { ok: true; value: T } | { ok: false; message: string };

function parseJson(text: string): Parsed<unknown> {
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch (error) {
    return refuse(
      `it is not valid JSON (${error instanceof Error ? stripControlCharacters(error.message).slice(0, 120) : 'parse error'})`,
    );
  }
  const clean = sanitizeJson(raw);
  return clean.ok ? { ok: true, value: clean.value } : refuse(clean.message);
}

function schemaVersionOf(value: unknown): number | null {
  if (typeof value !== 'object' || value === null) return null;
  const version = (value as { schemaVersion?: unknown }).schemaVersion;
  return typeof version === 'number' ? version : null;
}

function parseManifest(text: string, name: string): Parsed<BundleManifest> {
  const json = parseJson(text);
  if (!json.ok) return refuse(`${name}'s manifest.json cannot be read: ${json.message}.`);
  const version = schemaVersionOf(json.value);
  // Checked before the shape: a newer layout may look different, and saying so is the useful answer.
  if (version !== null && version > BUNDLE_SCHEMA_VERSION) {
    return refuse(
      `${name} was made by a newer Stream Doctor (bundle schema ${version}); this version reads bundle schema ${BUNDLE_SCHEMA_VERSION}. Open it with the newer Stream Doctor.`,
    );
  }
  const checked = checkManifest(json.value);
  return checked.ok
    ? checked
    : refuse(`${name}'s manifest.json is not a Stream Doctor manifest: ${checked.message}.`);
}

function parseReport(text: string, name: string): Parsed<OpenedRun['report']> {
  const json = parseJson(text);
  if (!json.ok) return refuse(`${name} cannot be read: ${json.message}.`);
  const version = schemaVersionOf(json.value);
  if (version !== null && version > REPORT_SCHEMA_VERSION) {
    return refuse(
      `${name} was written by a newer Stream Doctor (report schema ${version}); this version reads report schema ${REPORT_SCHEMA_VERSION}. Open it with the newer Stream Doctor.`,
    );
  }
  const checked = checkReport(json.value);
  return checked.ok ? checked : refuse(`${name} is not a Stream Doctor report: ${checked.message}.`);
}

/** Inflates the entries under the bounds; the first bound crossed stops everything. */
export function unzipBounded(bytes: Uint8Array): Parsed<Map<string, Uint8Array>> {
  const files = new Map<string, Uint8Array>();
  let failure: string | null = null;
  let entries = 0;
  let total = 0;
  const unzip = new Unzip((file: UnzipFile) => {
    if (failure) return;
    entries++;
    const name = stripControlCharacters(file.name).slice(0, 200);
    if (entries > BUNDLE_LIMITS.entries) {
      failure = `it holds more than ${BUNDLE_LIMITS.entries} files`;
      return;
    }
    if (files.has(name)) {
      failure = `${name} appears twice in it`;
      return;
    }
    if (file.originalSize !== undefined && file.originalSize > BUNDLE_LIMITS.entryBytes) {
      failure = `${name} would be ${megabytes(file.originalSize)} unpacked (at most ${megabytes(BUNDLE_LIMITS.entryBytes)})`;
      return;
    }
    const chunks: Uint8Array[] = [];
    let size = 0;
    files.set(name, new Uint8Array(0));
    file.ondata = (error, chunk, final) => {
      if (failure) return;
      if (error) {
        failure = `${name} is damaged (${error.message})`;
        return;
      }
      size += chunk.length;
      total += chunk.length;
      // The sizes in a zip's headers are claims; the bytes actually inflated are what count.
      if (size > BUNDLE_LIMITS.entryBytes) {
        failure = `${name} unpacks to more than ${megabytes(BUNDLE_LIMITS.entryBytes)}`;
        return;
      }
      if (total > BUNDLE_LIMITS.totalBytes) {
        failure = `its files unpack to more than ${megabytes(BUNDLE_LIMITS.totalBytes)} together`;
        return;
      }
      chunks.push(chunk);
      if (final) files.set(name, concat(chunks, size));
    };
    try {
      file.start();
    } catch (error) {
      failure = `${name} uses a compression this app does not read (${error instanceof Error ? error.message : 'unknown'})`;
    }
  });
  unzip.register(UnzipInflate);
  try {
    for (let offset = 0; offset < bytes.length && !failure; offset += BUNDLE_LIMITS.pushBytes) {
      const end = Math.min(offset + BUNDLE_LIMITS.pushBytes, bytes.length);
      unzip.push(bytes.subarray(offset, end), end === bytes.length);
    }
  } catch (error) {
    failure ??= `it is not a valid zip (${error instanceof Error ? error.message : 'unknown error'})`;
  }
  if (failure) return refuse(failure);
  if (files.size === 0) return refuse('it is an empty zip');
  return { ok: true, value: files };
}

function concat(chunks: Uint8Array[], size: number): Uint8Array {
  const out = new Uint8Array(size);
  let offset = 0;
  for (const chunk of chunks) {
    out.set(chunk, offset);
    offset += chunk.length;
  }
  return out;
}

function decodeUtf8(bytes: Uint8Array): string {
  return new TextDecoder('utf-8', { fatal: false }).decode(bytes);
}

function cleanText(bytes: Uint8Array): string {
  return stripControlCharacters(decodeUtf8(bytes));
}

function megabytes(bytes: number): string {
  return `${(bytes / (1024 * 1024)).toFixed(bytes < 1024 * 1024 ? 2 : 1)} MB`;
}

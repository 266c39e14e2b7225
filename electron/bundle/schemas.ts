// JSON schemas for what a bundle holds, checked with ajv before anything of it is shown. Tolerant where the
// report may grow (unknown fields and new verdict codes pass, as later schema-1 reports add them), strict
// where the app relies on a shape (statuses, tiers, the numbers it formats).
import Ajv, { type ErrorObject, type ValidateFunction } from 'ajv';
import type { DiagnosisReport, VerdictCode } from '../common/report';
import type { BundleManifest, SystemFacts } from './types';

/** The verdicts this build can show; a report with another one came from a newer build. */
const VERDICT_CODES: Record<VerdictCode, true> = {
  ok: true,
  'use-rtsp': true,
  'use-http': true,
  'mms-only-server': true,
  'not-a-streaming-server': true,
  'non-wms-rtsp-server': true,
  'stream-not-found': true,
  'auth-required': true,
  'access-denied': true,
  'server-unavailable': true,
  redirected: true,
  'ports-filtered': true,
  'ports-closed': true,
  'dns-failed': true,
  'dns-mismatch': true,
  'host-unreachable': true,
  inconclusive: true,
};

const text = { type: 'string', maxLength: 200_000 } as const;
const shortText = { type: 'string', maxLength: 4096 } as const;
const nullableText = { type: ['string', 'null'], maxLength: 200_000 } as const;
const count = { type: 'number', minimum: 0 } as const;

const check = {
  type: 'object',
  required: ['id', 'tier', 'title', 'status', 'summary', 'command'],
  properties: {
    id: shortText,
    tier: { enum: ['simple', 'moderate', 'advanced'] },
    title: shortText,
    status: { enum: ['pass', 'fail', 'warn', 'skip', 'error'] },
    summary: text,
    command: text,
    evidence: text,
  },
} as const;

const probe = {
  type: 'object',
  required: ['protocol', 'port', 'reachability', 'speaks', 'detail', 'durationMs'],
  properties: {
    protocol: shortText,
    port: { type: 'integer', minimum: 0, maximum: 65535 },
    reachability: shortText,
    speaks: { type: 'boolean' },
    server: nullableText,
    status: { type: ['integer', 'null'] },
    detail: text,
    durationMs: count,
  },
} as const;

// What the follow layer adds (electron/engine/follow.ts); the verdict card's followed section lists it.
const followedVerdict = {
  type: ['object', 'null'],
  required: ['code', 'summary'],
  properties: {
    code: { type: 'string', pattern: '^[a-z0-9][a-z0-9-]{0,63}$' },
    summary: text,
    suggestedUrl: nullableText,
  },
} as const;

const redirects = {
  type: 'array',
  maxItems: 64,
  items: {
    type: 'object',
    required: ['from', 'to', 'status'],
    properties: { from: text, to: text, status: { type: ['integer', 'null'] } },
  },
} as const;

const playlist = {
  type: ['object', 'null'],
  required: ['url', 'format', 'entries', 'rejected', 'truncated'],
  properties: {
    url: text,
    format: { enum: ['asx', 'reference', 'm3u', 'pls', 'html'] },
    entries: {
      type: 'array',
      maxItems: 64,
      items: {
        type: 'object',
        required: ['url', 'verdict'],
        properties: { url: text, verdict: followedVerdict, untested: text },
      },
    },
    rejected: count,
    truncated: { type: 'boolean' },
  },
} as const;

export const REPORT_SCHEMA = {
  type: 'object',
  required: [
    'schemaVersion',
    'tool',
    'startedAt',
    'durationMs',
    'input',
    'target',
    'dns',
    'probes',
    'checks',
    'verdict',
  ],
  properties: {
    schemaVersion: { type: 'integer', minimum: 1 },
    tool: {
      type: 'object',
      required: ['name', 'version'],
      properties: { name: shortText, version: shortText },
    },
    startedAt: shortText,
    durationMs: count,
    input: {
      type: 'object',
      required: ['url'],
      properties: {
        url: text,
        errorCode: nullableText,
        expectIp: nullableText,
        timeoutMs: count,
      },
    },
    error: {
      type: ['object', 'null'],
      required: ['hex', 'name', 'meaning'],
      properties: { hex: shortText, name: shortText, message: text, meaning: text },
    },
    target: {
      type: 'object',
      required: ['scheme', 'host', 'port', 'path'],
      properties: {
        scheme: shortText,
        host: shortText,
        port: { type: 'integer', minimum: 0, maximum: 65535 },
        path: text,
      },
    },
    dns: {
      type: 'object',
      required: ['status', 'addresses'],
      properties: {
        status: shortText,
        addresses: { type: 'array', maxItems: 256, items: shortText },
        error: text,
      },
    },
    probes: { type: 'array', maxItems: 256, items: probe },
    knownGood: {
      type: ['object', 'null'],
      required: ['url', 'probe'],
      properties: { url: text, probe },
    },
    checks: { type: 'array', maxItems: 1000, items: check },
    verdict: {
      type: 'object',
      required: ['code', 'summary', 'reason', 'fix'],
      properties: {
        // A verdict this build does not know cannot be explained here: the message says to use a newer build.
        code: { enum: Object.keys(VERDICT_CODES) },
        summary: text,
        reason: text,
        fix: text,
        suggestedUrl: nullableText,
        adminNote: nullableText,
      },
    },
    redirects,
    playlist,
  },
} as const;

export const MANIFEST_SCHEMA = {
  type: 'object',
  required: ['kind', 'schemaVersion', 'createdAt', 'tool', 'computerName', 'files'],
  properties: {
    kind: { const: 'stream-doctor-support-bundle' },
    schemaVersion: { type: 'integer', minimum: 1 },
    createdAt: shortText,
    tool: {
      type: 'object',
      required: ['name', 'version'],
      properties: { name: shortText, version: shortText },
    },
    computerName: shortText,
    files: {
      type: 'array',
      maxItems: 64,
      items: {
        type: 'object',
        required: ['name', 'bytes', 'sha256'],
        properties: {
          name: shortText,
          bytes: { type: 'integer', minimum: 0 },
          sha256: { type: 'string', pattern: '^[0-9a-f]{64}$' },
        },
      },
    },
  },
} as const;

export const SYSTEM_FACTS_SCHEMA = {
  type: 'object',
  required: ['schemaVersion', 'collectedAt', 'platform', 'computerName', 'sections', 'checks'],
  properties: {
    schemaVersion: { type: 'integer', minimum: 1 },
    collectedAt: shortText,
    platform: shortText,
    computerName: shortText,
    sections: {
      type: 'array',
      maxItems: 64,
      items: {
        type: 'object',
        required: ['id', 'title', 'command', 'status', 'lines'],
        properties: {
          id: shortText,
          title: shortText,
          command: text,
          status: { enum: ['ok', 'unavailable', 'error'] },
          lines: { type: 'array', maxItems: 5000, items: text },
        },
      },
    },
    checks: { type: 'array', maxItems: 1000, items: check },
  },
} as const;

const ajv = new Ajv({ allErrors: false, strict: true, allowUnionTypes: true });
const validators = {
  report: ajv.compile(REPORT_SCHEMA),
  manifest: ajv.compile(MANIFEST_SCHEMA),
  facts: ajv.compile(SYSTEM_FACTS_SCHEMA),
};

export type SchemaCheck<T> = { ok: true; value: T } | { ok: false; message: string };

function checked<T>(validate: ValidateFunction, value: unknown): SchemaCheck<T> {
  if (validate(value)) return { ok: true, value: value as T };
  return { ok: false, message: describeError(validate.errors?.[0]) };
}

function describeError(error: ErrorObject | undefined): string {
  if (!error) return 'it does not have the expected shape';
  if (error.instancePath === '/verdict/code')
    return 'its verdict is one this version of Stream Doctor does not know (open it with a newer Stream Doctor)';
  const where = error.instancePath === '' ? 'the top level' : error.instancePath;
  return `${where} ${error.message ?? 'is not valid'}`.slice(0, 300);
}

export const checkReport = (value: unknown): SchemaCheck<DiagnosisReport> =>
  checked(validators.report, value);
export const checkManifest = (value: unknown): SchemaCheck<BundleManifest> =>
  checked(validators.manifest, value);
export const checkSystemFacts = (value: unknown): SchemaCheck<SystemFacts> =>
  checked(validators.facts, value);

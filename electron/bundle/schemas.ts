// JSON schemas for what a bundle holds, checked with ajv before anything of it is shown. Tolerant where the
// report may grow (unknown fields and new verdict codes pass, as later schema-1 reports add them), strict
// where the app relies on a shape (statuses, tiers, the numbers it formats).
import Ajv, { type ErrorObject, type ValidateFunction } from 'ajv';
import type { DiagnosisReport } from '../diagnosis/types';
import type { BundleManifest, SystemFacts } from './types';

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
        // New codes come with newer reports; any short kebab-case word is shown as it is.
        code: { type: 'string', pattern: '^[a-z0-9][a-z0-9-]{0,63}$' },
        summary: text,
        reason: text,
        fix: text,
        suggestedUrl: nullableText,
        adminNote: nullableText,
      },
    },
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
  const where = error.instancePath === '' ? 'the top level' : error.instancePath;
  return `${where} ${error.message ?? 'is not valid'}`.slice(0, 300);
}

export const checkReport = (value: unknown): SchemaCheck<DiagnosisReport> =>
  checked(validators.report, value);
export const checkManifest = (value: unknown): SchemaCheck<BundleManifest> =>
  checked(validators.manifest, value);
export const checkSystemFacts = (value: unknown): SchemaCheck<SystemFacts> =>
  checked(validators.facts, value);

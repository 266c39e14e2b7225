// The schema of a fix journal entry: typed facts only (never commands), checked on every read. An entry that
// fails is reported with the reason and nothing of it is used; unknown keys (including "__proto__" and
// "constructor", which JSON.parse keeps as own keys) fail, so a tampered entry cannot smuggle anything in.
import Ajv from 'ajv';
import type { JournalEntry } from './types';

export const JOURNAL_FORMAT = 'stream-doctor-fix-journal';
export const JOURNAL_VERSION = 2;

const ISO_TIME = '^\\d{4}-\\d{2}-\\d{2}T\\d{2}:\\d{2}:\\d{2}(\\.\\d{1,3})?Z$';
const UUID = '^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$';

const protocolsFacts = (fixId: string) => ({
  type: 'object',
  additionalProperties: false,
  required: ['fixId', 'protocols'],
  properties: {
    fixId: { const: fixId },
    protocols: {
      type: 'array',
      minItems: 1,
      maxItems: 2,
      uniqueItems: true,
      items: { enum: ['TCP', 'UDP'] },
    },
  },
});

const toggleFacts = (fixId: string) => ({
  type: 'object',
  additionalProperties: false,
  required: ['fixId', 'ruleName', 'direction', 'count'],
  properties: {
    fixId: { const: fixId },
    ruleName: { type: 'string', minLength: 1, maxLength: 200 },
    direction: { enum: ['in', 'out'] },
    count: { type: 'integer', minimum: 1, maximum: 64 },
  },
});

export const KNOWN_FIX_IDS = [
  'add-wms-streaming-rule',
  'remove-app-rules',
  'disable-blocking-rule',
  'enable-allow-rule',
  'start-wmserver-automatic',
  'restart-wmserver',
] as const;

const ENTRY_SCHEMA = {
  type: 'object',
  additionalProperties: false,
  required: ['id', 'facts', 'state', 'recordedAt', 'updatedAt'],
  properties: {
    id: { type: 'string', pattern: UUID },
    state: { enum: ['applying', 'applied', 'declined', 'failed', 'rolled-back', 'undoing', 'undone'] },
    recordedAt: { type: 'string', pattern: ISO_TIME },
    updatedAt: { type: 'string', pattern: ISO_TIME },
    facts: {
      type: 'object',
      required: ['fixId'],
      properties: { fixId: { enum: KNOWN_FIX_IDS } },
      discriminator: { propertyName: 'fixId' },
      oneOf: [
        protocolsFacts('add-wms-streaming-rule'),
        protocolsFacts('remove-app-rules'),
        toggleFacts('disable-blocking-rule'),
        toggleFacts('enable-allow-rule'),
        {
          type: 'object',
          additionalProperties: false,
          required: ['fixId', 'service', 'before'],
          properties: {
            fixId: { const: 'start-wmserver-automatic' },
            service: { const: 'WMServer' },
            before: {
              type: 'object',
              additionalProperties: false,
              required: ['state', 'startType'],
              properties: {
                state: { enum: ['running', 'stopped'] },
                startType: { enum: ['auto', 'demand', 'disabled'] },
              },
            },
          },
        },
        {
          type: 'object',
          additionalProperties: false,
          required: ['fixId', 'service'],
          properties: { fixId: { const: 'restart-wmserver' }, service: { const: 'WMServer' } },
        },
      ],
    },
  },
};

const ajv = new Ajv({ allErrors: false, discriminator: true, strict: true });
const validateEntry = ajv.compile<JournalEntry>(ENTRY_SCHEMA);

/** Text from the file shown as data: control characters out, bounded. */
export function sanitizeText(value: unknown, max = 80): string {
  const text = typeof value === 'string' ? value : (JSON.stringify(value) ?? String(value));
  // eslint-disable-next-line no-control-regex
  const clean = text.replace(/[\u0000-\u001f\u007f-\u009f\u200e\u200f\u202a-\u202e\u2066-\u2069]/g, ' ');
  return clean.length > max ? `${clean.slice(0, max)}…` : clean;
}

export type EntryCheck = { ok: true; entry: JournalEntry } | { ok: false; reason: string };

/** Pure: is this raw value a journal entry this version can use? */
export function checkEntry(raw: unknown): EntryCheck {
  if (typeof raw === 'object' && raw !== null && !Array.isArray(raw)) {
    const facts = (raw as { facts?: unknown }).facts;
    const fixId =
      typeof facts === 'object' && facts !== null ? (facts as { fixId?: unknown }).fixId : undefined;
    if (fixId !== undefined && !(KNOWN_FIX_IDS as readonly unknown[]).includes(fixId)) {
      return { ok: false, reason: `unknown fix "${sanitizeText(fixId)}"` };
    }
  }
  if (validateEntry(raw)) return { ok: true, entry: raw };
  const error = validateEntry.errors?.[0];
  const where = error?.instancePath ? error.instancePath.slice(1).replace(/\//g, '.') : 'entry';
  const extra =
    error?.keyword === 'additionalProperties'
      ? ` "${sanitizeText((error.params as { additionalProperty?: unknown }).additionalProperty)}"`
      : '';
  return { ok: false, reason: `${where} ${error?.message ?? 'is not valid'}${extra}` };
}

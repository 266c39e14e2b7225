// A report read back from a file (Open a report or bundle) reaches the verdict card's followed section: its
// `redirects` and `playlist` must have the shape the card relies on, or the file is refused with a message.
import { describe, expect, it } from 'vitest';
import { checkReport } from '../bundle/schemas';
import type { DiagnosisReport } from '../diagnosis/types';
import { reportSummary, reportToHtml } from '../ipc/report-formats';

const base = {
  schemaVersion: 1,
  tool: { name: 'stream-doctor', version: '0.1.0' },
  startedAt: '2026-01-01T00:00:00.000Z',
  durationMs: 10,
  input: { url: 'http://www.example.org/radio.asx', errorCode: null, expectIp: null, timeoutMs: 3000 },
  error: null,
  target: { scheme: 'http', host: 'www.example.org', port: 80, path: '/radio.asx' },
  dns: { status: 'resolved', addresses: ['192.0.2.1'] },
  probes: [],
  knownGood: null,
  checks: [],
  verdict: { code: 'use-rtsp', summary: 's', reason: 'r', fix: 'f', suggestedUrl: null, adminNote: null },
};

const followed = {
  redirects: [{ from: 'http://www.example.org/radio', to: 'http://www.example.org/radio.asx', status: 302 }],
  playlist: {
    url: 'http://www.example.org/radio.asx',
    format: 'asx',
    rejected: 0,
    truncated: false,
    entries: [
      { url: 'mms://streamhost/live', verdict: base.verdict },
      { url: 'mms://backup/live', verdict: null, untested: 'it did not finish within the time bound' },
    ],
  },
};

describe('a saved report with redirects and a playlist', () => {
  it('is accepted as the follow layer writes it, and without those fields (older reports)', () => {
    expect(checkReport({ ...base, ...followed }).ok).toBe(true);
    expect(checkReport(base).ok).toBe(true);
    expect(checkReport({ ...base, redirects: [], playlist: null }).ok).toBe(true);
  });

  it.each([
    ['redirects that are not a list', { redirects: 'http://x' }],
    ['a hop without its target', { redirects: [{ from: 'http://a/', status: 302 }] }],
    ['a playlist format the card does not know', { playlist: { ...followed.playlist, format: 'exe' } }],
    ['entries that are not a list', { playlist: { ...followed.playlist, entries: {} } }],
    [
      'an entry verdict without a summary',
      { playlist: { ...followed.playlist, entries: [{ url: 'x', verdict: { code: 'ok' } }] } },
    ],
  ])('refuses %s', (_what, broken) => {
    expect(checkReport({ ...base, ...broken }).ok).toBe(false);
  });
});

describe('the exported summary and page', () => {
  it('name the redirects and each playlist entry, with server text escaped in the page', () => {
    const hostile = {
      ...followed.playlist,
      entries: [
        { url: 'mms://streamhost/live', verdict: { ...base.verdict, summary: '<script>alert(1)</script>' } },
      ],
    };
    const report = { ...base, ...followed, playlist: hostile, checks: [] } as unknown as DiagnosisReport;
    const summary = reportSummary(report);
    expect(summary).toContain('Redirects followed:');
    expect(summary).toContain('http://www.example.org/radio → (302) http://www.example.org/radio.asx');
    expect(summary).toContain('The playlist at http://www.example.org/radio.asx, each stream entry tested:');
    const html = reportToHtml(report);
    expect(html).toContain('Where the address led');
    expect(html).toContain('mms://streamhost/live: use-rtsp — &lt;script&gt;');
    expect(html).not.toContain('<script>');
  });
});

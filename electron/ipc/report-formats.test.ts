import { describe, expect, it } from 'vitest';
import type { DiagnosisReport } from '../diagnosis/types';
import { sampleReport } from '../bundle/test-support/sample-report';
import { hasSteeringCharacters } from '../common/server-text';
import { escapeHtml, reportFileName, reportSummary, reportToHtml, reportToJson } from './report-formats';

const hostile = '<script>alert("x")</script>';

// The bundle tests' sample report, with what the network said made hostile and checks that carry it.
const sample = sampleReport();
const report: DiagnosisReport = sampleReport({
  startedAt: '2025-03-04T05:06:07.890Z',
  probes: [{ ...sample.probes[0]!, server: `WMServer ${hostile}` }],
  checks: [
    sample.checks[0]!,
    {
      id: 'port-1755',
      tier: 'moderate',
      title: 'TCP port 1755 (MMS)',
      status: 'warn',
      summary: 'Closed.',
      command: '',
      evidence: hostile,
    },
    {
      id: 'wire-mms-1755',
      tier: 'advanced',
      title: 'On the wire',
      status: 'fail',
      summary: 'Line one\n  line two',
      command: 'x',
    },
  ],
  verdict: {
    code: 'use-rtsp',
    summary: 'Use rtsp://media.example.org/live — the server answers over RTSP but not over MMS.',
    reason: 'MMS on port 1755 is refused.',
    fix: 'Open the rtsp:// address.',
    suggestedUrl: 'rtsp://media.example.org/live',
    adminNote: 'Publish rtsp:// links.',
  },
});

describe('report formats', () => {
  it('JSON is the report itself, schemaVersion 1', () => {
    expect(JSON.parse(reportToJson(report))).toEqual(report);
  });

  it('HTML escapes everything the network said and carries no script', () => {
    const html = reportToHtml(report);
    expect(html).not.toContain(hostile);
    expect(html).toContain(escapeHtml(hostile));
    expect(html).not.toMatch(/<script/i);
    expect(html).toContain("default-src 'none'");
    expect(html).toContain('Verdict: Use rtsp://media.example.org/live');
    expect(html).toContain('<code>rtsp://media.example.org/live</code>');
    for (const tier of ['Simple checks', 'Moderate checks', 'Advanced checks']) expect(html).toContain(tier);
    expect(html.match(/<li class="check /g)).toHaveLength(3);
    expect(html).toContain('0xC00D2EFA NS_E_MMS_NOT_SUPPORTED');
  });

  it('summary: verdict, tested URL and only the checks that need attention, one line each', () => {
    const summary = reportSummary(report);
    expect(summary).toContain('Verdict (use-rtsp): Use rtsp://media.example.org/live');
    expect(summary).toContain('Tested address: rtsp://media.example.org/live');
    expect(summary).toContain('player error 0xC00D2EFA NS_E_MMS_NOT_SUPPORTED');
    expect(summary).toContain('- [Warning] TCP port 1755 (MMS): Closed.');
    expect(summary).toContain('- [Fail] On the wire: Line one line two');
    expect(summary).not.toContain('The stream over RTSP');
  });

  it('a last guard: control and bidi characters that reached a report go before it is written out', () => {
    // As if a firewall rule name read from a file, or a server's words, had slipped through unguarded.
    const steering = 'rule\x1b[2J\x1b]0;pwned\x07\u202Eexe.gnp\x00\rX';
    const dirty: DiagnosisReport = {
      ...report,
      probes: [{ ...report.probes[0]!, server: steering, evidence: { sent: 'OPTIONS', received: steering } }],
      checks: report.checks.map((c) => ({ ...c, title: `${c.title} ${steering}`, summary: steering })),
      verdict: { ...report.verdict, summary: steering, adminNote: steering },
    };
    const lines = [...reportSummary(dirty).split('\n'), ...reportToHtml(dirty).split('\n')];
    for (const line of lines)
      expect(hasSteeringCharacters(line), JSON.stringify(line).slice(0, 120)).toBe(false);
    const json = reportToJson(dirty);
    expect(json).not.toMatch(/\\u00(0|1|7f|8|9)|\\r(?!\\n)|\u202e/i);
    expect(json).toContain('pwned');
    expect(reportSummary(dirty)).toContain('pwned');
  });

  it('file names have no spaces or colons', () => {
    expect(reportFileName(report, 'html')).toBe('stream-doctor-media.example.org-2025-03-04T05-06-07Z.html');
    expect(reportFileName({ ...report, target: { ...report.target, host: 'fe80::1' } }, 'json')).toBe(
      'stream-doctor-fe80_1-2025-03-04T05-06-07Z.json',
    );
  });
});

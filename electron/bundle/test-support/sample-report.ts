// A schema-1 report as the engine writes it, for the bundle tests: an mms:// address whose server answers
// only RTSP (the use-rtsp verdict), with one Windows check.
import type { DiagnosisReport } from '../../common/report';

export function sampleReport(overrides: Partial<DiagnosisReport> = {}): DiagnosisReport {
  return {
    schemaVersion: 1,
    tool: { name: 'stream-doctor', version: '0.1.0' },
    startedAt: '2026-03-04T05:06:07.890Z',
    durationMs: 3012,
    input: { url: 'mms://media.example.org/live', errorCode: '0xC00D2EFA', expectIp: null, timeoutMs: 3000 },
    error: {
      value: 0xc00d2efa,
      hex: '0xC00D2EFA',
      name: 'NS_E_MMS_NOT_SUPPORTED',
      message: 'MMS is not supported.',
      meaning: 'The player no longer speaks MMS.',
    },
    target: { scheme: 'mms', host: 'media.example.org', port: 1755, path: '/live' },
    dns: { status: 'resolved', addresses: ['192.0.2.10'], durationMs: 4 },
    probes: [
      {
        protocol: 'rtsp',
        port: 554,
        address: '192.0.2.10',
        reachability: 'open',
        reachabilityReason: 'connected',
        speaks: true,
        server: 'WMServer/9.5.6001.18281',
        status: 200,
        detail: 'RTSP answers with an ASF header.',
        durationMs: 12,
        replyKind: 'rtsp',
        ending: 'complete',
        evidence: { sent: 'OPTIONS', received: 'RTSP/1.0 200 OK' },
      },
    ],
    knownGood: null,
    checks: [
      {
        id: 'route-rtsp',
        tier: 'simple',
        title: 'The stream over RTSP',
        status: 'pass',
        summary: 'RTSP works.',
        command: 'ffprobe "rtsp://media.example.org/live"',
      },
      {
        id: 'windows.firewall-client',
        tier: 'moderate',
        title: 'Firewall: Windows Media Player connecting out (TCP 1755, 554, 80)',
        status: 'skip',
        summary: 'Not available on this system: this check reads Windows settings.',
        command: 'netsh advfirewall firewall show rule name=all dir=out verbose',
      },
    ],
    verdict: {
      code: 'use-rtsp',
      summary: 'Open the RTSP address instead.',
      reason: 'The server answers RTSP but not MMS.',
      fix: 'Use rtsp://media.example.org/live.',
      suggestedUrl: 'rtsp://media.example.org/live',
      adminNote: null,
    },
    ...overrides,
  };
}

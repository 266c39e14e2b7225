// A minimal report for a validated request, as a stubbed network run returns it: no probes, the given checks,
// and the verdict the test needs. For tests of what runs around the engine (orchestrator, IPC handlers).
import type { Check, DiagnosisReport, Verdict } from '../../common/report';
import type { ValidRequest } from '../run-diagnosis';

export function reportForRequest(request: ValidRequest, checks: Check[], verdict: Verdict): DiagnosisReport {
  return {
    schemaVersion: 1,
    tool: { name: 'stream-doctor', version: '0.1.0' },
    startedAt: '2025-01-02T03:04:05.000Z',
    durationMs: 12,
    input: request.input,
    error: null,
    target: {
      scheme: request.target.scheme,
      host: request.target.host,
      port: request.target.port,
      path: request.target.path,
    },
    dns: { status: 'literal', addresses: [request.target.host], durationMs: 0 },
    probes: [],
    knownGood: null,
    checks,
    verdict,
  };
}

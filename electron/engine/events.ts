// What the engine tells its listener while it runs: the CLI prints these, the app forwards them to the wizard.
import type { Check, DiagnosisReport, DnsResult, Tier } from '../diagnosis/types';
import type { StreamTarget } from '../input/types';
import type { ProbeProtocol, ProbeResult } from '../probes/types';

export interface CheckHeading {
  id: string;
  tier: Tier;
  title: string;
}

export type DiagnosisEvent =
  | { type: 'run-started'; target: StreamTarget; checks: CheckHeading[] }
  | { type: 'dns-finished'; dns: DnsResult }
  | { type: 'probe-started'; protocol: ProbeProtocol; port: number }
  | { type: 'probe-finished'; probe: ProbeResult }
  | { type: 'check-started'; id: string; tier: Tier; title: string }
  | { type: 'check-finished'; check: Check }
  | { type: 'run-finished'; report: DiagnosisReport }
  | { type: 'run-cancelled' };

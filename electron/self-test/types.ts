// What the self-test reports. Plain types (the renderer imports them through the IPC contract).

export type SelfTestProtocol = 'mms' | 'mmsh' | 'rtsp';

export interface SelfTestStep {
  protocol: SelfTestProtocol;
  /** What this step proves, in words. */
  title: string;
  port: number;
  passed: boolean;
  /** One or two sentences: what worked, or what went wrong and what it means. */
  summary: string;
  durationMs: number;
}

export interface SelfTestResult {
  passed: boolean;
  /** True when a connection to one of our own listening ports was refused or timed out. */
  loopbackBlocked: boolean;
  steps: SelfTestStep[];
  summary: string;
}

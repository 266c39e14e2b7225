// The self-test: start the app's own loopback responders (MMS, MMSH, RTSP), run the real probes against them,
// and say whether the tool works on this computer. A probe that cannot connect to a port we are listening on
// means something on this computer (usually security software) blocks loopback connections — said so plainly.
import { probeMms } from '../probes/mms';
import { probeMmsh } from '../probes/mmsh';
import { probeRtsp } from '../probes/rtsp';
import type { ProbeOptions, ProbeResult, ProbeTarget } from '../probes/types';
import {
  SELF_TEST_PATH,
  startMmshResponder,
  startMmsResponder,
  startRtspResponder,
  type Responder,
} from './responders';
import type { SelfTestProtocol, SelfTestResult, SelfTestStep } from './types';

export type { SelfTestProtocol, SelfTestResult, SelfTestStep } from './types';

export type Responders = Record<SelfTestProtocol, Responder>;

export interface SelfTestOptions {
  /** Bound for each probe (default 5 s: longer than Windows' 2 s retry of a refused loopback connect). */
  timeoutMs?: number;
  signal?: AbortSignal;
  /** Starts the responders; the shipped ones by default. */
  startResponders?: () => Promise<Responders>;
}

export const SELF_TEST_TIMEOUT_MS = 5000;

const STEPS: Record<
  SelfTestProtocol,
  {
    title: string;
    probe: (target: ProbeTarget, options: ProbeOptions) => Promise<ProbeResult>;
    works(r: ProbeResult): boolean;
  }
> = {
  mms: {
    title: 'MMS handshake (as on port 1755)',
    probe: probeMms,
    works: (r) => r.speaks && r.mms?.pathOutcome === 'exists',
  },
  mmsh: {
    title: 'Windows Media HTTP streaming (MMSH)',
    probe: probeMmsh,
    works: (r) => r.speaks && r.mmsh?.windowsMediaServer === true && r.mmsh.framing !== null,
  },
  rtsp: {
    title: 'RTSP OPTIONS and DESCRIBE',
    probe: probeRtsp,
    works: (r) => r.speaks && r.rtsp?.product === 'WMServer' && r.rtsp.sdpHasAsfHeader,
  },
};

export async function startSelfTestResponders(): Promise<Responders> {
  const started: Responder[] = [];
  try {
    const mms = await startMmsResponder();
    started.push(mms);
    const mmsh = await startMmshResponder();
    started.push(mmsh);
    const rtsp = await startRtspResponder();
    return { mms, mmsh, rtsp };
  } catch (error) {
    await Promise.all(started.map((r) => r.close()));
    throw error;
  }
}

/** Pure: one probe's result against our own responder, judged. */
export function judgeStep(protocol: SelfTestProtocol, result: ProbeResult): SelfTestStep {
  const step = STEPS[protocol];
  const base = { protocol, title: step.title, port: result.port, durationMs: result.durationMs };
  if (result.reachability === 'refused' || result.reachability === 'timeout') {
    const how = result.reachability === 'refused' ? 'was refused' : 'got no answer';
    return {
      ...base,
      passed: false,
      summary: `Connecting to 127.0.0.1:${result.port}, where Stream Doctor itself is listening, ${how}. Something on this computer blocks loopback connections — usually security software (antivirus, endpoint protection or a firewall filter). Its diagnoses cannot be trusted here until that is allowed.`,
    };
  }
  if (result.reachability !== 'open') {
    return {
      ...base,
      passed: false,
      summary: `The probe could not connect to 127.0.0.1:${result.port}: ${result.reachabilityReason}.`,
    };
  }
  if (step.works(result)) return { ...base, passed: true, summary: `Works: ${result.detail}` };
  return {
    ...base,
    passed: false,
    summary: `Connected, but the answer was not understood as it should be: ${result.detail}`,
  };
}

export async function runSelfTest(options: SelfTestOptions = {}): Promise<SelfTestResult> {
  const timeoutMs = options.timeoutMs ?? SELF_TEST_TIMEOUT_MS;
  let responders: Responders;
  try {
    responders = await (options.startResponders ?? startSelfTestResponders)();
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    return {
      passed: false,
      loopbackBlocked: false,
      steps: [],
      summary: `Stream Doctor could not start its own test servers on 127.0.0.1 (${message}). Something on this computer stops programs from listening on loopback.`,
    };
  }
  try {
    const protocols = Object.keys(STEPS) as SelfTestProtocol[];
    const steps = await Promise.all(
      protocols.map(async (protocol) => {
        const target: ProbeTarget = {
          host: '127.0.0.1',
          addresses: ['127.0.0.1'],
          port: responders[protocol].port,
          path: SELF_TEST_PATH,
        };
        const result = await STEPS[protocol].probe(target, {
          timeoutMs,
          ...(options.signal ? { signal: options.signal } : {}),
        });
        return judgeStep(protocol, result);
      }),
    );
    const passed = steps.every((s) => s.passed);
    const loopbackBlocked = steps.some((s) => !s.passed && /blocks loopback/.test(s.summary));
    return {
      passed,
      loopbackBlocked,
      steps,
      summary: passed
        ? 'Stream Doctor works on this computer: its MMS, MMSH and RTSP probes talked to its own test servers and understood every answer.'
        : loopbackBlocked
          ? 'Stream Doctor does not work reliably on this computer: connections to its own test servers on 127.0.0.1 are blocked.'
          : `Stream Doctor's self-test failed: ${steps
              .filter((s) => !s.passed)
              .map((s) => s.title)
              .join(', ')} did not work.`,
    };
  } finally {
    await Promise.all(Object.values(responders).map((r) => r.close()));
  }
}

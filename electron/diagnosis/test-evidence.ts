// Probe results as the probes produce them, for the diagnosis tests: one builder per situation, so a test reads
// like the server arrangement it describes. Used by tests only.
import type { StreamScheme, StreamTarget } from '../common/target';
import type { MmsFacts, ProbeProtocol, ProbeResult, RtspProduct } from '../common/probe-result';
import type { DnsResult } from '../common/report';
import { formatStreamUrl, defaultPort } from '../input/stream-url';

export const HOST = 'media.example.org';

export function targetOf(scheme: StreamScheme, path = '/live', port?: number): StreamTarget {
  const actualPort = port ?? defaultPort(scheme);
  return {
    scheme,
    host: HOST,
    displayHost: HOST,
    hostKind: 'name',
    port: actualPort,
    explicitPort: port !== undefined && port !== defaultPort(scheme),
    path,
    url: formatStreamUrl({ scheme, host: HOST, port: actualPort, path }),
    hadCredentials: false,
  };
}

export const resolved: DnsResult = { status: 'resolved', addresses: ['192.0.2.10'], durationMs: 3 };
export const dnsFailed: DnsResult = {
  status: 'failed',
  addresses: [],
  durationMs: 1,
  error: 'no such name: the DNS has no address for media.example.org',
};

export function probe(overrides: Partial<ProbeResult> & Pick<ProbeResult, 'protocol' | 'port'>): ProbeResult {
  return {
    address: '192.0.2.10',
    reachability: 'open',
    reachabilityReason: `port ${overrides.port} accepted the connection in 2 ms`,
    speaks: false,
    server: null,
    status: null,
    detail: 'Detail.',
    durationMs: 5,
    replyKind: 'nothing',
    ending: 'timeout',
    evidence: { sent: '', received: '' },
    ...overrides,
  };
}

export const refused = (protocol: ProbeProtocol, port: number): ProbeResult =>
  probe({
    protocol,
    port,
    reachability: 'refused',
    reachabilityReason: `connection refused: the host answered, but nothing listens on port ${port}`,
    detail: `connection refused: the host answered, but nothing listens on port ${port}`,
    ending: null,
  });
export const filtered = (protocol: ProbeProtocol, port: number): ProbeResult =>
  probe({
    protocol,
    port,
    reachability: 'timeout',
    reachabilityReason: `no answer from port ${port} within 3000 ms`,
    detail: `no answer from port ${port} within 3000 ms`,
    ending: null,
  });
export const unreachable = (protocol: ProbeProtocol, port: number): ProbeResult =>
  probe({
    protocol,
    port,
    reachability: 'unreachable',
    reachabilityReason: 'host unreachable: a router or firewall said the host cannot be reached',
    detail: 'host unreachable: a router or firewall said the host cannot be reached',
    ending: null,
  });
export const silent = (protocol: ProbeProtocol, port: number): ProbeResult =>
  probe({ protocol, port, detail: `port ${port} accepted the connection but said nothing (open, silent).` });
export const reset = (protocol: ProbeProtocol, port: number): ProbeResult =>
  probe({ protocol, port, ending: 'reset', detail: `port ${port} accepted the connection but reset it.` });

export function rtsp(
  describeStatus: number | null,
  options: {
    port?: number;
    product?: RtspProduct;
    server?: string | null;
    asf?: boolean;
    optionsStatus?: number;
    redirectUrl?: string;
  } = {},
): ProbeResult {
  const product = options.product ?? 'WMServer';
  const server =
    options.server !== undefined ? options.server : product === 'WMServer' ? 'WMServer/9.5.6001.18281' : null;
  return probe({
    protocol: 'rtsp',
    port: options.port ?? 554,
    speaks: true,
    server,
    status: describeStatus ?? options.optionsStatus ?? 200,
    replyKind: 'rtsp',
    ending: describeStatus === null ? 'timeout' : 'complete',
    detail: `DESCRIBE /live: ${describeStatus ?? 'no answer'} from the server.`,
    rtsp: {
      product,
      optionsStatus: options.optionsStatus ?? 200,
      methods: ['DESCRIBE'],
      describeStatus,
      sdpHasAsfHeader: describeStatus === 200 && (options.asf ?? product === 'WMServer'),
      redirectUrl: options.redirectUrl ?? null,
    },
  });
}

export function mmsh(
  status: number,
  options: { port?: number; server?: string; cougar?: boolean } = {},
): ProbeResult {
  const cougar = options.cougar ?? true;
  return probe({
    protocol: 'mmsh',
    port: options.port ?? 80,
    speaks: cougar,
    server: options.server ?? (cougar ? 'Cougar/9.01.01.3814' : 'nginx/1.22.1'),
    status,
    replyKind: 'http',
    ending: 'complete',
    detail: cougar
      ? `Windows Media Services answers HTTP ${status}.`
      : `An ordinary web server answers HTTP ${status}.`,
    mmsh: {
      windowsMediaServer: cougar,
      contentType: null,
      framing: status === 200 && cougar ? '$H' : null,
      features: null,
    },
  });
}

export function page(
  status: number,
  options: {
    port?: number;
    kind?: 'html' | 'media' | 'asx';
    server?: string;
    tls?: boolean;
    redirectUrl?: string;
  } = {},
): ProbeResult {
  return probe({
    protocol: 'http',
    port: options.port ?? 80,
    speaks: true,
    server: options.server ?? 'nginx/1.22.1',
    status,
    replyKind: 'http',
    ending: 'complete',
    detail: `The web server answers ${status}.`,
    http: {
      contentType: options.kind === 'media' ? 'video/x-ms-asf' : 'text/html',
      kind: options.kind ?? 'html',
      mmsLinks: [],
      redirectUrl: options.redirectUrl ?? null,
      contentLength: null,
    },
  });
}

export function mms(
  outcome: MmsFacts['pathOutcome'],
  options: { port?: number; connectHr?: number; pathHr?: number | null; redirectUrl?: string } = {},
): ProbeResult {
  return probe({
    protocol: 'mms',
    port: options.port ?? 1755,
    speaks: true,
    server: 'Windows Media Services 9.01.01.3814',
    replyKind: 'mms',
    ending: 'complete',
    detail: 'The server speaks MMS (Windows Media Services 9.01.01.3814).',
    mms: {
      serverVersion: '9.01.01.3814',
      connectHr: options.connectHr ?? 0,
      authPackage: null,
      pathOutcome: outcome,
      pathHr: options.pathHr ?? (outcome === 'exists' ? 0 : null),
      redirectUrl: options.redirectUrl ?? null,
      broadcast: null,
    },
  });
}

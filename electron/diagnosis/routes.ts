// A "route" is one way Windows Media Player could reach the stream: RTSP, HTTP (MS-WMSP) or MMS. Each probe
// result is judged here once, so the checks and the verdict agree on what works.
import { formatStreamUrl } from '../input/stream-url';
import type { StreamTarget } from '../input/types';
import type { ProbeProtocol, ProbeResult } from '../probes/types';

export type RouteName = 'rtsp' | 'http' | 'mms';

export type RouteState =
  | 'works' // a Windows Media server answers and the stream is there
  | 'auth-required'
  | 'not-found'
  | 'redirected'
  | 'non-wms' // a streaming server answers, but not one Windows Media Player can use (e.g. VLC's RTSP)
  | 'generic-web' // an ordinary web server answers (the 0xC00D2EE8 situation)
  | 'wrong-protocol' // the port is open but speaks something else, or nothing
  | 'closed' // refused
  | 'filtered' // no answer
  | 'unreachable'
  | 'not-tested';

export interface RouteAssessment {
  route: RouteName;
  state: RouteState;
  probe: ProbeResult | null;
  /** The URL this route would use (tested when `probe` is set). */
  url: string;
}

const PROTOCOL_OF: Record<RouteName, ProbeProtocol> = { rtsp: 'rtsp', http: 'mmsh', mms: 'mms' };
const SCHEME_OF: Record<RouteName, 'rtsp' | 'http' | 'mmst'> = { rtsp: 'rtsp', http: 'http', mms: 'mmst' };

// When two ports were probed for the same route, the more useful answer wins.
const STATE_RANK: RouteState[] = [
  'works',
  'auth-required',
  'redirected',
  'not-found',
  'non-wms',
  'generic-web',
  'wrong-protocol',
  'unreachable',
  'filtered',
  'closed',
  'not-tested',
];

export function judgeProbe(probe: ProbeResult): RouteState {
  switch (probe.reachability) {
    case 'refused':
      return 'closed';
    case 'timeout':
      return 'filtered';
    case 'unreachable':
      return 'unreachable';
    case 'skipped':
      return 'not-tested';
    case 'open':
      break;
  }
  if (probe.protocol === 'rtsp') {
    if (!probe.speaks) return 'wrong-protocol';
    const facts = probe.rtsp;
    const status = facts?.describeStatus ?? probe.status;
    if (status === 401 || status === 407) return 'auth-required';
    if (facts?.redirectUrl) return 'redirected';
    const wms = facts?.product === 'WMServer' || facts?.sdpHasAsfHeader === true;
    if (!wms) return 'non-wms';
    if (status === 200) return facts?.sdpHasAsfHeader ? 'works' : 'non-wms';
    return 'not-found';
  }
  if (probe.protocol === 'mmsh') {
    if (!probe.speaks) return probe.replyKind === 'http' ? 'generic-web' : 'wrong-protocol';
    if (probe.status === 401 || probe.status === 407) return 'auth-required';
    if (probe.status !== null && probe.status >= 300 && probe.status < 400) return 'redirected';
    if (probe.status === 200) return 'works';
    return 'not-found';
  }
  if (probe.protocol === 'mms') {
    if (!probe.speaks) return 'wrong-protocol';
    switch (probe.mms?.pathOutcome) {
      case 'exists':
      case 'not-checked':
        return 'works';
      case 'auth-required':
        return 'auth-required';
      case 'redirected':
        return 'redirected';
      case 'not-found':
      case 'denied':
      case undefined:
        return 'not-found';
    }
  }
  return probe.speaks ? 'generic-web' : 'wrong-protocol';
}

export function assessRoute(route: RouteName, target: StreamTarget, probes: ProbeResult[]): RouteAssessment {
  const candidates = probes.filter((p) => p.protocol === PROTOCOL_OF[route]);
  let best: { state: RouteState; probe: ProbeResult | null } = { state: 'not-tested', probe: null };
  for (const probe of candidates) {
    const state = judgeProbe(probe);
    if (STATE_RANK.indexOf(state) < STATE_RANK.indexOf(best.state)) best = { state, probe };
  }
  const port = best.probe?.port ?? (route === 'rtsp' ? 554 : route === 'http' ? 80 : 1755);
  return {
    route,
    state: best.state,
    probe: best.probe,
    url: formatStreamUrl({ scheme: SCHEME_OF[route], host: target.host, port, path: target.path }),
  };
}

export function assessRoutes(
  target: StreamTarget,
  probes: ProbeResult[],
): Record<RouteName, RouteAssessment> {
  return {
    rtsp: assessRoute('rtsp', target, probes),
    http: assessRoute('http', target, probes),
    mms: assessRoute('mms', target, probes),
  };
}

/** The route the user's own URL asks for first. */
export function routeOfScheme(scheme: StreamTarget['scheme']): RouteName | null {
  if (scheme.startsWith('rtsp')) return 'rtsp';
  if (scheme === 'http' || scheme === 'mmsh') return 'http';
  if (scheme.startsWith('mms')) return 'mms';
  return null;
}

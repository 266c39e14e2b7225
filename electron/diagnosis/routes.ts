// The evidence model. A "route" is one way Windows Media Player could reach the stream: RTSP, HTTP (MS-WMSP, or
// a plain HTTP download) or MMS. Each probe result is reduced here, once, to a state from a closed set, so the
// checks and the verdict read the same facts. Status codes map by what they mean, never by who sent them, and
// nothing unknown is ever counted as working.
import { formatStreamUrl } from '../input/stream-url';
import { isNotFoundHr } from '../probes/mms-messages';
import type { ProbeProtocol, ProbeResult } from '../common/probe-result';
import { ROUTE_OF_SCHEME, WELL_KNOWN_PORT } from '../common/protocols';
import type { RouteName, RouteState, RouteSummary } from '../common/report';
import type { StreamScheme, StreamTarget } from '../common/target';
import { sentence } from './words';

export type { RouteName, RouteState } from '../common/report';

export interface RouteAssessment {
  route: RouteName;
  state: RouteState;
  /** The probe that decided the state, or null when no probe of this route ran. */
  probe: ProbeResult | null;
  /** The URL this route would use (the deciding probe's port, or the route's well-known port). */
  url: string;
}

export type Routes = Record<RouteName, RouteAssessment>;

export const ROUTE_NAMES: readonly RouteName[] = ['rtsp', 'http', 'mms'];

/** One protocol table: what each route is called, which probes serve it, its port, scheme and words. */
export const ROUTE_TABLE: Record<
  RouteName,
  { words: string; probes: readonly ProbeProtocol[]; port: number; scheme: StreamScheme }
> = {
  rtsp: { words: 'RTSP', probes: ['rtsp'], port: WELL_KNOWN_PORT.rtsp, scheme: 'rtsp' },
  // The browser's view counts too: a media file or playlist served over plain HTTP plays in WMP.
  http: { words: 'HTTP', probes: ['mmsh', 'http'], port: WELL_KNOWN_PORT.http, scheme: 'http' },
  // mmst: the TCP form of MMS, the one VLC and FFmpeg still speak.
  mms: { words: 'MMS', probes: ['mms'], port: WELL_KNOWN_PORT.mms, scheme: 'mmst' },
};

/** Which state wins when two probes (two ports, or two views of one port) speak for the same route. */
const STATE_RANK: readonly RouteState[] = [
  'works',
  'auth',
  'forbidden',
  'redirect',
  'not-found',
  'unavailable',
  'non-wms',
  'open-silent',
  'reset',
  'unknown',
  'unreachable',
  'filtered',
  'refused',
];

/** HTTP and RTSP share their status codes' meanings (RFC 2326 borrows them from HTTP). */
export function stateOfStatus(status: number): RouteState {
  if (status === 200) return 'works';
  if (status === 401 || status === 407) return 'auth';
  if (status === 403) return 'forbidden';
  if (status === 404 || status === 410) return 'not-found';
  // RTSP 453 Not Enough Bandwidth: the server is at its limit, as with a 503.
  if (status === 453 || (status >= 500 && status <= 599)) return 'unavailable';
  if (status >= 300 && status <= 399) return 'redirect';
  return 'unknown';
}

/** MMS answers with HRESULTs; the ones that mean "not allowed" and "busy" ([MS-MMSP] 3.2.5.6, [MS-ERREF]). */
const MMS_ACCESS_DENIED_HRS: ReadonlySet<number> = new Set([0x80070005, 0xc00d2efb]);
const MMS_BUSY_HRS: ReadonlySet<number> = new Set([0xc00d000e, 0xc00d000f, 0xc00d0013]);

export function stateOfMmsHr(hr: number): RouteState {
  const value = hr >>> 0;
  if (value === 0) return 'works';
  if (MMS_ACCESS_DENIED_HRS.has(value)) return 'forbidden';
  if (MMS_BUSY_HRS.has(value)) return 'unavailable';
  if (isNotFoundHr(value)) return 'not-found';
  return 'unknown';
}

/** An open port whose conversation produced no answer in the protocol: silence, a reset, or something else. */
function judgeUnanswered(probe: ProbeResult): RouteState {
  if (probe.ending === 'reset') return 'reset';
  // Stopped early because the port was recognised as another protocol: something answers there, not this one.
  if (probe.ending === 'cancelled') return 'non-wms';
  if (probe.replyKind === 'nothing') return 'open-silent';
  return 'non-wms';
}

const JUDGE_SPOKEN: Record<ProbeProtocol, (probe: ProbeResult) => RouteState> = {
  rtsp: (probe) => {
    const facts = probe.rtsp;
    const options = facts?.optionsStatus ?? null;
    const describe = facts?.describeStatus ?? null;
    // OPTIONS may already refuse (a login, a ban); then DESCRIBE says nothing more.
    const status = describe ?? (options !== null && options !== 200 ? options : null);
    if (status === null) return 'unknown'; // answered OPTIONS, never DESCRIBE: we cannot tell
    const state = stateOfStatus(status);
    if (state !== 'works') return state;
    if (facts?.sdpHasAsfHeader) return 'works';
    // A description without the ASF header: a streaming server WMP cannot use, when the description was whole.
    return probe.ending === 'complete' || probe.ending === 'closed' ? 'non-wms' : 'unknown';
  },
  mmsh: (probe) => (probe.status === null ? 'unknown' : stateOfStatus(probe.status)),
  http: (probe) => {
    if (probe.status === null) return 'unknown';
    const state = stateOfStatus(probe.status);
    // The browser's view works only when it got a media file or a playlist; a page, or a missing page, on an
    // ordinary web server is the 0xC00D2EE8 situation, not a stream that moved or vanished.
    // A playlist or page is not the stream: the follow layer (engine/follow.ts) tests what it names.
    // A playlist labelled audio/… or video/… (radio .m3u and .pls links often are) is still not the stream.
    if (state === 'works') return probe.http?.kind === 'media' && !probe.playlist ? 'works' : 'non-wms';
    // Any other page (a 404, a 400…) is still a web server talking, not a stream.
    if (state === 'not-found' || state === 'unknown') return 'non-wms';
    return state;
  },
  mms: (probe) => {
    const facts = probe.mms;
    if (!facts) return 'unknown';
    if (facts.connectHr !== null && facts.connectHr !== 0) return stateOfMmsHr(facts.connectHr);
    switch (facts.pathOutcome) {
      case 'exists':
        return 'works';
      case 'not-found':
        return 'not-found';
      case 'auth-required':
        return 'auth';
      case 'redirected':
        return 'redirect';
      case 'denied':
        return facts.pathHr === null ? 'unknown' : stateOfMmsHr(facts.pathHr);
      case 'not-checked':
        return 'unknown';
    }
  },
};

/** The one place a probe result becomes a route state. */
export function judgeProbe(probe: ProbeResult): RouteState {
  switch (probe.reachability) {
    case 'refused':
      return 'refused';
    case 'timeout':
      return 'filtered';
    case 'unreachable':
      return 'unreachable';
    case 'skipped':
      return 'unknown';
    case 'open':
      break;
  }
  if (!probe.speaks) {
    // An HTTP reply to the Windows Media request without Cougar/Rex: an ordinary web server ([MS-WMSP] 3.1.5.3).
    return judgeUnanswered(probe);
  }
  const state = JUDGE_SPOKEN[probe.protocol](probe);
  // A redirect that does not say where to is nothing the verdict can act on.
  return state === 'redirect' && redirectTarget(probe) === null ? 'unknown' : state;
}

/** "RTSP on port 554 <words>." — one phrase per state, so a state never leaks into a sentence as a code. */
export const ROUTE_STATE_WORDS: Record<RouteState, string> = {
  works: 'works',
  'not-found': 'reaches the server, but the stream is not there',
  auth: 'asks for a user name and password',
  forbidden: 'is refused access',
  unavailable: 'gets the answer that the server is busy or unavailable',
  redirect: 'is redirected to another address',
  'non-wms': 'gets an answer Windows Media Player cannot use',
  'open-silent': 'is accepted, but nothing answers',
  reset: 'is reset as soon as it is accepted',
  refused: 'is refused: nothing listens there',
  filtered: 'gets no answer at all',
  unreachable: 'is reported unreachable by the network',
  unknown: 'could not be checked',
};

export function describeRoute(route: RouteAssessment): string {
  const words = ROUTE_TABLE[route.route].words;
  const where = route.probe ? ` on port ${route.probe.port}` : '';
  return sentence(`${words}${where} ${ROUTE_STATE_WORDS[route.state]}`);
}

/** A Windows Media server recognised itself in this answer (its brand, or the ASF header only it sends). */
export function isWindowsMedia(probe: ProbeResult): boolean {
  if (!probe.speaks || probe.reachability !== 'open') return false;
  if (probe.protocol === 'rtsp')
    return probe.rtsp?.product === 'WMServer' || probe.rtsp?.sdpHasAsfHeader === true;
  return probe.protocol === 'mmsh' || probe.protocol === 'mms';
}

/** The redirect target a probe saw, if any. */
export function redirectTarget(probe: ProbeResult | null): string | null {
  if (!probe) return null;
  return (
    probe.redirect?.location ??
    probe.rtsp?.redirectUrl ??
    probe.mms?.redirectUrl ??
    probe.http?.redirectUrl ??
    null
  );
}

export function routeUrl(route: RouteName, target: StreamTarget, probe: ProbeResult | null): string {
  const port = probe?.port ?? ROUTE_TABLE[route].port;
  // The browser's view of an https:// address was fetched over TLS: its URL stays https.
  const tls = probe?.protocol === 'http' && target.scheme === 'https' && port === target.port;
  const scheme: StreamScheme = tls ? 'https' : ROUTE_TABLE[route].scheme;
  return formatStreamUrl({ scheme, host: target.host, port, path: target.path });
}

export function assessRoute(route: RouteName, target: StreamTarget, probes: ProbeResult[]): RouteAssessment {
  let best: { state: RouteState; probe: ProbeResult | null; rank: number } = {
    state: 'unknown',
    probe: null,
    rank: Number.POSITIVE_INFINITY,
  };
  for (const probe of probes) {
    if (!ROUTE_TABLE[route].probes.includes(probe.protocol)) continue;
    const state = judgeProbe(probe);
    // A probe that never ran says least of all: any tested answer outranks it.
    const rank = STATE_RANK.indexOf(state) + (probe.reachability === 'skipped' ? STATE_RANK.length : 0);
    if (rank < best.rank) best = { state, probe, rank };
  }
  return { route, state: best.state, probe: best.probe, url: routeUrl(route, target, best.probe) };
}

export function assessRoutes(target: StreamTarget, probes: ProbeResult[]): Routes {
  return {
    rtsp: assessRoute('rtsp', target, probes),
    http: assessRoute('http', target, probes),
    mms: assessRoute('mms', target, probes),
  };
}

/** The routes as the report carries them. */
export function summarizeRoutes(routes: Routes): RouteSummary[] {
  return ROUTE_NAMES.map((name) => ({
    route: name,
    state: routes[name].state,
    port: routes[name].probe?.port ?? null,
    url: routes[name].url,
  }));
}

/** The route the user's own URL asks for first. */
export function routeOfScheme(scheme: StreamScheme): RouteName {
  return ROUTE_OF_SCHEME[scheme];
}

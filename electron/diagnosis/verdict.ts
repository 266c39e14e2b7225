// One verdict from all the evidence: what is wrong, why, and what to do. Pure.
import type { KnownErrorCode, StreamTarget } from '../input/types';
import type { ProbeResult } from '../probes/types';
import { assessRoutes, routeOfScheme, type RouteAssessment, type RouteName } from './routes';
import type { DnsResult, Verdict } from './types';

export interface VerdictInput {
  target: StreamTarget;
  error: KnownErrorCode | null;
  dns: DnsResult;
  probes: ProbeResult[];
}

const ROUTE_WORDS: Record<RouteName, string> = { rtsp: 'RTSP', http: 'HTTP', mms: 'MMS' };

export function decideVerdict(input: VerdictInput): Verdict {
  const { target, dns, probes } = input;
  const host = target.displayHost;

  if (dns.status === 'failed') {
    return {
      code: 'dns-failed',
      summary: `The name ${host} cannot be turned into an address.`,
      reason: dns.error ?? 'The DNS lookup failed.',
      fix: 'Check the spelling of the server name. If it is right, check this computer’s network and DNS settings, or ask for the server’s IP address and try that.',
      suggestedUrl: null,
      adminNote: `The DNS name ${host} does not resolve from this network.`,
    };
  }

  const routes = assessRoutes(target, probes);
  const own = routeOfScheme(target.scheme);

  // The user's own protocol works: nothing to change on the network side.
  if (own && own !== 'mms' && routes[own].state === 'works') {
    return {
      code: 'ok',
      summary: `The stream answers over ${ROUTE_WORDS[own]} at ${routes[own].url}.`,
      reason: describeWorkingRoute(routes[own]),
      fix: 'Open the address in Windows Media Player again. If it still fails, the problem is on this computer (player settings, codecs, or a local firewall).',
      suggestedUrl: null,
      adminNote: null,
    };
  }
  if (target.scheme === 'https') {
    const page = probes.find((p) => p.protocol === 'http' && p.port === target.port);
    if (
      page?.speaks &&
      page.status === 200 &&
      page.http &&
      ['media', 'hls', 'dash', 'asx'].includes(page.http.kind)
    ) {
      return {
        code: 'ok',
        summary: `The server at ${target.url} delivers the ${page.http.kind === 'media' ? 'media file' : page.http.kind.toUpperCase()} over HTTPS.`,
        reason: page.detail,
        fix: 'Open the address in Windows Media Player again; if it cannot play this format, use VLC.',
        suggestedUrl: null,
        adminNote: null,
      };
    }
  }

  // Another Windows Media protocol works: that is the answer, with a tested URL. RTSP first, as WMP's
  // rollover does.
  for (const route of ['rtsp', 'http'] as const) {
    if (route !== own && routes[route].state === 'works') {
      const via = ROUTE_WORDS[route];
      return {
        code: route === 'rtsp' ? 'use-rtsp' : 'use-http',
        summary: `Use ${routes[route].url} — the server answers over ${via}${own ? ` but not over ${ROUTE_WORDS[own]}` : ''}.`,
        reason: `${describeOwnRoute(target, routes)} ${describeWorkingRoute(routes[route])}`,
        fix: `Open ${routes[route].url} in Windows Media Player instead of ${target.url}. If the address comes from a web page or playlist, ask its owner to change it.`,
        suggestedUrl: routes[route].url,
        adminNote:
          own === 'mms'
            ? 'The server no longer speaks MMS (Windows Media Services 2008 and later cannot). Publish rtsp:// or http:// links instead of mms:// ones.'
            : null,
      };
    }
  }

  if (routes.mms.state === 'works') {
    const version = routes.mms.probe?.server ?? 'an MMS server';
    return {
      code: 'mms-only-server',
      summary: `The server speaks only MMS (${version}), which Windows Media Player 11 and 12 cannot use.`,
      reason:
        'MMS was removed from Windows Media Player’s network stack (Media Foundation) and from Windows Media Services 2008; this server offers neither RTSP nor HTTP streaming.',
      fix: `Play it with a player that still speaks MMS, such as VLC: ${routes.mms.url}`,
      suggestedUrl: routes.mms.url,
      adminNote:
        'Enable the WMS HTTP Server Control Protocol or move to a server that streams over RTSP or HTTP.',
    };
  }

  const authRoute = firstRoute(routes, 'auth-required');
  if (authRoute) {
    return {
      code: 'auth-required',
      summary: `The server asks for a user name and password for ${target.path}.`,
      reason: `${ROUTE_WORDS[authRoute.route]} answered with an authentication challenge (${authRoute.probe?.detail ?? 'authentication required'}).`,
      fix: `Open ${authRoute.url} in Windows Media Player and sign in when asked; if you have no account, ask the server’s administrator.`,
      suggestedUrl: authRoute.url,
      adminNote: `Clients are challenged for ${target.path}; check the publishing point’s authorization settings if it should be public.`,
    };
  }

  const movedRoute = firstRoute(routes, 'redirected');
  const redirect = movedRoute?.probe?.rtsp?.redirectUrl ?? movedRoute?.probe?.mms?.redirectUrl ?? null;
  const notFound = firstRoute(routes, 'not-found');
  if (notFound || movedRoute) {
    const route = (notFound ?? movedRoute)!;
    return {
      code: 'stream-not-found',
      summary: `A Windows Media server answers, but ${target.path} is not there.`,
      reason: route.probe?.detail ?? 'The server did not find the publishing point or file.',
      fix: redirect
        ? `The server points elsewhere: try ${redirect}.`
        : 'Check the path in the address (publishing point and file name, including case). Ask the server’s administrator for the current address.',
      suggestedUrl: redirect,
      adminNote: `The publishing point or file ${target.path} is missing, stopped or renamed on the server.`,
    };
  }

  const nonWms = routes.rtsp.state === 'non-wms' ? routes.rtsp : null;
  if (nonWms) {
    const product = nonWms.probe?.server ?? nonWms.probe?.rtsp?.product ?? 'an RTSP server';
    return {
      code: 'non-wms-rtsp-server',
      summary: `The server is an RTSP server (${product}), but not a Windows Media one.`,
      reason:
        'Windows Media Player needs the Windows Media (ASF) header in the RTSP description, which only Windows Media Services sends.',
      fix: `Play ${nonWms.url} in VLC (or another RTSP player) instead of Windows Media Player.`,
      suggestedUrl: nonWms.url,
      adminNote: null,
    };
  }

  const web = probes.find((p) => (p.protocol === 'mmsh' || p.protocol === 'http') && p.replyKind === 'http');
  if (web) {
    const server = web.server ? `(${web.server})` : '(it does not say which)';
    return {
      code: 'not-a-streaming-server',
      summary: `${host} is an ordinary web server ${server}, not a Windows Media streaming server.`,
      reason: `Port ${web.port} answers HTTP but not the Windows Media streaming protocol; nothing answers RTSP or MMS. This is what Windows Media Player reports as 0xC00D2EE8.`,
      fix: 'Ask whoever gave you the address for the stream’s real address, or open the web page and use its player. If you run this server, install Windows Media Services (Windows Server) or publish the file for download over http://.',
      suggestedUrl: null,
      adminNote: `${host} has no Windows Media Services (or its HTTP streaming is off, or IIS holds port 80).`,
    };
  }

  const open = probes.filter((p) => p.reachability === 'open');
  if (open.length > 0) {
    const ports = [...new Set(open.map((p) => p.port))].join(', ');
    return {
      code: 'not-a-streaming-server',
      summary: `Something answers on port ${ports}, but it speaks none of the streaming protocols.`,
      reason: open[0]!.detail,
      fix: 'Check the server name and port in the address; ask the server’s administrator which address the stream has.',
      suggestedUrl: null,
      adminNote: `Port ${ports} on ${host} is open but does not answer RTSP, HTTP or MMS.`,
    };
  }

  return reachabilityVerdict(input);
}

function reachabilityVerdict({ target, probes }: VerdictInput): Verdict {
  const host = target.displayHost;
  const ports = (state: ProbeResult['reachability']): string =>
    [...new Set(probes.filter((p) => p.reachability === state).map((p) => p.port))].join(', ');
  if (
    probes.some((p) => p.reachability === 'unreachable') &&
    !probes.some((p) => p.reachability === 'timeout')
  ) {
    const sample = probes.find((p) => p.reachability === 'unreachable')!;
    return {
      code: 'host-unreachable',
      summary: `${host} cannot be reached from this computer.`,
      reason: sample.reachabilityReason,
      fix: 'Check that you are on the right network (VPN?) and that the address is right; if it is, a router or firewall rejects the traffic — ask your network administrator.',
      suggestedUrl: null,
      adminNote: `Traffic to ${host} is rejected as unreachable (ICMP) on the way.`,
    };
  }
  const filtered = ports('timeout');
  if (filtered) {
    const refused = ports('refused');
    return {
      code: 'ports-filtered',
      summary: `Nothing answers on port ${filtered}: something between you and the server drops the traffic.`,
      reason: `Connections to ${filtered} got no answer at all (not even a refusal)${refused ? `; ${refused} refused` : ''}. That is what a firewall that drops packets, or a server that is down, looks like.`,
      fix: 'Check the firewall on this computer (TCP 554, 1755 and 80 outbound) and ask the network administrator whether these ports are open to the server. If the server is yours, check that it is running and that its firewall allows TCP 554 (RTSP) and 80 (HTTP) inbound.',
      suggestedUrl: null,
      adminNote: `TCP ${filtered} to ${host} is dropped (no SYN-ACK, no reset).`,
    };
  }
  return {
    code: 'ports-closed',
    summary: `${host} is up, but no streaming service listens on port ${ports('refused')}.`,
    reason: 'Every connection was refused at once: the server answers, but nothing listens on those ports.',
    fix: 'The streaming service is not running, or listens on another port. Ask the server’s administrator; if the server is yours, start Windows Media Services and check its publishing points.',
    suggestedUrl: null,
    adminNote: `No listener on TCP ${ports('refused')} on ${host}; is Windows Media Services running?`,
  };
}

function firstRoute(
  routes: Record<RouteName, RouteAssessment>,
  state: RouteAssessment['state'],
): RouteAssessment | null {
  for (const name of ['rtsp', 'http', 'mms'] as const) if (routes[name].state === state) return routes[name];
  return null;
}

function describeWorkingRoute(route: RouteAssessment): string {
  return route.probe?.detail ?? `${ROUTE_WORDS[route.route]} works.`;
}

function describeOwnRoute(target: StreamTarget, routes: Record<RouteName, RouteAssessment>): string {
  const own = routeOfScheme(target.scheme);
  if (!own) return '';
  const state = routes[own].state;
  const words: Partial<Record<RouteAssessment['state'], string>> = {
    closed: 'is refused',
    filtered: 'gets no answer',
    'wrong-protocol': 'is not spoken there',
    'generic-web': 'reaches an ordinary web server',
    'non-wms': 'reaches a non-Windows-Media server',
    'not-found': 'does not find the stream',
  };
  return `${ROUTE_WORDS[own]} on port ${routes[own].probe?.port ?? target.port} ${words[state] ?? `is ${state}`}.`;
}

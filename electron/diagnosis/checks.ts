// The checks a person sees, in three tiers. The network work all runs at once; the tiers are for people:
// Simple (what answers, and which address works), Moderate (ports, DNS), Advanced (paths, raw bytes, pages).
// Checks are descriptors in a registry (CHECK_REGISTRY): each plans its checks for a target — one, or one per
// port or probe — with the evaluation bound at planning time, so nothing is ever parsed back out of an id.
import { formatStreamUrl } from '../input/stream-url';
import { describeReplyKind } from '../probes/evidence';
import type { ProbeProtocol, ProbeResult, ReadEnding } from '../common/probe-result';
import { ALWAYS_PROBED_PORTS, WELL_KNOWN_PORT } from '../common/protocols';
import type {
  Check,
  CheckHeading,
  CheckScope,
  CheckStatus,
  DnsResult,
  RouteState,
  Tier,
} from '../common/report';
import type { KnownErrorCode, StreamTarget } from '../common/target';
import { commands } from './commands';
import { PORT_PURPOSE, PROBE_PROTOCOLS } from './protocols';
import {
  assessRoute,
  assessRoutes,
  describeRoute,
  isWindowsMedia,
  judgeProbe,
  routeOfScheme,
  ROUTE_NAMES,
  ROUTE_TABLE,
  type RouteAssessment,
  type RouteName,
} from './routes';
import { counted, listWords, sentences, serverText } from './words';

export interface PlannedProbe {
  protocol: ProbeProtocol;
  port: number;
}

export const probeKey = (p: PlannedProbe): string => `${p.protocol}:${p.port}`;

/** Evidence so far. A check is evaluated only once everything it `needs` is here. */
export interface Evidence {
  target: StreamTarget;
  error: KnownErrorCode | null;
  expectIp: string | null;
  dns: DnsResult | null;
  probes: ProbeResult[];
  knownGood: { url: string; probe: ProbeResult } | null;
}

type Outcome = Pick<Check, 'status' | 'summary' | 'command'> & { evidence?: string };

export interface PlannedCheck extends CheckHeading {
  /** Probe keys (`rtsp:554`), 'dns' or 'known-good'. */
  needs: string[];
  /** Runs when the name does not resolve too (it does not need the server). */
  withoutServer: boolean;
  scope?: CheckScope;
  evaluate: (evidence: Evidence) => Outcome;
}

interface PlanContext {
  target: StreamTarget;
  probes: PlannedProbe[];
  knownGood: boolean;
}

interface CheckDescriptor {
  tier: Tier;
  withoutServer?: boolean;
  plan: (
    context: PlanContext,
  ) => Array<
    Pick<PlannedCheck, 'id' | 'title' | 'needs' | 'evaluate'> & Pick<Partial<PlannedCheck>, 'scope'>
  >;
}

/** The route a probe's protocol speaks for (the browser's view and Windows Media HTTP are both HTTP). */
function routeOfProbe(protocol: ProbeProtocol): RouteName {
  return ROUTE_NAMES.find((route) => ROUTE_TABLE[route].probes.includes(protocol)) ?? 'http';
}

/** Which probes to run for a target: its own port with its own protocol, and 1755, 554, 80 always. */
export function planProbes(target: StreamTarget): PlannedProbe[] {
  const planned: PlannedProbe[] = [];
  const add = (protocol: ProbeProtocol, port: number): void => {
    if (!planned.some((p) => p.protocol === protocol && p.port === port)) planned.push({ protocol, port });
  };
  const own = routeOfScheme(target.scheme);
  if (target.scheme === 'https') add('http', target.port);
  else if (own === 'http') {
    add('mmsh', target.port);
    add('http', target.port);
  } else {
    add(own === 'rtsp' ? 'rtsp' : 'mms', target.port);
    // WMP's rollover keeps an explicit port for every protocol it tries, so test them all there.
    if (target.explicitPort && target.port !== ROUTE_TABLE[own].port) {
      add('rtsp', target.port);
      add('mmsh', target.port);
    }
  }
  const [mmsPort, rtspPort, httpPort] = ALWAYS_PROBED_PORTS as [number, number, number];
  add('mms', mmsPort);
  add('rtsp', rtspPort);
  add('mmsh', httpPort);
  add('http', httpPort);
  return planned;
}

// --- Statuses --------------------------------------------------------------------------------------------------

/** One status per route state, used by every check that reports a route's or a probe's outcome. */
const ROUTE_STATE_STATUS: Record<RouteState, CheckStatus> = {
  works: 'pass',
  auth: 'warn',
  redirect: 'warn',
  'non-wms': 'warn',
  unknown: 'warn',
  'not-found': 'fail',
  forbidden: 'fail',
  unavailable: 'fail',
  'open-silent': 'fail',
  reset: 'fail',
  refused: 'fail',
  filtered: 'fail',
  unreachable: 'fail',
};

function routeStatus(route: RouteAssessment, target: StreamTarget): CheckStatus {
  // A refused alternative (MMS on a modern server, RTSP on an HTTP-only one) is normal, not a fault; only the
  // address's own protocol must answer.
  if (route.state === 'refused' && route.route !== routeOfScheme(target.scheme)) return 'warn';
  return ROUTE_STATE_STATUS[route.state];
}

const ENDING_WORDS: Record<ReadEnding, string> = {
  complete: 'the answer was complete',
  closed: 'the server closed the connection',
  reset: 'the connection was reset',
  timeout: 'the time ran out',
  'byte-limit': 'the answer was longer than the probe accepts',
  cancelled: 'the probe was stopped early',
};

// --- The registry ---------------------------------------------------------------------------------------------

const ROUTE_TITLE: Record<RouteName, string> = {
  rtsp: 'The stream over RTSP',
  http: 'The stream over HTTP (Windows Media HTTP streaming)',
  mms: 'The stream over MMS',
};

const ROUTE_COMMAND: Record<RouteName, (url: string) => string> = {
  rtsp: commands.rtsp,
  http: commands.mmsh,
  mms: commands.mmst,
};

const keysOf = (probes: PlannedProbe[], protocols: readonly ProbeProtocol[]): string[] =>
  probes.filter((p) => protocols.includes(p.protocol)).map(probeKey);

export const CHECK_REGISTRY: readonly CheckDescriptor[] = [
  {
    tier: 'simple',
    withoutServer: true,
    plan: () => [
      { id: 'url-scheme', title: 'The address and its protocol', needs: [], evaluate: schemeCheck },
    ],
  },
  {
    tier: 'simple',
    withoutServer: true,
    plan: ({ target }) => [
      { id: 'dns', title: `The name ${target.displayHost} resolves`, needs: ['dns'], evaluate: dnsCheck },
    ],
  },
  {
    tier: 'simple',
    plan: ({ probes }) => [
      {
        id: 'server-kind',
        title: 'What kind of server answers',
        needs: ['dns', ...probes.map(probeKey)],
        evaluate: serverKindCheck,
      },
    ],
  },
  {
    tier: 'simple',
    plan: ({ probes }) =>
      ROUTE_NAMES.map((route) => ({
        id: `route-${route}`,
        title: ROUTE_TITLE[route],
        scope: { route },
        needs: ['dns', ...keysOf(probes, ROUTE_TABLE[route].probes)],
        evaluate: (e: Evidence) => routeCheck(route, e),
      })),
  },
  {
    tier: 'simple',
    withoutServer: true,
    plan: ({ knownGood }) => [
      {
        id: 'known-good',
        title: 'A stream known to work',
        needs: knownGood ? ['known-good'] : [],
        evaluate: knownGoodCheck,
      },
    ],
  },
  {
    tier: 'simple',
    plan: ({ probes }) => [
      {
        id: 'other-player',
        title: 'Another player',
        needs: ['dns', ...probes.map(probeKey)],
        evaluate: otherPlayerCheck,
      },
    ],
  },
  {
    tier: 'moderate',
    plan: ({ target, probes }) =>
      [...new Set(probes.map((p) => p.port))].map((port) => ({
        id: `port-${port}`,
        title: `TCP port ${port} (${portPurpose(port, target)})`,
        scope: { port },
        needs: ['dns', ...probes.filter((p) => p.port === port).map(probeKey)],
        evaluate: (e: Evidence) => portCheck(port, e),
      })),
  },
  {
    tier: 'moderate',
    withoutServer: true,
    plan: () => [
      {
        id: 'dns-expected',
        title: 'The name points at the expected address',
        needs: ['dns'],
        evaluate: expectedIpCheck,
      },
    ],
  },
  {
    tier: 'advanced',
    plan: ({ target, probes }) => [
      {
        id: 'publishing-point',
        title: `The path ${target.path} on the server`,
        needs: ['dns', ...probes.map(probeKey)],
        evaluate: publishingPointCheck,
      },
    ],
  },
  {
    tier: 'advanced',
    plan: ({ probes }) =>
      probes.map((planned) => ({
        id: `wire-${planned.protocol}-${planned.port}`,
        title: `On the wire: ${PROBE_PROTOCOLS[planned.protocol].wireWords} on port ${planned.port}`,
        scope: { route: routeOfProbe(planned.protocol), port: planned.port },
        needs: ['dns', probeKey(planned)],
        evaluate: (e: Evidence) => wireCheck(planned, e),
      })),
  },
  {
    tier: 'advanced',
    plan: ({ probes }) => [
      {
        id: 'page-links',
        title: 'mms:// links in the web page',
        needs: ['dns', ...keysOf(probes, ['http'])],
        evaluate: pageLinksCheck,
      },
    ],
  },
];

/** Every check the run will produce, final: the engine announces exactly these and finishes every one. */
export function planChecks(
  target: StreamTarget,
  probes: PlannedProbe[],
  options: { knownGood: boolean },
): PlannedCheck[] {
  const context: PlanContext = { target, probes, knownGood: options.knownGood };
  return CHECK_REGISTRY.flatMap((descriptor) =>
    descriptor.plan(context).map((planned) => ({
      ...planned,
      tier: descriptor.tier,
      withoutServer: descriptor.withoutServer ?? false,
    })),
  );
}

export function evaluateCheck(plan: PlannedCheck, evidence: Evidence): Check {
  const base = {
    id: plan.id,
    tier: plan.tier,
    title: plan.title,
    ...(plan.scope ? { scope: plan.scope } : {}),
  };
  if (!plan.withoutServer && evidence.dns?.status === 'failed') {
    return {
      ...base,
      status: 'skip',
      summary: 'Not tested: the name does not resolve.',
      command: commands.resolve(evidence.target.host),
    };
  }
  const outcome = plan.evaluate(evidence);
  return { ...base, ...outcome, summary: sentences(outcome.summary) };
}

// --- The checks -------------------------------------------------------------------------------------------------

function portPurpose(port: number, target: StreamTarget): string {
  return PORT_PURPOSE.get(port) ?? `the address’s own port, ${target.scheme}`;
}

function schemeCheck({ target }: Evidence): Outcome {
  const own = routeOfScheme(target.scheme);
  const command =
    own === 'rtsp'
      ? commands.rtsp(target.url)
      : own === 'mms'
        ? commands.mmst(target.url.replace(/^mms[tu]?:/, 'mmst:'))
        : commands.page(target.url);
  const credentials = target.hadCredentials
    ? 'The user name and password in the address were left out of every test and report.'
    : '';
  if (own === 'mms') {
    return {
      status: 'warn',
      summary: sentences(
        `The scheme ${target.scheme}:// asks for MMS, which Windows Media Player 11 and 12 no longer speak and Windows Media Services 2008 and later no longer serve; the player has to fall back to RTSP or HTTP`,
        'Both are tested below',
        credentials,
      ),
      command,
    };
  }
  if (target.scheme === 'mmsh') {
    return {
      status: 'warn',
      summary: sentences(
        'The scheme mmsh:// is how VLC and FFmpeg name Windows Media HTTP streaming; Windows Media Player wants the same address as http://',
        credentials,
      ),
      command,
    };
  }
  return {
    status: 'pass',
    summary: sentences(
      `The scheme ${target.scheme}:// is a protocol Windows Media Player uses today`,
      credentials,
    ),
    command,
  };
}

function dnsCheck({ target, dns }: Evidence): Outcome {
  const command = commands.resolve(target.host);
  if (!dns) return { status: 'error', summary: 'DNS was not checked.', command };
  if (dns.status === 'literal')
    return {
      status: 'pass',
      summary: `The address ${target.host} is an IP address; no DNS needed.`,
      command,
    };
  if (dns.status === 'failed')
    return {
      status: 'fail',
      summary: sentences(`The name ${target.displayHost} does not resolve`, serverText(dns.error ?? '')),
      command,
    };
  return {
    status: 'pass',
    summary: `The name ${target.displayHost} resolves to ${listWords(dns.addresses)} (${dns.durationMs} ms).`,
    command,
  };
}

function expectedIpCheck({ target, dns, expectIp }: Evidence): Outcome {
  const command = commands.resolve(target.host);
  if (!expectIp)
    return {
      status: 'skip',
      summary: 'No expected address given (give one to check that DNS points at the right server).',
      command,
    };
  if (!dns || dns.status === 'failed')
    return { status: 'skip', summary: 'Not compared: the name does not resolve.', command };
  if (dns.addresses.includes(expectIp))
    return { status: 'pass', summary: `DNS returns ${expectIp}, as expected.`, command };
  return {
    status: 'fail',
    summary: `DNS returns ${listWords(dns.addresses)}, not the expected ${expectIp}: the name points at another machine (an old record, a hosts-file entry, or a split-DNS view).`,
    command,
  };
}

function routeCheck(route: RouteName, e: Evidence): Outcome {
  const assessment = assessRoute(route, e.target, e.probes);
  const command = ROUTE_COMMAND[route](assessment.url);
  const probe = assessment.probe;
  if (!probe || probe.reachability === 'skipped')
    return {
      status: 'skip',
      summary: sentences(describeRoute(assessment), probe ? serverText(probe.reachabilityReason) : ''),
      command,
    };
  const note =
    route === 'mms' && assessment.state === 'works'
      ? 'Windows Media Player 11 and 12 cannot use MMS, even though the server speaks it.'
      : '';
  return {
    status: routeStatus(assessment, e.target),
    summary: sentences(describeRoute(assessment), serverText(probe.detail, 400), note),
    command,
    ...(probe.evidence.received ? { evidence: probe.evidence.received } : {}),
  };
}

function portCheck(port: number, e: Evidence): Outcome {
  const probe =
    e.probes.find((p) => p.port === port && p.reachability === 'open') ??
    e.probes.find((p) => p.port === port && p.reachability !== 'skipped') ??
    e.probes.find((p) => p.port === port);
  const command = commands.tcp(e.target.host, port);
  if (!probe) return { status: 'skip', summary: 'Not tested.', command };
  const reason = serverText(probe.reachabilityReason);
  switch (probe.reachability) {
    case 'open':
      return { status: 'pass', summary: `Open: ${reason}.`, command };
    case 'refused':
      // Only the address's own port must be open; the others are alternatives a server may not offer.
      if (port === e.target.port) return { status: 'fail', summary: `Closed: ${reason}.`, command };
      return {
        status: 'warn',
        summary:
          port === WELL_KNOWN_PORT.mms
            ? `Closed (${reason}). Normal for a server that no longer speaks MMS.`
            : `Closed (${reason}). Fine if the server does not offer ${portPurpose(port, e.target)} here.`,
        command,
      };
    case 'timeout':
      return { status: 'fail', summary: `No answer: ${reason}.`, command };
    case 'unreachable':
      return { status: 'fail', summary: `Unreachable: ${reason}.`, command };
    case 'skipped':
      return { status: 'skip', summary: `Not tested: ${reason}.`, command };
  }
}

/** What one port answers, in a few words; one entry per port, the most telling probe first. */
function portAnswer(probes: ProbeResult[]): string | null {
  const open = probes.filter((p) => p.reachability === 'open');
  const best = open.find((p) => p.speaks) ?? open.find((p) => p.replyKind !== 'nothing') ?? open[0];
  if (!best) return null;
  const server = best.server ? ` (${serverText(best.server, 80)})` : '';
  if (best.speaks) return `port ${best.port}: ${PROBE_PROTOCOLS[best.protocol].name}${server}`;
  if (best.replyKind === 'nothing') return `port ${best.port}: open, but silent`;
  return `port ${best.port}: ${describeReplyKind(best.replyKind)}${server}`;
}

function serverKindCheck(e: Evidence): Outcome {
  const ports = [...new Set(e.probes.map((p) => p.port))];
  const parts = ports
    .map((port) => portAnswer(e.probes.filter((p) => p.port === port)))
    .filter((part): part is string => part !== null);
  const command = commands.mmsh(assessRoute('http', e.target, e.probes).url);
  if (parts.length === 0)
    return { status: 'fail', summary: 'No server answered on any port tested.', command };
  const list = parts.join('; ');
  const wms = e.probes.filter(isWindowsMedia);
  if (wms.some((p) => p.protocol !== 'mms'))
    return { status: 'pass', summary: `A Windows Media streaming server answers — ${list}.`, command };
  if (wms.length > 0)
    return {
      status: 'warn',
      summary: `Only MMS answers, which current players cannot use — ${list}.`,
      command,
    };
  if (e.probes.some((p) => p.protocol === 'rtsp' && p.speaks))
    return {
      status: 'warn',
      summary: `A streaming server that is not Windows Media answers — ${list}.`,
      command,
    };
  return { status: 'fail', summary: `No Windows Media streaming server answers — ${list}.`, command };
}

function knownGoodCheck(e: Evidence): Outcome {
  if (!e.knownGood) {
    return {
      status: 'skip',
      summary:
        'Not compared: no stream known to work was given. One that plays at this site tells a problem on this network from a problem on the server.',
      command: commands.none,
    };
  }
  const { url, probe } = e.knownGood;
  const command =
    probe.protocol === 'rtsp'
      ? commands.rtsp(url)
      : probe.protocol === 'mms'
        ? commands.mmst(url)
        : commands.page(url);
  const answers = probe.reachability === 'open' && probe.speaks;
  const detail = serverText(probe.detail, 400);
  return answers
    ? {
        status: 'pass',
        summary: sentences(
          `The known-good stream ${url} answers: this computer can reach streaming servers`,
          detail,
        ),
        command,
      }
    : {
        status: 'fail',
        summary: sentences(
          `The known-good stream ${url} does not answer either: ${detail}`,
          'The problem is likely on this side (network, proxy or firewall)',
        ),
        command,
      };
}

function otherPlayerCheck(e: Evidence): Outcome {
  const routes = assessRoutes(e.target, e.probes);
  const playableInWmp = routes.rtsp.state === 'works' || routes.http.state === 'works';
  if (!playableInWmp && routes.rtsp.state === 'non-wms' && routes.rtsp.probe?.rtsp?.describeStatus === 200) {
    return {
      status: 'warn',
      summary: `Windows Media Player cannot play this RTSP server’s streams, VLC can: open ${routes.rtsp.url} in VLC (Media › Open Network Stream).`,
      command: commands.rtsp(routes.rtsp.url),
    };
  }
  if (routes.mms.state === 'works' && !playableInWmp) {
    return {
      status: 'warn',
      summary: `Only MMS works, and only older players speak it: open ${routes.mms.url} in VLC.`,
      command: commands.mmst(routes.mms.url),
    };
  }
  return {
    status: 'skip',
    summary: 'Not needed: another player would meet the same server.',
    command: commands.none,
  };
}

/** States that say something about the path itself (the server answered the request for it). */
const PATH_STATES: ReadonlySet<RouteState> = new Set([
  'works',
  'auth',
  'forbidden',
  'redirect',
  'not-found',
  'unavailable',
]);

const PATH_WORDS: Partial<Record<RouteState, (path: string, via: string) => string>> = {
  works: (path, via) => `The path ${path} exists on the server (over ${via}).`,
  auth: (path, via) => `The path ${path} exists but asks for a sign-in (over ${via}).`,
  redirect: (path, via) => `The server redirects ${path} elsewhere (over ${via}).`,
  forbidden: (path, via) => `The server refuses access to ${path} (over ${via}).`,
  unavailable: (path, via) => `The server is busy or unavailable for ${path} (over ${via}).`,
  'not-found': (path) =>
    `The server does not know ${path}: the publishing point or file is missing, stopped or renamed.`,
};

function publishingPointCheck(e: Evidence): Outcome {
  const routes = assessRoutes(e.target, e.probes);
  const relevant = ROUTE_NAMES.map((name) => routes[name]).filter(
    (route) => PATH_STATES.has(route.state) && route.probe,
  );
  const command = commands.rtspDescribe(routes.rtsp.url);
  if (relevant.length === 0) {
    return {
      status: 'skip',
      summary: 'Not checked: no streaming server answered a request for the path.',
      command,
    };
  }
  // The route the verdict would read first decides; the others are listed as evidence.
  const order: RouteState[] = ['works', 'auth', 'forbidden', 'redirect', 'not-found', 'unavailable'];
  const decisive = [...relevant].sort((a, b) => order.indexOf(a.state) - order.indexOf(b.state))[0]!;
  const words = PATH_WORDS[decisive.state]!;
  return {
    status: ROUTE_STATE_STATUS[decisive.state],
    summary: words(e.target.path, ROUTE_TABLE[decisive.route].words),
    command,
    evidence: relevant
      .map(
        (route) =>
          `${ROUTE_TABLE[route.route].words} (${route.url}): ${serverText(route.probe!.detail, 400)}`,
      )
      .join('\n'),
  };
}

function wireCheck(planned: PlannedProbe, e: Evidence): Outcome {
  const probe = e.probes.find((p) => p.protocol === planned.protocol && p.port === planned.port) ?? null;
  const entry = PROBE_PROTOCOLS[planned.protocol];
  const url = formatStreamUrl({
    scheme: entry.scheme,
    host: e.target.host,
    port: planned.port,
    path: e.target.path,
  });
  const command = entry.command(url, e.target.host, planned.port);
  if (!probe) return { status: 'skip', summary: 'Not tested.', command };
  if (probe.reachability !== 'open')
    return { status: 'skip', summary: `No conversation: ${serverText(probe.reachabilityReason)}.`, command };
  const evidence = [
    '--- sent ---',
    probe.evidence.sent || '(nothing was sent)',
    '--- received ---',
    probe.evidence.received || '(nothing came back)',
  ].join('\n');
  const stopped = probe.ending
    ? `Reading stopped after ${probe.durationMs} ms: ${ENDING_WORDS[probe.ending]}`
    : `It took ${probe.durationMs} ms`;
  return {
    status: ROUTE_STATE_STATUS[judgeProbe(probe)],
    summary: sentences(serverText(probe.detail, 400), stopped),
    command,
    evidence,
  };
}

function pageLinksCheck(e: Evidence): Outcome {
  const pages = e.probes.filter((p) => p.protocol === 'http' && p.http);
  const page = pages.find((p) => p.http!.mmsLinks.length > 0) ?? pages.find((p) => p.speaks) ?? null;
  const url = page
    ? formatStreamUrl({
        scheme: e.target.scheme === 'https' && page.port === e.target.port ? 'https' : 'http',
        host: e.target.host,
        port: page.port,
        path: e.target.path,
      })
    : e.target.url;
  const command = commands.page(url);
  if (!page || !page.http)
    return { status: 'skip', summary: 'No web page answered at this address.', command };
  const links = page.http.mmsLinks;
  if (links.length === 0) {
    const type = page.http.contentType ? serverText(page.http.contentType, 80) : 'no content type';
    return {
      status: 'pass',
      summary: `The ${PAGE_KIND_WORDS[page.http.kind]} (${type}) has no hard-coded mms:// links.`,
      command,
    };
  }
  const routes = assessRoutes(e.target, e.probes);
  const replacement = (link: string): string => {
    const shown = serverText(link, 300);
    const sameHost = safeHost(link) === e.target.host;
    const swapped = (scheme: string): string => shown.replace(/^mms[tu]?:/i, `${scheme}:`);
    if (sameHost && routes.rtsp.state === 'works')
      return `${shown}  →  ${swapped('rtsp')}  (tested: answers)`;
    if (sameHost && routes.http.state === 'works')
      return `${shown}  →  ${swapped('http')}  (tested: answers)`;
    return `${shown}  →  ${swapped('rtsp')} or ${swapped('http')}  (not tested: ${sameHost ? 'neither answers here' : 'another server'})`;
  };
  return {
    status: 'warn',
    summary: `The ${page.http.kind === 'asx' ? 'playlist' : 'page'} has ${counted(links.length, 'hard-coded mms:// link')}; current players need rtsp:// or http:// instead.`,
    command,
    evidence: links.map(replacement).join('\n'),
  };
}

const PAGE_KIND_WORDS: Record<NonNullable<ProbeResult['http']>['kind'], string> = {
  html: 'web page',
  asx: 'playlist',
  hls: 'HLS playlist',
  dash: 'DASH manifest',
  media: 'media file',
  other: 'reply',
  empty: 'empty reply',
};

function safeHost(url: string): string | null {
  try {
    return new URL(url.replace(/^[a-z]+:/i, 'http:')).hostname.toLowerCase();
  } catch {
    return null;
  }
}

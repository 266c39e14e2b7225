// The checks a person sees, in three tiers. The network work all runs at once; the tiers are for people:
// Simple (what answers, and which address works), Moderate (ports, DNS), Advanced (paths, raw bytes, pages).
// Each check names the probes it needs, so the engine can finish it the moment they are in.
import type { KnownErrorCode, StreamTarget } from '../input/types';
import { describeReplyKind } from '../probes/evidence';
import type { ProbeProtocol, ProbeResult } from '../probes/types';
import { commands } from './commands';
import { assessRoute, routeOfScheme, type RouteName, type RouteState } from './routes';
import type { Check, CheckStatus, DnsResult, Tier } from './types';

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

export interface PlannedCheck {
  id: string;
  tier: Tier;
  title: string;
  /** Probe keys (`rtsp:554`), 'dns' or 'known-good'. */
  needs: string[];
}

const DEFAULT_PORT: Record<RouteName, number> = { rtsp: 554, http: 80, mms: 1755 };

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
  } else if (own) {
    add(own === 'rtsp' ? 'rtsp' : 'mms', target.port);
    // WMP's rollover keeps an explicit port for every protocol it tries, so test them all there.
    if (target.explicitPort && target.port !== DEFAULT_PORT[own]) {
      add('rtsp', target.port);
      add('mmsh', target.port);
    }
  }
  add('mms', 1755);
  add('rtsp', 554);
  add('mmsh', 80);
  add('http', 80);
  return planned;
}

const ROUTE_TITLE: Record<RouteName, string> = {
  rtsp: 'The stream over RTSP',
  http: 'The stream over HTTP (Windows Media HTTP streaming)',
  mms: 'The stream over MMS',
};

export function planChecks(
  target: StreamTarget,
  probes: PlannedProbe[],
  options: { knownGood: boolean },
): PlannedCheck[] {
  const all = probes.map(probeKey);
  const of = (protocol: ProbeProtocol): string[] =>
    probes.filter((p) => p.protocol === protocol).map(probeKey);
  const checks: PlannedCheck[] = [
    { id: 'url-scheme', tier: 'simple', title: 'The address and its protocol', needs: [] },
    { id: 'dns', tier: 'simple', title: `The name ${target.displayHost} resolves`, needs: ['dns'] },
    { id: 'server-kind', tier: 'simple', title: 'What kind of server answers', needs: ['dns', ...all] },
    { id: 'route-rtsp', tier: 'simple', title: ROUTE_TITLE.rtsp, needs: ['dns', ...of('rtsp')] },
    { id: 'route-http', tier: 'simple', title: ROUTE_TITLE.http, needs: ['dns', ...of('mmsh')] },
    { id: 'route-mms', tier: 'simple', title: ROUTE_TITLE.mms, needs: ['dns', ...of('mms')] },
    {
      id: 'known-good',
      tier: 'simple',
      title: 'A stream known to work',
      needs: options.knownGood ? ['known-good'] : [],
    },
    { id: 'other-player', tier: 'simple', title: 'Another player', needs: ['dns', ...all] },
  ];
  for (const port of [...new Set(probes.map((p) => p.port))]) {
    checks.push({
      id: `port-${port}`,
      tier: 'moderate',
      title: `TCP port ${port} (${portPurpose(port, target)})`,
      needs: ['dns', ...probes.filter((p) => p.port === port).map(probeKey)],
    });
  }
  checks.push({
    id: 'dns-expected',
    tier: 'moderate',
    title: 'The name points at the expected address',
    needs: ['dns'],
  });
  checks.push({
    id: 'publishing-point',
    tier: 'advanced',
    title: `The path ${target.path} on the server`,
    needs: ['dns', ...all],
  });
  for (const probe of probes) {
    checks.push({
      id: `wire-${probe.protocol}-${probe.port}`,
      tier: 'advanced',
      title: `On the wire: ${PROTOCOL_WORDS[probe.protocol]} on port ${probe.port}`,
      needs: ['dns', probeKey(probe)],
    });
  }
  checks.push({
    id: 'page-links',
    tier: 'advanced',
    title: 'mms:// links in the web page',
    needs: ['dns', ...of('http')],
  });
  return checks;
}

const PROTOCOL_WORDS: Record<ProbeProtocol, string> = {
  mms: 'the MMS hello',
  mmsh: 'the Windows Media HTTP request',
  rtsp: 'RTSP OPTIONS and DESCRIBE',
  http: 'a browser’s request',
};

function portPurpose(port: number, target: StreamTarget): string {
  if (port === 1755) return 'MMS';
  if (port === 554) return 'RTSP';
  if (port === 80) return 'HTTP';
  if (port === 443) return 'HTTPS';
  return `the address’s own port, ${target.scheme}`;
}

export function evaluateCheck(plan: PlannedCheck, evidence: Evidence): Check {
  const base = { id: plan.id, tier: plan.tier, title: plan.title };
  const result = evaluate(plan, evidence);
  return { ...base, ...result };
}

type Outcome = Pick<Check, 'status' | 'summary' | 'command'> & { evidence?: string };

function evaluate(plan: PlannedCheck, e: Evidence): Outcome {
  const { target } = e;
  if (plan.id !== 'url-scheme' && plan.id !== 'known-good' && e.dns?.status === 'failed') {
    return {
      status: 'skip',
      summary: 'Not tested: the name does not resolve.',
      command: commands.resolve(target.host),
    };
  }
  if (plan.id.startsWith('route-')) return routeCheck(plan.id.slice(6) as RouteName, e);
  if (plan.id.startsWith('port-')) return portCheck(Number(plan.id.slice(5)), e);
  if (plan.id.startsWith('wire-')) {
    const [, protocol, port] = plan.id.split('-');
    return wireCheck(e.probes.find((p) => p.protocol === protocol && p.port === Number(port)) ?? null, e);
  }
  switch (plan.id) {
    case 'url-scheme':
      return schemeCheck(e);
    case 'dns':
      return dnsCheck(e);
    case 'dns-expected':
      return expectedIpCheck(e);
    case 'server-kind':
      return serverKindCheck(e);
    case 'known-good':
      return knownGoodCheck(e);
    case 'other-player':
      return otherPlayerCheck(e);
    case 'publishing-point':
      return publishingPointCheck(e);
    case 'page-links':
      return pageLinksCheck(e);
    default:
      return { status: 'error', summary: `Unknown check ${plan.id}.`, command: commands.none };
  }
}

function schemeCheck({ target }: Evidence): Outcome {
  const command = target.scheme.startsWith('rtsp')
    ? commands.rtsp(target.url)
    : target.scheme.startsWith('mms') && target.scheme !== 'mmsh'
      ? commands.mmst(target.url.replace(/^mms[tu]?:/, 'mmst:'))
      : commands.page(target.url);
  const credentials = target.hadCredentials
    ? ' The user name and password in the address were left out of every test and report.'
    : '';
  switch (target.scheme) {
    case 'mms':
    case 'mmst':
    case 'mmsu':
      return {
        status: 'warn',
        summary: `${target.scheme}:// asks for MMS, which Windows Media Player 11 and 12 no longer speak and Windows Media Services 2008 and later no longer serve; the player has to fall back to RTSP or HTTP. Both are tested below.${credentials}`,
        command,
      };
    case 'mmsh':
      return {
        status: 'warn',
        summary: `mmsh:// is how VLC and FFmpeg name Windows Media HTTP streaming; Windows Media Player wants the same address as http://.${credentials}`,
        command,
      };
    default:
      return {
        status: 'pass',
        summary: `${target.scheme}:// is a protocol Windows Media Player uses today.${credentials}`,
        command,
      };
  }
}

function dnsCheck({ target, dns }: Evidence): Outcome {
  const command = commands.resolve(target.host);
  if (!dns) return { status: 'error', summary: 'DNS was not checked.', command };
  if (dns.status === 'literal')
    return { status: 'pass', summary: `${target.host} is an IP address; no DNS needed.`, command };
  if (dns.status === 'failed')
    return { status: 'fail', summary: dns.error ?? 'The name does not resolve.', command };
  return {
    status: 'pass',
    summary: `${target.displayHost} resolves to ${dns.addresses.join(', ')} (${dns.durationMs} ms).`,
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
    summary: `DNS returns ${dns.addresses.join(', ')}, not the expected ${expectIp}: the name points at another machine (an old record, a hosts-file entry, or a split-DNS view).`,
    command,
  };
}

const ROUTE_STATE_STATUS: Record<RouteState, CheckStatus> = {
  works: 'pass',
  'auth-required': 'warn',
  redirected: 'warn',
  'not-found': 'fail',
  'non-wms': 'warn',
  'generic-web': 'fail',
  'wrong-protocol': 'fail',
  closed: 'fail',
  filtered: 'fail',
  unreachable: 'fail',
  'not-tested': 'skip',
};

function routeCheck(route: RouteName, e: Evidence): Outcome {
  const assessment = assessRoute(route, e.target, e.probes);
  const command =
    route === 'rtsp'
      ? commands.rtsp(assessment.url)
      : route === 'http'
        ? commands.mmsh(assessment.url)
        : commands.mmst(assessment.url);
  const probe = assessment.probe;
  if (!probe) return { status: 'skip', summary: 'Not tested.', command };
  let status = ROUTE_STATE_STATUS[assessment.state];
  // Refused MMS is what a modern server looks like, not a fault.
  if (route === 'mms' && assessment.state === 'closed') status = 'warn';
  const note =
    route === 'mms' && assessment.state === 'works'
      ? ' Windows Media Player 11 and 12 cannot use MMS, even though the server speaks it.'
      : '';
  return {
    status,
    summary: `${assessment.url}: ${probe.detail}${note}`,
    command,
    ...(probe.evidence.received ? { evidence: probe.evidence.received } : {}),
  };
}

function portCheck(port: number, e: Evidence): Outcome {
  const probe =
    e.probes.find((p) => p.port === port && p.reachability !== 'skipped') ??
    e.probes.find((p) => p.port === port);
  const command = commands.tcp(e.target.host, port);
  if (!probe) return { status: 'skip', summary: 'Not tested.', command };
  switch (probe.reachability) {
    case 'open':
      return { status: 'pass', summary: `Open: ${probe.reachabilityReason}.`, command };
    case 'refused':
      // Only the address's own port must be open; the others are alternatives a server may not offer.
      if (port === e.target.port)
        return { status: 'fail', summary: `Closed: ${probe.reachabilityReason}.`, command };
      return {
        status: 'warn',
        summary:
          port === 1755
            ? `Closed (${probe.reachabilityReason}). Normal for a server that no longer speaks MMS.`
            : `Closed (${probe.reachabilityReason}). Fine if the server does not offer ${portPurpose(port, e.target)} here.`,
        command,
      };
    case 'timeout':
      return { status: 'fail', summary: `No answer: ${probe.reachabilityReason}.`, command };
    case 'unreachable':
      return { status: 'fail', summary: `Unreachable: ${probe.reachabilityReason}.`, command };
    case 'skipped':
      return { status: 'skip', summary: `Not tested: ${probe.reachabilityReason}.`, command };
  }
}

function serverKindCheck(e: Evidence): Outcome {
  const parts: string[] = [];
  for (const probe of e.probes) {
    // A probe stopped because its port's service was already recognised adds nothing here.
    if (probe.reachability !== 'open' || probe.ending === 'cancelled') continue;
    const what = probe.speaks
      ? `${probe.protocol.toUpperCase()}${probe.server ? ` (${probe.server})` : ''}`
      : `${describeReplyKind(probe.replyKind)}${probe.server ? ` (${probe.server})` : ''}`;
    parts.push(`port ${probe.port}: ${what}`);
  }
  const routes = (['rtsp', 'http', 'mms'] as const).map((r) => assessRoute(r, e.target, e.probes));
  const command = commands.mmsh(assessRoute('http', e.target, e.probes).url);
  if (parts.length === 0)
    return { status: 'fail', summary: 'No server answered on any port tested.', command };
  const list = [...new Set(parts)].join('; ');
  const windowsMedia = routes.some(
    (r) => ['works', 'auth-required', 'not-found', 'redirected'].includes(r.state) && r.route !== 'mms',
  );
  if (windowsMedia)
    return { status: 'pass', summary: `A Windows Media streaming server answers — ${list}.`, command };
  if (routes.some((r) => r.route === 'mms' && r.state !== 'closed' && r.probe?.speaks)) {
    return {
      status: 'warn',
      summary: `Only MMS answers, which current players cannot use — ${list}.`,
      command,
    };
  }
  if (routes.some((r) => r.state === 'non-wms'))
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
  const state = judgeKnownGood(probe);
  return state
    ? {
        status: 'pass',
        summary: `${url} answers: this computer can reach streaming servers. ${probe.detail}`,
        command,
      }
    : {
        status: 'fail',
        summary: `${url} does not answer either: ${probe.detail} The problem is likely on this side (network, proxy or firewall).`,
        command,
      };
}

function judgeKnownGood(probe: ProbeResult): boolean {
  return probe.reachability === 'open' && probe.speaks;
}

function otherPlayerCheck(e: Evidence): Outcome {
  const rtsp = assessRoute('rtsp', e.target, e.probes);
  const mms = assessRoute('mms', e.target, e.probes);
  if (rtsp.state === 'non-wms') {
    return {
      status: 'warn',
      summary: `Windows Media Player cannot play this RTSP server’s streams, VLC can: open ${rtsp.url} in VLC (Media › Open Network Stream).`,
      command: commands.rtsp(rtsp.url),
    };
  }
  const usable = (['rtsp', 'http'] as const).some(
    (r) => assessRoute(r, e.target, e.probes).state === 'works',
  );
  if (mms.state === 'works' && !usable) {
    return {
      status: 'warn',
      summary: `Only MMS works, and only older players speak it: open ${mms.url} in VLC.`,
      command: commands.mmst(mms.url),
    };
  }
  return {
    status: 'skip',
    summary: 'Not needed: another player would meet the same server.',
    command: commands.none,
  };
}

function publishingPointCheck(e: Evidence): Outcome {
  const lines: string[] = [];
  let best: CheckStatus = 'skip';
  const rank: CheckStatus[] = ['pass', 'warn', 'fail', 'skip'];
  for (const route of ['rtsp', 'http', 'mms'] as const) {
    const a = assessRoute(route, e.target, e.probes);
    const relevant = ['works', 'auth-required', 'not-found', 'redirected', 'non-wms'].includes(a.state);
    if (!relevant || !a.probe) continue;
    lines.push(`${route.toUpperCase()} (${a.url}): ${a.probe.detail}`);
    const status = ROUTE_STATE_STATUS[a.state];
    if (rank.indexOf(status) < rank.indexOf(best)) best = status;
  }
  const command = commands.rtspDescribe(assessRoute('rtsp', e.target, e.probes).url);
  if (lines.length === 0) {
    return {
      status: 'skip',
      summary: 'Not checked: no streaming server answered to ask about the path.',
      command,
    };
  }
  const summary =
    best === 'pass'
      ? `${e.target.path} exists on the server.`
      : best === 'warn'
        ? `${e.target.path} needs attention (authentication, a redirect, or a non-Windows-Media server).`
        : `The server does not know ${e.target.path}: the publishing point or file is missing, stopped or renamed.`;
  return { status: best, summary, command, evidence: lines.join('\n') };
}

function wireCheck(probe: ProbeResult | null, e: Evidence): Outcome {
  if (!probe) return { status: 'skip', summary: 'Not tested.', command: commands.none };
  const url = `${probe.protocol === 'mmsh' ? 'http' : probe.protocol === 'mms' ? 'mmst' : probe.protocol}://${e.target.host}:${probe.port}${e.target.path}`;
  const command =
    probe.protocol === 'rtsp'
      ? commands.rtspDescribe(url)
      : probe.protocol === 'mmsh'
        ? commands.mmsh(url)
        : probe.protocol === 'http'
          ? commands.page(url)
          : `${commands.tcp(e.target.host, probe.port)}   (then capture with Wireshark: filter tcp.port == ${probe.port})`;
  const evidence = [
    `--- sent ---`,
    probe.evidence.sent || '(nothing)',
    `--- received ---`,
    probe.evidence.received || '(nothing)',
  ].join('\n');
  if (probe.reachability !== 'open')
    return { status: 'skip', summary: `No conversation: ${probe.reachabilityReason}.`, command };
  const ending = probe.ending ? ` Reading stopped: ${probe.ending}.` : '';
  return {
    status: probe.speaks ? 'pass' : 'warn',
    summary: `${probe.detail}${ending} (${probe.durationMs} ms)`,
    command,
    evidence,
  };
}

function pageLinksCheck(e: Evidence): Outcome {
  const pages = e.probes.filter((p) => p.protocol === 'http' && p.http);
  const page = pages.find((p) => p.http!.mmsLinks.length > 0) ?? pages.find((p) => p.speaks) ?? null;
  const url = page
    ? `${page.port === 443 ? 'https' : 'http'}://${e.target.host}:${page.port}${e.target.path}`
    : e.target.url;
  const command = commands.page(url);
  if (!page || !page.http)
    return { status: 'skip', summary: 'No web page answered at this address.', command };
  const links = page.http.mmsLinks;
  if (links.length === 0) {
    return {
      status: 'pass',
      summary: `The page (${page.http.kind}, ${page.http.contentType ?? 'no type'}) has no hard-coded mms:// links.`,
      command,
    };
  }
  const rtsp = assessRoute('rtsp', e.target, e.probes);
  const http = assessRoute('http', e.target, e.probes);
  const replacement = (link: string): string => {
    const sameHost = safeHost(link) === e.target.host;
    const swapped = (scheme: string): string => link.replace(/^mms[tu]?:/i, `${scheme}:`);
    if (sameHost && rtsp.state === 'works') return `${link}  →  ${swapped('rtsp')}  (tested: answers)`;
    if (sameHost && http.state === 'works') return `${link}  →  ${swapped('http')}  (tested: answers)`;
    return `${link}  →  ${swapped('rtsp')} or ${swapped('http')}  (not tested: ${sameHost ? 'neither answers here' : 'another server'})`;
  };
  return {
    status: 'warn',
    summary: `The ${page.http.kind === 'asx' ? 'playlist' : 'page'} has ${links.length} hard-coded mms:// link${links.length === 1 ? '' : 's'}; current players need rtsp:// or http:// instead.`,
    command,
    evidence: links.map(replacement).join('\n'),
  };
}

function safeHost(url: string): string | null {
  try {
    return new URL(url.replace(/^[a-z]+:/i, 'http:')).hostname.toLowerCase();
  } catch {
    return null;
  }
}

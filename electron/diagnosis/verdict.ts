// One verdict from all the evidence: what is wrong, why, and what to do. Pure.
//
// The verdict is chosen by a decision table (VERDICT_TABLE), read top to bottom: the first row whose condition
// holds decides. Conditions read only the route states (routes.ts), DNS and the expected address; the words are
// built from the same states, so no sentence can contradict a check. Every row says why it sits where it does.
import { findKnownErrorCode } from '../input/error-codes';
import type { ProbeResult } from '../common/probe-result';
import type { DnsResult, RouteState, Verdict, VerdictCode } from '../common/report';
import type { KnownErrorCode, StreamScheme, StreamTarget } from '../common/target';
import {
  assessRoutes,
  describeRoute,
  isWindowsMedia,
  redirectTarget,
  routeOfScheme,
  ROUTE_NAMES,
  ROUTE_TABLE,
  type RouteAssessment,
  type Routes,
} from './routes';
import { portsPhrase, sentence, sentences, serverText } from './words';

export interface VerdictInput {
  target: StreamTarget;
  error: KnownErrorCode | null;
  dns: DnsResult;
  probes: ProbeResult[];
}

/** Everything a row may look at, computed once. */
export interface VerdictFacts {
  target: StreamTarget;
  error: KnownErrorCode | null;
  dns: DnsResult;
  probes: ProbeResult[];
  routes: Routes;
  /** The route the address's own scheme asks for. */
  own: RouteAssessment;
  /** The address can be opened in Windows Media Player as it is (not mms://, not mmsh://). */
  ownSchemeOpensInWmp: boolean;
  host: string;
}

type VerdictWords = Omit<Verdict, 'code'>;

export interface VerdictRow {
  code: VerdictCode;
  /** Why this row, in this place: read by people, printed in the README's table. */
  why: string;
  when: (facts: VerdictFacts) => boolean;
  words: (facts: VerdictFacts) => VerdictWords;
  /** The error code this situation gives in Windows Media Player, when that is known. */
  pointsAt?: (facts: VerdictFacts) => number | null;
}

const NS_E_MMS_NOT_SUPPORTED = 0xc00d2efa;
const NS_E_INCOMPATIBLE_SERVER = 0xc00d2ee8;

/** Schemes Windows Media Player 11 and 12 open as they are. */
const WMP_SCHEMES: ReadonlySet<StreamScheme> = new Set(['rtsp', 'rtspt', 'rtspu', 'http', 'https']);

const some =
  (state: RouteState) =>
  (f: VerdictFacts): RouteAssessment | null =>
    ROUTE_NAMES.map((name) => f.routes[name]).find((route) => route.state === state) ?? null;

function portsWith(f: VerdictFacts, reachability: ProbeResult['reachability']): number[] {
  return [...new Set(f.probes.filter((p) => p.reachability === reachability).map((p) => p.port))];
}

function serverName(probe: ProbeResult | null): string | null {
  return probe?.server ? serverText(probe.server, 120) : null;
}

function detailOf(route: RouteAssessment | null): string {
  return route?.probe ? sentence(serverText(route.probe.detail, 400)) : '';
}

/** MMS answered and accepted us, but the address named no path (or the check did not get that far). */
function mmsServerWithoutPath(f: VerdictFacts): boolean {
  const probe = f.routes.mms.probe;
  return f.routes.mms.state === 'unknown' && probe?.speaks === true && probe.mms?.connectHr === 0;
}

// --- The table -------------------------------------------------------------------------------------------------

function useRoute(route: 'rtsp' | 'http'): VerdictRow['words'] {
  return (f) => {
    const working = f.routes[route];
    const via = ROUTE_TABLE[route].words;
    const mmsSpoken = f.own.route === 'mms' && f.routes.mms.state === 'works';
    let why: string;
    let adminNote: string | null = null;
    if (f.target.scheme === 'mmsh') {
      why =
        'The scheme mmsh:// is how VLC and FFmpeg name Windows Media HTTP streaming; Windows Media Player opens the same stream as http://.';
    } else if (mmsSpoken) {
      why = sentences(
        `The server speaks MMS too, and ${f.target.path} is there, but Windows Media Player 11 and 12 cannot use MMS`,
        `they roll over to ${via} by themselves, and the direct ${via} address skips that step`,
      );
    } else if (f.own.route === 'mms') {
      why = sentences(describeRoute(f.own), 'Windows Media Player 11 and 12 cannot use MMS anyway');
      adminNote =
        'The server does not serve this stream over MMS (Windows Media Services 2008 and later cannot). Publish rtsp:// or http:// links instead of mms:// ones.';
    } else {
      why = describeRoute(f.own);
    }
    return {
      summary: sentence(`Use ${working.url}: the stream answers over ${via} there`),
      reason: sentences(why, detailOf(working)),
      fix: sentences(
        `Open ${working.url} in Windows Media Player instead of ${f.target.url}`,
        'If the address comes from a web page or playlist, ask its owner to change it',
      ),
      suggestedUrl: working.url,
      adminNote,
    };
  };
}

function refusal(state: 'auth' | 'forbidden' | 'unavailable' | 'not-found'): VerdictRow['words'] {
  return (f) => {
    const route = some(state)(f)!;
    const via = ROUTE_TABLE[route.route].words;
    const server = serverName(route.probe);
    const who = server ? `The server (${server})` : 'The server';
    const path = f.target.path;
    const words: Record<typeof state, VerdictWords> = {
      auth: {
        summary: `${who} asks for a user name and password for ${path}.`,
        reason: sentences(`${via} answered with a request to sign in`, detailOf(route)),
        fix: sentences(
          `Open ${route.url} in Windows Media Player and sign in when asked`,
          'If you have no account, ask the server’s administrator for one',
        ),
        suggestedUrl: null,
        adminNote: `Clients are asked to sign in for ${path}; check the publishing point’s authorization settings if it should be public.`,
      },
      forbidden: {
        summary: `${who} refuses access to ${path}.`,
        reason: sentences(`${via} answered that access is forbidden`, detailOf(route)),
        fix: 'Ask the server’s administrator whether you may watch this stream; signing in again will not change a refusal.',
        suggestedUrl: null,
        adminNote: `Access to ${path} is refused to this client (a 403, or an access-denied answer over MMS); check the publishing point’s access rules and IP restrictions.`,
      },
      unavailable: {
        summary: `${who} answers, but says it is busy or unavailable.`,
        reason: sentences(`${via} answered with a "try later" status`, detailOf(route)),
        fix: 'Try again later. If it keeps happening, tell the server’s administrator.',
        suggestedUrl: null,
        adminNote: `The server refuses ${path} as busy or unavailable (a 5xx, RTSP 453, or a server-busy answer over MMS); check its limits and whether the publishing point is running.`,
      },
      'not-found': {
        summary: `${who} answers over ${via}, but ${path} is not there.`,
        reason: sentences(detailOf(route) || `${via} answered that ${path} does not exist`),
        fix: 'Check the path in the address (publishing point and file name, including case). Ask the server’s administrator for the current address.',
        suggestedUrl: null,
        adminNote: `The publishing point or file ${path} is missing, stopped or renamed on the server.`,
      },
    };
    return words[state];
  };
}

function reachability(f: VerdictFacts): {
  refused: number[];
  filtered: number[];
  unreachable: number[];
} {
  return {
    refused: portsWith(f, 'refused'),
    filtered: portsWith(f, 'timeout'),
    unreachable: portsWith(f, 'unreachable'),
  };
}

const anyOpen = (f: VerdictFacts): boolean => f.probes.some((p) => p.reachability === 'open');

export const VERDICT_TABLE: readonly VerdictRow[] = [
  {
    code: 'dns-failed',
    why: 'Without an address nothing else could be tried.',
    when: (f) => f.dns.status === 'failed',
    words: (f) => ({
      summary: `The name ${f.host} cannot be turned into an address.`,
      reason: sentence(serverText(f.dns.error ?? 'The DNS lookup failed')),
      fix: 'Check the spelling of the server name. If it is right, check this computer’s network and DNS settings, or ask for the server’s IP address and try that.',
      suggestedUrl: null,
      adminNote: `The DNS name ${f.host} does not resolve from this network.`,
    }),
  },
  {
    code: 'dns-mismatch',
    why: 'Whatever answers, it is not the machine the user expects, so no address it offers can be recommended.',
    when: (f) => f.dns.matchesExpected === false,
    words: (f) => ({
      summary: `The name ${f.host} points at ${f.dns.addresses.join(', ')}, not at the expected ${f.dns.expectedIp ?? ''}.`,
      reason:
        'The name leads to another machine: an old DNS record, a hosts-file entry, or a different DNS view inside and outside a network.',
      fix: 'Flush the DNS cache (ipconfig /flushdns), check the hosts file (C:\\Windows\\System32\\drivers\\etc\\hosts), and ask the network administrator which address the name should have.',
      suggestedUrl: null,
      adminNote: `The name ${f.host} resolves to ${f.dns.addresses.join(', ')} on this network, not to ${f.dns.expectedIp ?? ''}.`,
    }),
  },
  {
    code: 'ok',
    why: 'The address works as given; nothing on the network side needs to change.',
    when: (f) => f.ownSchemeOpensInWmp && f.own.state === 'works',
    words: (f) => ({
      summary: `The stream answers over ${ROUTE_TABLE[f.own.route].words} at ${f.target.url}.`,
      reason: detailOf(f.own) || describeRoute(f.own),
      fix: 'Open the address in Windows Media Player again. If it still fails, the problem is on this computer (player settings, codecs, or a local firewall).',
      suggestedUrl: null,
      adminNote: null,
    }),
  },
  {
    code: 'use-rtsp',
    why: 'RTSP is the protocol Windows Media Player tries first; a tested RTSP address beats everything below.',
    when: (f) => f.routes.rtsp.state === 'works',
    words: useRoute('rtsp'),
    pointsAt: (f) => (f.own.route === 'mms' ? NS_E_MMS_NOT_SUPPORTED : null),
  },
  {
    code: 'use-http',
    why: 'Windows Media HTTP streaming (or the file over plain HTTP) works where RTSP does not.',
    when: (f) => f.routes.http.state === 'works',
    words: useRoute('http'),
    pointsAt: (f) => (f.own.route === 'mms' ? NS_E_MMS_NOT_SUPPORTED : null),
  },
  {
    code: 'mms-only-server',
    why: 'The stream is there, but only over MMS, which current players no longer speak.',
    when: (f) => f.routes.mms.state === 'works' || mmsServerWithoutPath(f),
    words: (f) => {
      const tested = f.routes.mms.state === 'works';
      const version = serverName(f.routes.mms.probe) ?? 'an MMS server';
      return {
        summary: `The server speaks only MMS (${version}), which Windows Media Player 11 and 12 cannot use.`,
        reason: sentences(
          'MMS was removed from Windows Media Player’s network stack and from Windows Media Services 2008; this server offers neither RTSP nor HTTP streaming',
          tested ? '' : 'The address names no stream, so no stream on it was tested',
        ),
        fix: tested
          ? `Play it with a player that still speaks MMS, such as VLC: ${f.routes.mms.url}`
          : 'Play the stream with a player that still speaks MMS, such as VLC, using the full mmst:// address of the stream.',
        suggestedUrl: tested ? f.routes.mms.url : null,
        adminNote:
          'Enable the WMS HTTP Server Control Protocol or move to a server that streams over RTSP or HTTP.',
      };
    },
    pointsAt: () => NS_E_MMS_NOT_SUPPORTED,
  },
  {
    code: 'auth-required',
    why: 'The stream exists behind a sign-in; signing in is the next step, whatever else fails.',
    when: (f) => some('auth')(f) !== null,
    words: refusal('auth'),
  },
  {
    code: 'access-denied',
    why: 'The server is there and refuses this client outright (403, MMS access denied).',
    when: (f) => some('forbidden')(f) !== null,
    words: refusal('forbidden'),
  },
  {
    code: 'redirected',
    why: 'The server names another address; that address, not this one, decides (it is not tested here).',
    when: (f) => some('redirect')(f) !== null,
    words: (f) => {
      const route = some('redirect')(f)!;
      const to = serverText(redirectTarget(route.probe) ?? '', 300);
      return {
        summary: `The server redirects ${f.target.path} to ${to}.`,
        reason: sentences(
          `${ROUTE_TABLE[route.route].words} on port ${route.probe?.port ?? route.url} answered with a redirect`,
          'The new address was not followed or tested in this run',
        ),
        fix: `Try the address the server names (${to}) in Windows Media Player, or run Stream Doctor on it.`,
        suggestedUrl: null,
        adminNote: null,
      };
    },
  },
  {
    code: 'stream-not-found',
    why: 'A server answers the protocol but not the path: the address is wrong or the stream is gone.',
    when: (f) => some('not-found')(f) !== null,
    words: refusal('not-found'),
  },
  {
    code: 'server-unavailable',
    why: 'The server is there but will not serve now (5xx, RTSP 453, MMS server busy).',
    when: (f) => some('unavailable')(f) !== null,
    words: refusal('unavailable'),
  },
  {
    code: 'non-wms-rtsp-server',
    why: 'An RTSP server has the stream, but without the Windows Media header; another player can play it.',
    when: (f) => f.routes.rtsp.state === 'non-wms' && f.routes.rtsp.probe?.rtsp?.describeStatus === 200,
    words: (f) => {
      const route = f.routes.rtsp;
      const product = serverName(route.probe) ?? 'an RTSP server';
      return {
        summary: `The server is an RTSP server (${product}), but not a Windows Media one.`,
        reason: sentences(
          `It describes ${f.target.path}, but without the Windows Media (ASF) header Windows Media Player needs; only Windows Media Services sends it`,
        ),
        fix: `Play ${route.url} in VLC (or another RTSP player) instead of Windows Media Player.`,
        suggestedUrl: route.url,
        adminNote: null,
      };
    },
    pointsAt: () => NS_E_INCOMPATIBLE_SERVER,
  },
  {
    code: 'not-a-streaming-server',
    why: 'Something answers, but nothing a player can stream from: an ordinary web server, or a silent port.',
    // Not when a Windows Media server spoke somewhere: then its answers were unreadable, not absent.
    when: (f) =>
      !f.probes.some(isWindowsMedia) &&
      ROUTE_NAMES.some((name) => ['non-wms', 'open-silent', 'reset'].includes(f.routes[name].state)),
    words: (f) => {
      const web = f.probes.find(
        (p) => (p.protocol === 'mmsh' || p.protocol === 'http') && p.replyKind === 'http',
      );
      if (web) {
        const server = serverName(web);
        return {
          summary: `The server ${f.host} is an ordinary web server${server ? ` (${server})` : ''}, not a Windows Media streaming server.`,
          reason: sentences(
            `Port ${web.port} answers HTTP, but not the Windows Media streaming protocol, and offers no media file at ${f.target.path}`,
            describeRoute(f.routes.rtsp),
            describeRoute(f.routes.mms),
          ),
          fix: 'Ask whoever gave you the address for the stream’s real address, or open the web page and use its player. If you run this server, install Windows Media Services (Windows Server) or publish the file for download over http://.',
          suggestedUrl: null,
          adminNote: `The server ${f.host} has no Windows Media Services (or its HTTP streaming is off, or IIS holds port 80).`,
        };
      }
      const open = [...new Set(f.probes.filter((p) => p.reachability === 'open').map((p) => p.port))];
      return {
        summary: `Something answers on ${portsPhrase(open)}, but it speaks none of the streaming protocols.`,
        reason: sentences(...ROUTE_NAMES.map((name) => describeRoute(f.routes[name]))),
        fix: 'Check the server name and port in the address; ask the server’s administrator which address the stream has.',
        suggestedUrl: null,
        adminNote: `${portsPhrase(open)} on ${f.host} ${open.length === 1 ? 'accepts' : 'accept'} connections but ${open.length === 1 ? 'does' : 'do'} not answer RTSP, Windows Media HTTP or MMS.`,
      };
    },
    pointsAt: () => NS_E_INCOMPATIBLE_SERVER,
  },
  {
    code: 'inconclusive',
    why: 'Something answered, but in a way no row above can read; guessing would be dishonest.',
    when: anyOpen,
    words: (f) => {
      const answered = ROUTE_NAMES.map((name) => f.routes[name]).filter(
        (route) => route.probe?.reachability === 'open',
      );
      return {
        summary: `The server answers, but its answers do not show whether ${f.target.path} can be played.`,
        reason: sentences(...answered.map((route) => detailOf(route) || describeRoute(route))),
        fix: 'Run the check again with a longer timeout (--timeout 10000). If the result stays the same, send the report to the server’s administrator.',
        suggestedUrl: null,
        adminNote: null,
      };
    },
  },
  {
    code: 'host-unreachable',
    why: 'A router says the host cannot be reached, and nothing was merely dropped.',
    when: (f) => reachability(f).unreachable.length > 0 && reachability(f).filtered.length === 0,
    words: (f) => {
      const sample = f.probes.find((p) => p.reachability === 'unreachable')!;
      return {
        summary: `The server ${f.host} cannot be reached from this computer.`,
        reason: sentence(serverText(sample.reachabilityReason)),
        fix: 'Check that you are on the right network (VPN?) and that the address is right; if it is, a router or firewall rejects the traffic — ask your network administrator.',
        suggestedUrl: null,
        adminNote: `Traffic to ${f.host} is rejected as unreachable (ICMP) on the way.`,
      };
    },
  },
  {
    code: 'ports-filtered',
    why: 'No answer at all on some port: a firewall that drops, or a host that is down.',
    when: (f) => reachability(f).filtered.length > 0,
    words: (f) => {
      const { filtered, refused } = reachability(f);
      return {
        summary: `Nothing answers on ${portsPhrase(filtered)}: something between you and the server drops the traffic.`,
        reason: sentences(
          `Connections to ${portsPhrase(filtered)} got no answer at all, not even a refusal${refused.length > 0 ? `, and ${portsPhrase(refused)} refused` : ''}`,
          'That is what a firewall that drops packets, or a server that is down, looks like',
        ),
        fix: 'Check the firewall on this computer (TCP 554, 1755 and 80 outbound) and ask the network administrator whether these ports are open to the server. If the server is yours, check that it is running and that its firewall allows TCP 554 (RTSP) and 80 (HTTP) inbound.',
        suggestedUrl: null,
        adminNote: `TCP ${filtered.join(', ')} to ${f.host} is dropped (no SYN-ACK, no reset).`,
      };
    },
  },
  {
    code: 'ports-closed',
    why: 'The host answers, and refuses every streaming port.',
    when: (f) => reachability(f).refused.length > 0,
    words: (f) => {
      const { refused } = reachability(f);
      return {
        summary: `The server ${f.host} is up, but no streaming service listens on ${portsPhrase(refused)}.`,
        reason:
          'Every connection was refused at once: the server answers, but nothing listens on those ports.',
        fix: 'The streaming service is not running, or listens on another port. Ask the server’s administrator; if the server is yours, start Windows Media Services and check its publishing points.',
        suggestedUrl: null,
        adminNote: `No listener on TCP ${refused.join(', ')} on ${f.host}; is Windows Media Services running?`,
      };
    },
  },
  {
    code: 'inconclusive',
    why: 'Nothing was tested (every probe was skipped or cancelled): nothing can be said.',
    when: () => true,
    words: () => ({
      summary: 'Nothing could be tested, so there is no verdict.',
      reason: 'Every check was skipped or stopped before it had an answer.',
      fix: 'Run the check again; if it keeps stopping, check this computer’s network connection.',
      suggestedUrl: null,
      adminNote: null,
    }),
  },
];

export function verdictFacts(input: VerdictInput): VerdictFacts {
  const routes = assessRoutes(input.target, input.probes);
  return {
    ...input,
    routes,
    own: routes[routeOfScheme(input.target.scheme)],
    ownSchemeOpensInWmp: WMP_SCHEMES.has(input.target.scheme),
    host: input.target.displayHost,
  };
}

/** The first row of the table that holds. */
export function decideVerdictRow(facts: VerdictFacts): VerdictRow {
  return VERDICT_TABLE.find((row) => row.when(facts))!;
}

export function decideVerdict(input: VerdictInput): Verdict {
  const facts = verdictFacts(input);
  const row = decideVerdictRow(facts);
  const words = row.words(facts);
  const about = errorCodeSentence(facts.error, row.pointsAt?.(facts) ?? null);
  return {
    code: row.code,
    summary: sentence(words.summary),
    reason: sentences(words.reason, about),
    fix: sentences(words.fix),
    suggestedUrl: words.suggestedUrl,
    adminNote: words.adminNote === null ? null : sentences(words.adminNote),
  };
}

/** The words speak of the code the user saw, and say so when the evidence points at another one. */
export function errorCodeSentence(given: KnownErrorCode | null, pointsAtValue: number | null): string {
  const pointed = pointsAtValue === null ? null : findKnownErrorCode(pointsAtValue);
  const named = (code: { hex: string; name: string }): string => `${code.hex} (${code.name})`;
  if (given && pointed && given.value === pointed.value)
    return `Windows Media Player reports this situation as ${named(pointed)}, the error you saw.`;
  if (given && pointed)
    return `You saw ${named(given)}, but what answers here points at ${named(pointed)}: the player may have been given another address (from a web page or playlist), or the server has changed since.`;
  if (given)
    return `You saw ${named(given)}, which Windows describes as “${given.message.replace(/\.$/, '')}”.`;
  if (pointed) return `Windows Media Player reports this situation as ${named(pointed)}.`;
  return '';
}
